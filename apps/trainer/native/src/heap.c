#include "heap.h"

#include <stdio.h>

bool read_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, heap_view *heap) {
  size_t argc = MAX_ARGS;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return false;
  if (argc < want) {
    char msg[96];
    snprintf(msg, sizeof msg, "expected %zu arguments, got %zu", want, argc);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  bool is_typed = false;
  napi_is_typedarray(env, argv[0], &is_typed);
  if (!is_typed) {
    napi_throw_type_error(env, NULL, "heap must be a Uint8Array");
    return false;
  }
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL) != napi_ok) return false;
  if (type != napi_uint8_array || (data == NULL && length > 0)) {
    napi_throw_type_error(env, NULL, "heap must be a Uint8Array");
    return false;
  }
  heap->base = data;
  heap->length = length;
  return true;
}

/* Throws "<name> must be <what>" and returns false. */
static bool arg_error(napi_env env, const char *name, const char *what) {
  char msg[96];
  snprintf(msg, sizeof msg, "%s must be %s", name, what);
  napi_throw_type_error(env, NULL, msg);
  return false;
}

bool arg_u32(napi_env env, napi_value v, const char *name, uint32_t *out) {
  return napi_get_value_uint32(env, v, out) == napi_ok || arg_error(env, name, "a non-negative integer");
}

bool arg_f64(napi_env env, napi_value v, const char *name, double *out) {
  return napi_get_value_double(env, v, out) == napi_ok || arg_error(env, name, "a number");
}

bool arg_bool(napi_env env, napi_value v, const char *name, bool *out) {
  return napi_get_value_bool(env, v, out) == napi_ok || arg_error(env, name, "a boolean");
}

float *heap_floats(napi_env env, const heap_view *heap, uint32_t offset, size_t count, const char *name) {
  size_t end = (size_t)offset + count * sizeof(float);
  /* count > SIZE_MAX / 4: the byte size wraps (e.g. rows · n = 2^62) and a tiny `end` would pass. */
  if ((offset & 3u) != 0 || count > SIZE_MAX / sizeof(float) || end > heap->length || end < (size_t)offset) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s: %zu floats at byte %u exceed the heap (%zu bytes) or are misaligned", name, count,
             offset, heap->length);
    napi_throw_range_error(env, NULL, msg);
    return NULL;
  }
  return (float *)(heap->base + offset);
}

uint32_t *arg_u32_array(napi_env env, napi_value v, const char *name, size_t *length) {
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  napi_typedarray_type type = napi_int8_array;
  void *data = NULL;
  if (is_typed) napi_get_typedarray_info(env, v, &type, length, &data, NULL, NULL);
  if (!is_typed || type != napi_uint32_array) {
    arg_error(env, name, "a Uint32Array");
    return NULL;
  }
  return data;
}
