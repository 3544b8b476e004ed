/* Elementwise transcendental kernels: out[i] = f(in[i]). */
#include "fastmath.h"
#include "kernels.h"

enum { OP_EXP = 0, OP_TANH = 1, OP_SIGMOID = 2 };

BUPO_CLONES static void run_exp(const float *x, float *y, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] = bupo_expf(x[i]);
}

BUPO_CLONES static void run_tanh(const float *x, float *y, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] = bupo_tanhf(x[i]);
}

BUPO_CLONES static void run_sigmoid(const float *x, float *y, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] = bupo_sigmoidf(x[i]);
}

/* unary(heap, op, inOffset, outOffset, n): op 0 = exp, 1 = tanh, 2 = sigmoid. */
napi_value bupo_unary(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  heap_view heap;
  uint32_t op, xo, yo, n;
  if (!read_args(env, info, 5, argv, &heap) || !arg_u32(env, argv[1], "op", &op) ||
      !arg_u32(env, argv[2], "inOffset", &xo) || !arg_u32(env, argv[3], "outOffset", &yo) ||
      !arg_u32(env, argv[4], "n", &n))
    return NULL;
  const float *x = heap_floats(env, &heap, xo, n, "in");
  float *y = x == NULL ? NULL : heap_floats(env, &heap, yo, n, "out");
  if (y == NULL) return NULL;
  switch (op) {
    case OP_EXP: run_exp(x, y, n); break;
    case OP_TANH: run_tanh(x, y, n); break;
    case OP_SIGMOID: run_sigmoid(x, y, n); break;
    default: napi_throw_range_error(env, NULL, "op must be 0 (exp), 1 (tanh) or 2 (sigmoid)");
  }
  return NULL;
}
