/** float32 ⇄ bfloat16 / float16 conversions for safetensors I/O (little-endian, as safetensors stores them). */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** bfloat16 bits → float32 (exact: bf16 is the top half of a float32). */
export function bf16ToF32(bits: number): number {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0] as number;
}

/** float32 → bfloat16 bits, round to nearest even; NaN stays NaN. */
export function f32ToBf16(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x007fffff) !== 0) return ((x >>> 16) | 0x40) & 0xffff;
  const rounded = x + 0x7fff + ((x >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

/** IEEE half bits → float32 (subnormals, ±inf, NaN handled). */
export function f16ToF32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** float32 → IEEE half bits, round to nearest even; overflow → ±inf. */
export function f32ToF16(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a >= 65520) return sign | 0x7c00; // rounds past the largest half (65504)
  if (a < 2 ** -14) return sign | Math.round(a * 2 ** 24); // subnormal (Math.round ties up; exact ties are rare)
  let exp = Math.floor(Math.log2(a));
  if (2 ** exp > a) exp -= 1; // guard log2 rounding
  let mant = a / 2 ** exp - 1; // [0, 1)
  let m = mant * 1024;
  const floor = Math.floor(m);
  const rem = m - floor;
  m = rem > 0.5 || (rem === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  if (m === 1024) {
    m = 0;
    exp += 1;
  }
  mant = m;
  if (exp + 15 >= 0x1f) return sign | 0x7c00;
  return sign | ((exp + 15) << 10) | mant;
}

export type SafetensorsFloatDtype = "F32" | "F16" | "BF16";

export const BYTES_PER_ELEMENT: Record<SafetensorsFloatDtype, number> = { F32: 4, F16: 2, BF16: 2 };

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
let f16Table: Float32Array | undefined;

/** float32 value of every half bit pattern (256 KiB, built on first use). */
function halfTable(): Float32Array {
  if (f16Table === undefined) {
    f16Table = new Float32Array(65536);
    for (let b = 0; b < 65536; b++) f16Table[b] = f16ToF32(b);
  }
  return f16Table;
}

/**
 * Decodes little-endian raw bytes of the given dtype into `out` (default: a fresh Float32Array). On a
 * little-endian host with aligned input this runs over typed arrays (BF16: a shift; F16: a table), else through a
 * DataView; both give the same values.
 */
export function decodeToFloat32(
  bytes: Uint8Array,
  dtype: SafetensorsFloatDtype,
  out = new Float32Array(bytes.byteLength / BYTES_PER_ELEMENT[dtype]),
): Float32Array {
  const size = BYTES_PER_ELEMENT[dtype];
  const n = bytes.byteLength / size;
  if (out.length < n) throw new Error(`decodeToFloat32: output holds ${out.length} values, need ${n}`);
  if (LITTLE_ENDIAN && bytes.byteOffset % size === 0) {
    if (dtype === "F32") out.set(new Float32Array(bytes.buffer, bytes.byteOffset, n));
    else {
      const half = new Uint16Array(bytes.buffer, bytes.byteOffset, n);
      if (dtype === "BF16") {
        const bits = new Uint32Array(out.buffer, out.byteOffset, n);
        for (let i = 0; i < n; i++) bits[i] = (half[i] as number) << 16;
      } else {
        const table = halfTable();
        for (let i = 0; i < n; i++) out[i] = table[half[i] as number] as number;
      }
    }
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === "F32") for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  else if (dtype === "BF16") for (let i = 0; i < n; i++) out[i] = bf16ToF32(view.getUint16(2 * i, true));
  else for (let i = 0; i < n; i++) out[i] = f16ToF32(view.getUint16(2 * i, true));
  return out;
}

/** Encodes float32 values as little-endian bytes of the given dtype. */
export function encodeFromFloat32(values: Float32Array, dtype: SafetensorsFloatDtype): Uint8Array {
  const out = new Uint8Array(values.length * BYTES_PER_ELEMENT[dtype]);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (dtype === "F32") view.setFloat32(4 * i, v, true);
    else view.setUint16(2 * i, dtype === "BF16" ? f32ToBf16(v) : f32ToF16(v), true);
  }
  return out;
}
