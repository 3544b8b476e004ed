/*
 * Fused RMSNorm over the last axis and the SwiGLU gate, forward and backward.
 *   RMSNorm:  y = w · x · r,  r = 1 / sqrt(mean(x²) + eps)            (x [rows, d], w [d])
 *   backward: x̂ = x·r, g = dy·w;  dx = r · (g − x̂ · mean(g·x̂));  dw = Σ_rows dy · x̂
 *   SwiGLU:   y = silu(a) · b = a·σ(a)·b
 *   backward: da = dy · b · σ(a) · (1 + a·(1 − σ(a))),  db = dy · a·σ(a)
 */
#include <math.h>
#include <string.h>

#include "fastmath.h"
#include "kernels.h"

BUPO_CLONES static float dot(const float *a, const float *b, size_t n) {
  float acc[16] = {0};
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (size_t l = 0; l < 16; l++) acc[l] += a[i + l] * b[i + l];
  float s = 0.0f;
  for (size_t l = 0; l < 16; l++) s += acc[l];
  for (; i < n; i++) s += a[i] * b[i];
  return s;
}

BUPO_CLONES static void rms_norm_rows(const float *x, const float *w, float *y, size_t rows, size_t d, float eps) {
  for (size_t r = 0; r < rows; r++) {
    const float *xr = x + r * d;
    float *yr = y + r * d;
    float inv = 1.0f / sqrtf(dot(xr, xr, d) / (float)d + eps);
    for (size_t j = 0; j < d; j++) yr[j] = w[j] * (xr[j] * inv);
  }
}

BUPO_CLONES static void rms_norm_grad_rows(const float *restrict dy, const float *restrict x, const float *restrict w,
                                           float *restrict dx, float *restrict dw, size_t rows, size_t d, float eps) {
  memset(dw, 0, d * sizeof(float));
  for (size_t r = 0; r < rows; r++) {
    const float *xr = x + r * d;
    const float *gr = dy + r * d;
    float *dxr = dx + r * d;
    float inv = 1.0f / sqrtf(dot(xr, xr, d) / (float)d + eps);
    float gx = 0.0f; /* Σ (dy·w)·x̂ */
    for (size_t j = 0; j < d; j++) gx += gr[j] * w[j] * xr[j];
    gx *= inv;
    float c = gx / (float)d;
    for (size_t j = 0; j < d; j++) {
      float xh = xr[j] * inv;
      dxr[j] = inv * (gr[j] * w[j] - xh * c);
      dw[j] += gr[j] * xh;
    }
  }
}

BUPO_CLONES static void swiglu(const float *restrict a, const float *restrict b, float *restrict y, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] = a[i] * bupo_sigmoidf(a[i]) * b[i];
}

BUPO_CLONES static void swiglu_grad(const float *restrict dy, const float *restrict a, const float *restrict b,
                                    float *restrict da, float *restrict db, size_t n) {
  for (size_t i = 0; i < n; i++) {
    float s = bupo_sigmoidf(a[i]);
    float silu = a[i] * s;
    da[i] = dy[i] * b[i] * s * (1.0f + a[i] * (1.0f - s));
    db[i] = dy[i] * silu;
  }
}

/* rmsNorm(heap, x, w, y, rows, d, eps) */
napi_value bupo_rms_norm(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  heap_view heap;
  uint32_t xo, wo, yo, rows, d;
  double eps;
  if (!read_args(env, info, 7, argv, &heap) || !arg_u32(env, argv[1], "x", &xo) || !arg_u32(env, argv[2], "w", &wo) ||
      !arg_u32(env, argv[3], "y", &yo) || !arg_u32(env, argv[4], "rows", &rows) || !arg_u32(env, argv[5], "d", &d) ||
      !arg_f64(env, argv[6], "eps", &eps))
    return NULL;
  size_t n = (size_t)rows * d;
  const float *x = heap_floats(env, &heap, xo, n, "x");
  const float *w = x == NULL ? NULL : heap_floats(env, &heap, wo, d, "w");
  float *y = w == NULL ? NULL : heap_floats(env, &heap, yo, n, "y");
  if (y != NULL && d > 0) rms_norm_rows(x, w, y, rows, d, (float)eps);
  return NULL;
}

/* rmsNormGrad(heap, dy, x, w, dx, dw, rows, d, eps) */
napi_value bupo_rms_norm_grad(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  heap_view heap;
  uint32_t dyo, xo, wo, dxo, dwo, rows, d;
  double eps;
  if (!read_args(env, info, 9, argv, &heap) || !arg_u32(env, argv[1], "dy", &dyo) ||
      !arg_u32(env, argv[2], "x", &xo) || !arg_u32(env, argv[3], "w", &wo) || !arg_u32(env, argv[4], "dx", &dxo) ||
      !arg_u32(env, argv[5], "dw", &dwo) || !arg_u32(env, argv[6], "rows", &rows) ||
      !arg_u32(env, argv[7], "d", &d) || !arg_f64(env, argv[8], "eps", &eps))
    return NULL;
  size_t n = (size_t)rows * d;
  const float *dy = heap_floats(env, &heap, dyo, n, "dy");
  const float *x = dy == NULL ? NULL : heap_floats(env, &heap, xo, n, "x");
  const float *w = x == NULL ? NULL : heap_floats(env, &heap, wo, d, "w");
  float *dx = w == NULL ? NULL : heap_floats(env, &heap, dxo, n, "dx");
  float *dw = dx == NULL ? NULL : heap_floats(env, &heap, dwo, d, "dw");
  if (dw != NULL && d > 0) rms_norm_grad_rows(dy, x, w, dx, dw, rows, d, (float)eps);
  return NULL;
}

/* swiglu(heap, a, b, y, n) */
napi_value bupo_swiglu(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  heap_view heap;
  uint32_t ao, bo, yo, n;
  if (!read_args(env, info, 5, argv, &heap) || !arg_u32(env, argv[1], "a", &ao) || !arg_u32(env, argv[2], "b", &bo) ||
      !arg_u32(env, argv[3], "y", &yo) || !arg_u32(env, argv[4], "n", &n))
    return NULL;
  const float *a = heap_floats(env, &heap, ao, n, "a");
  const float *b = a == NULL ? NULL : heap_floats(env, &heap, bo, n, "b");
  float *y = b == NULL ? NULL : heap_floats(env, &heap, yo, n, "y");
  if (y != NULL) swiglu(a, b, y, n);
  return NULL;
}

/* swigluGrad(heap, dy, a, b, da, db, n) */
napi_value bupo_swiglu_grad(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  heap_view heap;
  uint32_t dyo, ao, bo, dao, dbo, n;
  if (!read_args(env, info, 7, argv, &heap) || !arg_u32(env, argv[1], "dy", &dyo) ||
      !arg_u32(env, argv[2], "a", &ao) || !arg_u32(env, argv[3], "b", &bo) || !arg_u32(env, argv[4], "da", &dao) ||
      !arg_u32(env, argv[5], "db", &dbo) || !arg_u32(env, argv[6], "n", &n))
    return NULL;
  const float *dy = heap_floats(env, &heap, dyo, n, "dy");
  const float *a = dy == NULL ? NULL : heap_floats(env, &heap, ao, n, "a");
  const float *b = a == NULL ? NULL : heap_floats(env, &heap, bo, n, "b");
  float *da = b == NULL ? NULL : heap_floats(env, &heap, dao, n, "da");
  float *db = da == NULL ? NULL : heap_floats(env, &heap, dbo, n, "db");
  if (db != NULL) swiglu_grad(dy, a, b, da, db, n);
  return NULL;
}
