/*
 * Rotary position embedding, rotate-half convention, with half tables:
 *   y₁ = x₁·cos − s·x₂·sin,  y₂ = x₂·cos + s·x₁·sin     (x = [x₁, x₂] on the last axis, s = ±1)
 * s = +1 is the forward pass; s = −1 is its gradient (the rotation by −angle).
 * x [B, N, T, hd]; cos, sin [B or 1, 1, T, hd/2].
 */
#include "fastmath.h"
#include "kernels.h"

BUPO_CLONES static void rope_rows(const float *restrict x, const float *restrict cos_t, const float *restrict sin_t,
                                  float *restrict y, size_t B, size_t N, size_t T, size_t half, bool table_per_batch,
                                  float sign) {
  for (size_t b = 0; b < B; b++) {
    const float *cb = cos_t + (table_per_batch ? b * T * half : 0);
    const float *sb = sin_t + (table_per_batch ? b * T * half : 0);
    for (size_t n = 0; n < N; n++)
      for (size_t t = 0; t < T; t++) {
        size_t row = ((b * N + n) * T + t) * 2 * half;
        const float *x1 = x + row, *x2 = x + row + half;
        float *y1 = y + row, *y2 = y + row + half;
        const float *c = cb + t * half, *s = sb + t * half;
        for (size_t i = 0; i < half; i++) {
          float si = sign * s[i];
          y1[i] = x1[i] * c[i] - x2[i] * si;
          y2[i] = x2[i] * c[i] + x1[i] * si;
        }
      }
  }
}

/* rope(heap, x, cos, sin, y, B, N, T, hd, tablePerBatch, sign) */
napi_value bupo_rope(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  heap_view heap;
  uint32_t xo, co, so, yo, B, N, T, hd;
  bool per_batch;
  double sign;
  if (!read_args(env, info, 11, argv, &heap) || !arg_u32(env, argv[1], "x", &xo) ||
      !arg_u32(env, argv[2], "cos", &co) || !arg_u32(env, argv[3], "sin", &so) || !arg_u32(env, argv[4], "y", &yo) ||
      !arg_u32(env, argv[5], "B", &B) || !arg_u32(env, argv[6], "N", &N) || !arg_u32(env, argv[7], "T", &T) ||
      !arg_u32(env, argv[8], "hd", &hd) || !arg_bool(env, argv[9], "tablePerBatch", &per_batch) ||
      !arg_f64(env, argv[10], "sign", &sign))
    return NULL;
  if (hd % 2 != 0) {
    napi_throw_range_error(env, NULL, "hd must be even");
    return NULL;
  }
  size_t n = (size_t)B * N * T * hd;
  size_t table = (per_batch ? (size_t)B : 1) * T * (hd / 2);
  const float *x = heap_floats(env, &heap, xo, n, "x");
  const float *c = x == NULL ? NULL : heap_floats(env, &heap, co, table, "cos");
  const float *s = c == NULL ? NULL : heap_floats(env, &heap, so, table, "sin");
  float *y = s == NULL ? NULL : heap_floats(env, &heap, yo, n, "y");
  if (y != NULL) rope_rows(x, c, s, y, B, N, T, hd / 2, per_batch, (float)sign);
  return NULL;
}
