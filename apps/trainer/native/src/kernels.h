/* The addon's exported functions (one per kernel family); see addon.c for the JS names. */
#ifndef BUPO_KERNELS_H
#define BUPO_KERNELS_H

#include "heap.h"

napi_value bupo_sgemm(napi_env env, napi_callback_info info);
napi_value bupo_unary(napi_env env, napi_callback_info info);
napi_value bupo_sum_axis(napi_env env, napi_callback_info info);
napi_value bupo_rms_norm(napi_env env, napi_callback_info info);
napi_value bupo_rms_norm_grad(napi_env env, napi_callback_info info);
napi_value bupo_swiglu(napi_env env, napi_callback_info info);
napi_value bupo_swiglu_grad(napi_env env, napi_callback_info info);
napi_value bupo_softmax(napi_env env, napi_callback_info info);
napi_value bupo_softmax_grad(napi_env env, napi_callback_info info);
napi_value bupo_entropy_rows(napi_env env, napi_callback_info info);
napi_value bupo_logit_stats_rows(napi_env env, napi_callback_info info);
napi_value bupo_adamw(napi_env env, napi_callback_info info);
napi_value bupo_rope(napi_env env, napi_callback_info info);

#endif
