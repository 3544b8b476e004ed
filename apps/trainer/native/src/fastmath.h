/*
 * Branch-free float32 exp/tanh/sigmoid that gcc vectorises (Cephes coefficients, ≈ 2 ulp). Inlined into each
 * kernel loop; the loops are compiled once per ISA with target_clones so one binary runs everywhere.
 */
#ifndef BUPO_FASTMATH_H
#define BUPO_FASTMATH_H

#include <math.h>
#include <stdint.h>

#define BUPO_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

static inline float bupo_expf(float x) {
  /* hi: the largest float whose exp is finite in float32 (exp(88.72284f) overflows). */
  const float hi = 88.72283172607421875f, lo = -87.3365478515625f;
  float xc = x > hi ? hi : x;
  xc = xc < lo ? lo : xc;
  float n = floorf(xc * 1.44269504088896341f + 0.5f);
  float r = xc - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  float r2 = r * r;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r2 + r + 1.0f;
  union {
    int32_t i;
    float f;
  } scale;
  /* n reaches 128 above x ≈ 88.376: 2^128 is no float, so scale by 2^127 and double (p < 1 there). */
  int32_t k = (int32_t)n;
  float twice = k > 127 ? 2.0f : 1.0f;
  k = k > 127 ? 127 : k;
  scale.i = (k + 127) << 23;
  float y = p * scale.f * twice;
  y = x < lo ? 0.0f : y;
  y = x > hi ? INFINITY : y;
  return x != x ? x : y;
}

static inline float bupo_sigmoidf(float x) { return 1.0f / (1.0f + bupo_expf(-x)); }

static inline float bupo_tanhf(float x) {
  float ax = fabsf(x);
  float z = x * x;
  float small = ((((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z + 1.33314422036e-1f) * z -
                 3.33332819422e-1f) *
                    z * x +
                x;
  float e = bupo_expf(2.0f * (ax > 10.0f ? 10.0f : ax));
  float large = 1.0f - 2.0f / (e + 1.0f);
  large = x < 0.0f ? -large : large;
  return ax < 0.625f ? small : large;
}

#endif
