/*
 * One AdamW update of a parameter, in the same float32 order as the composite in src/train/adamw.ts (torch):
 *   p' = p·(1 − lr·wd);  m' = β1·m + (1−β1)·g;  v' = β2·v + (1−β2)·g²
 *   p'' = p' − (m' / (√v' / √(1−β2ᵗ) + ε)) · (lr / (1−β1ᵗ))
 * Outputs go to separate buffers (tensors are immutable), which may not alias the inputs.
 */
#include <math.h>

#include "fastmath.h"
#include "kernels.h"

typedef struct {
  float decay, b1, one_minus_b1, b2, one_minus_b2, bc2_sqrt, eps, step;
} adamw_scalars;

BUPO_CLONES static void adamw_update(const float *restrict p, const float *restrict g, const float *restrict m,
                                     const float *restrict v, float *restrict po, float *restrict mo,
                                     float *restrict vo, size_t n, adamw_scalars s) {
  for (size_t i = 0; i < n; i++) {
    float mi = m[i] * s.b1 + g[i] * s.one_minus_b1;
    float vi = v[i] * s.b2 + (g[i] * g[i]) * s.one_minus_b2;
    float denom = sqrtf(vi) / s.bc2_sqrt + s.eps;
    po[i] = p[i] * s.decay - (mi / denom) * s.step;
    mo[i] = mi;
    vo[i] = vi;
  }
}

/* adamw(heap, p, g, m, v, pOut, mOut, vOut, n, lr, beta1, beta2, eps, weightDecay, t) */
napi_value bupo_adamw(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  heap_view heap;
  uint32_t off[7], n, t;
  static const char *names[7] = {"p", "g", "m", "v", "pOut", "mOut", "vOut"};
  double lr, b1, b2, eps, wd;
  if (!read_args(env, info, 15, argv, &heap)) return NULL;
  for (int i = 0; i < 7; i++)
    if (!arg_u32(env, argv[1 + i], names[i], &off[i])) return NULL;
  if (!arg_u32(env, argv[8], "n", &n) || !arg_f64(env, argv[9], "lr", &lr) || !arg_f64(env, argv[10], "beta1", &b1) ||
      !arg_f64(env, argv[11], "beta2", &b2) || !arg_f64(env, argv[12], "eps", &eps) ||
      !arg_f64(env, argv[13], "weightDecay", &wd) || !arg_u32(env, argv[14], "t", &t))
    return NULL;
  float *buf[7];
  for (int i = 0; i < 7; i++)
    if ((buf[i] = heap_floats(env, &heap, off[i], n, names[i])) == NULL) return NULL;
  adamw_scalars s = {
      .decay = wd > 0 ? (float)(1.0 - lr * wd) : 1.0f,
      .b1 = (float)b1,
      .one_minus_b1 = (float)(1.0 - b1),
      .b2 = (float)b2,
      .one_minus_b2 = (float)(1.0 - b2),
      .bc2_sqrt = (float)sqrt(1.0 - pow(b2, t)),
      .eps = (float)eps,
      .step = (float)(lr / (1.0 - pow(b1, t))),
  };
  adamw_update(buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6], n, s);
  return NULL;
}
