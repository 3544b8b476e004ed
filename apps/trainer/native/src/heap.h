/*
 * Zero-copy access to the tfjs-wasm heap. Every exported function receives the backend's HEAPU8 (a Uint8Array
 * over the wasm linear memory, re-read by the caller after any allocation) and byte offsets into it. The pointer
 * is taken for the duration of one call only and every region is bounds-checked before use.
 */
#ifndef BUPO_HEAP_H
#define BUPO_HEAP_H

#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint8_t *base;
  size_t length;
} heap_view;

#define MAX_ARGS 20

/* Parses the call's arguments (at most MAX_ARGS); argv[0] must be the heap. Returns false with a JS error set. */
bool read_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, heap_view *heap);

bool arg_u32(napi_env env, napi_value v, const char *name, uint32_t *out);
bool arg_f64(napi_env env, napi_value v, const char *name, double *out);
bool arg_bool(napi_env env, napi_value v, const char *name, bool *out);

/* A float32 region of `count` elements at byte `offset`; NULL (RangeError set) when outside the heap or misaligned. */
float *heap_floats(napi_env env, const heap_view *heap, uint32_t offset, size_t count, const char *name);

/* A Uint32Array argument (per-batch offsets); NULL with an error set when it is not one. */
uint32_t *arg_u32_array(napi_env env, napi_value v, const char *name, size_t *length);

#endif
