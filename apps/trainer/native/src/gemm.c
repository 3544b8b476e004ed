/*
 * Batched float32 matrix products on the wasm heap: C[i] = op(A[i]) · op(B[i]) for each batch entry i, row-major,
 * op = transpose when the flag is set. Transposes are BLAS flags; nothing is copied.
 */
#include <cblas.h>

#include "kernels.h"

/* sgemm(heap, transA, transB, M, N, K, offsetsA, offsetsB, offsetsC): byte offsets per batch entry. */
napi_value bupo_sgemm(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  heap_view heap;
  if (!read_args(env, info, 9, argv, &heap)) return NULL;
  bool ta, tb;
  uint32_t M, N, K;
  if (!arg_bool(env, argv[1], "transA", &ta) || !arg_bool(env, argv[2], "transB", &tb) ||
      !arg_u32(env, argv[3], "M", &M) || !arg_u32(env, argv[4], "N", &N) || !arg_u32(env, argv[5], "K", &K))
    return NULL;
  size_t na, nb, nc;
  uint32_t *oa = arg_u32_array(env, argv[6], "offsetsA", &na);
  if (oa == NULL) return NULL;
  uint32_t *ob = arg_u32_array(env, argv[7], "offsetsB", &nb);
  if (ob == NULL) return NULL;
  uint32_t *oc = arg_u32_array(env, argv[8], "offsetsC", &nc);
  if (oc == NULL) return NULL;
  if (na != nc || nb != nc) {
    napi_throw_range_error(env, NULL, "offsetsA, offsetsB and offsetsC must have the same length");
    return NULL;
  }
  /* Check every region before the first product, so a bad call writes nothing. */
  for (size_t i = 0; i < nc; i++) {
    if (heap_floats(env, &heap, oa[i], (size_t)M * K, "A") == NULL ||
        heap_floats(env, &heap, ob[i], (size_t)K * N, "B") == NULL ||
        heap_floats(env, &heap, oc[i], (size_t)M * N, "C") == NULL)
      return NULL;
  }
  if (M == 0 || N == 0) return NULL;
  const int lda = ta ? (int)M : (int)K;
  const int ldb = tb ? (int)K : (int)N;
  for (size_t i = 0; i < nc; i++) {
    float *a = (float *)(heap.base + oa[i]);
    float *b = (float *)(heap.base + ob[i]);
    float *c = (float *)(heap.base + oc[i]);
    if (K == 0) {
      for (size_t j = 0; j < (size_t)M * N; j++) c[j] = 0.0f;
      continue;
    }
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)M, (int)N,
                (int)K, 1.0f, a, lda, b, ldb, 0.0f, c, (int)N);
  }
  return NULL;
}
