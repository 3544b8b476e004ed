// Where Debian (and most distributions) put OpenBLAS. The pthread variant is preferred and pinned with an rpath,
// because libopenblas0 can otherwise resolve to the OpenMP build (see shared/docs/native-kernels.md §1).
// Used by binding.gyp (include_dirs / libraries) and by build.cjs (to decide whether to build at all).
const fs = require("node:fs");
const path = require("node:path");

const multiarch = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux-gnu`;
const INCLUDE_CANDIDATES = [
  process.env.OPENBLAS_INCLUDE_DIR,
  `/usr/include/${multiarch}/openblas-pthread`,
  "/usr/include/openblas",
  `/usr/include/${multiarch}`,
  "/usr/include",
].filter(Boolean);
const LIB_CANDIDATES = [
  process.env.OPENBLAS_LIB_DIR,
  `/usr/lib/${multiarch}/openblas-pthread`,
  `/usr/lib/${multiarch}`,
  "/usr/lib64",
  "/usr/lib",
].filter(Boolean);

const includeDir = INCLUDE_CANDIDATES.find((d) => fs.existsSync(path.join(d, "cblas.h")));
const libDir = LIB_CANDIDATES.find((d) => fs.existsSync(path.join(d, "libopenblas.so")));

module.exports = {
  found: includeDir !== undefined && libDir !== undefined,
  includeDir,
  libDir,
  includeDirs: includeDir ? [includeDir] : [],
  libraries: libDir ? [`-L${libDir}`, `-Wl,-rpath,${libDir}`, "-lopenblas"] : [],
};
