/*
 * Row-wise softmax over the last axis, its backward, and policy entropy straight from logits:
 *   y = exp(x − max) / Σ exp(x − max)
 *   dx = y · (dy − Σ dy·y)
 *   H = max + log Σ e^{z−max} − Σ e^{z−max}·z / Σ e^{z−max}   (= logsumexp(z) − Σ softmax(z)·z)
 */
#include <math.h>

#include "fastmath.h"
#include "kernels.h"

BUPO_CLONES static float row_max(const float *x, size_t n) {
  float acc[16];
  for (size_t l = 0; l < 16; l++) acc[l] = -INFINITY;
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (size_t l = 0; l < 16; l++) acc[l] = x[i + l] > acc[l] ? x[i + l] : acc[l];
  float m = -INFINITY;
  for (size_t l = 0; l < 16; l++) m = acc[l] > m ? acc[l] : m;
  for (; i < n; i++) m = x[i] > m ? x[i] : m;
  return m;
}

/* y[i] = exp(x[i] − m); returns Σ y. */
BUPO_CLONES static float exp_shifted(const float *x, float *y, size_t n, float m) {
  float acc[16] = {0};
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (size_t l = 0; l < 16; l++) {
      float e = bupo_expf(x[i + l] - m);
      y[i + l] = e;
      acc[l] += e;
    }
  float s = 0.0f;
  for (size_t l = 0; l < 16; l++) s += acc[l];
  for (; i < n; i++) {
    y[i] = bupo_expf(x[i] - m);
    s += y[i];
  }
  return s;
}

/* Σ e^{z−m} and Σ e^{z−m}·(z−m), without storing e. */
BUPO_CLONES static void exp_moments(const float *z, size_t n, float m, float *sum, float *wsum) {
  float s[16] = {0}, t[16] = {0};
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (size_t l = 0; l < 16; l++) {
      float c = z[i + l] - m;
      float e = bupo_expf(c);
      s[l] += e;
      t[l] += e * c;
    }
  float S = 0.0f, W = 0.0f;
  for (size_t l = 0; l < 16; l++) {
    S += s[l];
    W += t[l];
  }
  for (; i < n; i++) {
    float c = z[i] - m;
    float e = bupo_expf(c);
    S += e;
    W += e * c;
  }
  *sum = S;
  *wsum = W;
}

BUPO_CLONES static void scale_row(float *y, size_t n, float k) {
  for (size_t i = 0; i < n; i++) y[i] *= k;
}

BUPO_CLONES static void softmax_grad_row(const float *y, const float *dy, float *dx, size_t n) {
  float acc[16] = {0};
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (size_t l = 0; l < 16; l++) acc[l] += dy[i + l] * y[i + l];
  float s = 0.0f;
  for (size_t l = 0; l < 16; l++) s += acc[l];
  for (; i < n; i++) s += dy[i] * y[i];
  for (size_t j = 0; j < n; j++) dx[j] = y[j] * (dy[j] - s);
}

/* softmax(heap, x, y, rows, n) */
napi_value bupo_softmax(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  heap_view heap;
  uint32_t xo, yo, rows, n;
  if (!read_args(env, info, 5, argv, &heap) || !arg_u32(env, argv[1], "x", &xo) || !arg_u32(env, argv[2], "y", &yo) ||
      !arg_u32(env, argv[3], "rows", &rows) || !arg_u32(env, argv[4], "n", &n))
    return NULL;
  const float *x = heap_floats(env, &heap, xo, (size_t)rows * n, "x");
  float *y = x == NULL ? NULL : heap_floats(env, &heap, yo, (size_t)rows * n, "y");
  if (y == NULL || n == 0) return NULL;
  for (size_t r = 0; r < rows; r++) {
    const float *xr = x + r * (size_t)n;
    float *yr = y + r * (size_t)n;
    float m = row_max(xr, n);
    if (m == -INFINITY) m = 0.0f; /* all −inf: 0/0 = NaN, as tf does */
    scale_row(yr, n, 1.0f / exp_shifted(xr, yr, n, m));
  }
  return NULL;
}

/* softmaxGrad(heap, y, dy, dx, rows, n) */
napi_value bupo_softmax_grad(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  heap_view heap;
  uint32_t yo, dyo, dxo, rows, n;
  if (!read_args(env, info, 6, argv, &heap) || !arg_u32(env, argv[1], "y", &yo) || !arg_u32(env, argv[2], "dy", &dyo) ||
      !arg_u32(env, argv[3], "dx", &dxo) || !arg_u32(env, argv[4], "rows", &rows) || !arg_u32(env, argv[5], "n", &n))
    return NULL;
  size_t total = (size_t)rows * n;
  const float *y = heap_floats(env, &heap, yo, total, "y");
  const float *dy = y == NULL ? NULL : heap_floats(env, &heap, dyo, total, "dy");
  float *dx = dy == NULL ? NULL : heap_floats(env, &heap, dxo, total, "dx");
  if (dx == NULL) return NULL;
  for (size_t r = 0; r < rows; r++) softmax_grad_row(y + r * (size_t)n, dy + r * (size_t)n, dx + r * (size_t)n, n);
  return NULL;
}

/* Rows of z reduced to H (stride 1) or to (logsumexp, H) pairs (stride 2). */
static napi_value entropy_rows(napi_env env, napi_callback_info info, size_t stride) {
  napi_value argv[MAX_ARGS];
  heap_view heap;
  uint32_t zo, oo, rows, n;
  if (!read_args(env, info, 5, argv, &heap) || !arg_u32(env, argv[1], "z", &zo) || !arg_u32(env, argv[2], "out", &oo) ||
      !arg_u32(env, argv[3], "rows", &rows) || !arg_u32(env, argv[4], "n", &n))
    return NULL;
  const float *z = heap_floats(env, &heap, zo, (size_t)rows * n, "z");
  float *out = z == NULL ? NULL : heap_floats(env, &heap, oo, (size_t)rows * stride, "out");
  if (out == NULL) return NULL;
  for (size_t r = 0; r < rows; r++) {
    const float *zr = z + r * (size_t)n;
    float m = row_max(zr, n);
    float s, w;
    exp_moments(zr, n, m, &s, &w);
    float log_s = logf(s);
    if (stride == 2) out[2 * r] = m + log_s; /* logsumexp */
    out[stride * r + stride - 1] = log_s - w / s; /* H = log S − Σ e·(z−m) / S */
  }
  return NULL;
}

/* entropyRows(heap, z, out, rows, n): out[r] = H(softmax(z[r])) in nats. */
napi_value bupo_entropy_rows(napi_env env, napi_callback_info info) { return entropy_rows(env, info, 1); }

/* logitStatsRows(heap, z, out, rows, n): out[2r] = logsumexp(z[r]), out[2r+1] = H(softmax(z[r])). */
napi_value bupo_logit_stats_rows(napi_env env, napi_callback_info info) { return entropy_rows(env, info, 2); }
