/*
 * bupo_native: OpenBLAS sgemm and fused float32 kernels working in place on the tfjs-wasm heap (zero copy).
 * Every function is synchronous and keeps no pointer after it returns. See apps/trainer/src/backend/native.
 */
#include <cblas.h>
#include <stdio.h>

#include "kernels.h"

/* OpenBLAS extensions (declared in its cblas.h for 0.3.x, repeated here for other cblas headers). */
extern char *openblas_get_corename(void);
extern char *openblas_get_config(void);
extern int openblas_get_num_threads(void);
extern void openblas_set_num_threads(int);

static napi_value blas_info(napi_env env, napi_callback_info info) {
  napi_value obj, core, config, threads;
  napi_create_object(env, &obj);
  napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &core);
  napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &config);
  napi_create_int32(env, openblas_get_num_threads(), &threads);
  napi_set_named_property(env, obj, "coreName", core);
  napi_set_named_property(env, obj, "config", config);
  napi_set_named_property(env, obj, "threads", threads);
  return obj;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  uint32_t n = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || !arg_u32(env, argv[0], "threads", &n)) return NULL;
  if (n < 1 || n > 256) {
    napi_throw_range_error(env, NULL, "threads must be between 1 and 256");
    return NULL;
  }
  openblas_set_num_threads((int)n);
  return NULL;
}

typedef struct {
  const char *name;
  napi_callback fn;
} export_entry;

static napi_value init(napi_env env, napi_value exports) {
  static const export_entry entries[] = {
      {"blasInfo", blas_info},
      {"setThreads", set_threads},
      {"sgemm", bupo_sgemm},
      {"unary", bupo_unary},
      {"sumAxis", bupo_sum_axis},
      {"rmsNorm", bupo_rms_norm},
      {"rmsNormGrad", bupo_rms_norm_grad},
      {"swiglu", bupo_swiglu},
      {"swigluGrad", bupo_swiglu_grad},
      {"softmax", bupo_softmax},
      {"softmaxGrad", bupo_softmax_grad},
      {"entropyRows", bupo_entropy_rows},
      {"logitStatsRows", bupo_logit_stats_rows},
      {"adamw", bupo_adamw},
      {"rope", bupo_rope},
  };
  for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
    napi_value fn;
    napi_create_function(env, entries[i].name, NAPI_AUTO_LENGTH, entries[i].fn, NULL, &fn);
    napi_set_named_property(env, exports, entries[i].name, fn);
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
