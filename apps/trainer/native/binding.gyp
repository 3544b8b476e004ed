{
  "targets": [
    {
      "target_name": "bupo_native",
      "sources": [
        "src/addon.c",
        "src/heap.c",
        "src/gemm.c",
        "src/elementwise.c",
        "src/reduce.c",
        "src/norm.c",
        "src/softmax.c",
        "src/adamw.c",
        "src/rope.c"
      ],
      "include_dirs": ["<!@(node -p \"require('./blas-paths.cjs').includeDirs.join(' ')\")"],
      "libraries": ["<!@(node -p \"require('./blas-paths.cjs').libraries.join(' ')\")"],
      "cflags": ["-O3", "-std=c11", "-fno-math-errno", "-fno-trapping-math", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags!": ["-O2"]
    }
  ]
}
