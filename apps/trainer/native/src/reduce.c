/* Sum over one contiguous block of axes: x viewed as [outer, reduce, inner] → out [outer, inner]. */
#include <string.h>

#include "fastmath.h"
#include "kernels.h"

#define LANES 16

BUPO_CLONES static float row_sum(const float *x, size_t n) {
  float acc[LANES] = {0};
  size_t i = 0;
  for (; i + LANES <= n; i += LANES)
    for (size_t l = 0; l < LANES; l++) acc[l] += x[i + l];
  float s = 0.0f;
  for (size_t l = 0; l < LANES; l++) s += acc[l];
  for (; i < n; i++) s += x[i];
  return s;
}

BUPO_CLONES static void add_into(float *restrict out, const float *restrict x, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] += x[i];
}

/* sumAxis(heap, inOffset, outOffset, outer, reduce, inner) */
napi_value bupo_sum_axis(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  heap_view heap;
  uint32_t xo, yo, outer, reduce, inner;
  if (!read_args(env, info, 6, argv, &heap) || !arg_u32(env, argv[1], "inOffset", &xo) ||
      !arg_u32(env, argv[2], "outOffset", &yo) || !arg_u32(env, argv[3], "outer", &outer) ||
      !arg_u32(env, argv[4], "reduce", &reduce) || !arg_u32(env, argv[5], "inner", &inner))
    return NULL;
  const float *x = heap_floats(env, &heap, xo, (size_t)outer * reduce * inner, "in");
  float *y = x == NULL ? NULL : heap_floats(env, &heap, yo, (size_t)outer * inner, "out");
  if (y == NULL) return NULL;
  for (size_t o = 0; o < outer; o++) {
    const float *xb = x + o * (size_t)reduce * inner;
    float *yb = y + o * (size_t)inner;
    if (inner == 1) {
      yb[0] = row_sum(xb, reduce);
      continue;
    }
    memset(yb, 0, (size_t)inner * sizeof(float));
    for (size_t r = 0; r < reduce; r++) add_into(yb, xb + r * (size_t)inner, inner);
  }
  return NULL;
}
