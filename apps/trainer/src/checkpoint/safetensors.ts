/**
 * Minimal safetensors reader/writer (https://github.com/huggingface/safetensors format):
 * 8-byte little-endian u64 header length N, N bytes of JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {string: string}}`, then the data bytes
 * (offsets relative to the end of the header). Only float dtypes F32 / F16 / BF16 are decoded (to float32).
 */
import {
  BYTES_PER_ELEMENT,
  decodeToFloat32,
  encodeFromFloat32,
  type SafetensorsFloatDtype,
} from "./dtypes.ts";

export interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  dataOffsets: [number, number];
}

export interface SafetensorsFile {
  entries: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
  /** Raw data section (after the header). */
  data: Uint8Array;
}

const SUPPORTED = new Set(["F32", "F16", "BF16"]);

/** Byte length N of the JSON header, from the file's first 8 bytes. */
export function safetensorsHeaderLength(first8: Uint8Array, source = "safetensors"): number {
  if (first8.byteLength < 8) throw new Error(`${source}: file too short for a safetensors header`);
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${source}: header length ${n} is not plausible`);
  return Number(n);
}

/**
 * Tensor entries and metadata of a header (the N bytes after the length prefix); `dataBytes` is the size of the
 * data section (offsets must lie inside it).
 */
export function parseSafetensorsHeader(
  headerBytes: Uint8Array,
  dataBytes: number,
  source = "safetensors",
): Pick<SafetensorsFile, "entries" | "metadata"> {
  const header = JSON.parse(new TextDecoder().decode(headerBytes)) as Record<string, unknown>;
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = (raw ?? {}) as Record<string, string>;
      continue;
    }
    const e = raw as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const [begin, end] = e.data_offsets;
    if (!(begin <= end && end <= dataBytes))
      throw new Error(`${source}: tensor ${name} has offsets out of range`);
    entries.set(name, { dtype: e.dtype, shape: e.shape, dataOffsets: [begin, end] });
  }
  return { entries, metadata };
}

/** Parses the header and exposes the data section without copying it. `source` names the file in errors. */
export function parseSafetensors(buf: Uint8Array, source = "safetensors"): SafetensorsFile {
  const n = safetensorsHeaderLength(buf, source);
  if (8 + n > buf.byteLength)
    throw new Error(`${source}: header length ${n} exceeds file size ${buf.byteLength}`);
  const data = buf.subarray(8 + n);
  return { ...parseSafetensorsHeader(buf.subarray(8, 8 + n), data.byteLength, source), data };
}

/** Throws unless `e` is a float tensor whose byte size matches its shape; returns its dtype. */
export function checkFloatEntry(
  e: SafetensorsEntry,
  name: string,
  source = "safetensors",
): SafetensorsFloatDtype {
  if (!SUPPORTED.has(e.dtype))
    throw new Error(`${source}: tensor ${name} has dtype ${e.dtype}; supported: F32, F16, BF16`);
  const dtype = e.dtype as SafetensorsFloatDtype;
  const count = e.shape.reduce((a, b) => a * b, 1);
  const [begin, end] = e.dataOffsets;
  if (end - begin !== count * BYTES_PER_ELEMENT[dtype]) {
    throw new Error(
      `${source}: tensor ${name} byte size ${end - begin} does not match shape [${e.shape}] ${dtype}`,
    );
  }
  return dtype;
}

/** Decodes one tensor to float32. Throws for non-float dtypes or inconsistent sizes. */
export function readTensorAsFloat32(
  file: SafetensorsFile,
  name: string,
  source = "safetensors",
): Float32Array {
  const e = file.entries.get(name);
  if (e === undefined) throw new Error(`${source}: tensor ${name} not found`);
  const dtype = checkFloatEntry(e, name, source);
  const [begin, end] = e.dataOffsets;
  return decodeToFloat32(file.data.subarray(begin, end), dtype);
}

export interface TensorToWrite {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * Serialises tensors (in the given order) as one safetensors buffer. The header is padded with spaces to a
 * multiple of 8 bytes, as the reference implementation does, so tensor data stays aligned.
 */
export function encodeSafetensors(
  tensors: TensorToWrite[],
  dtype: SafetensorsFloatDtype = "F32",
  metadata: Record<string, string> = { format: "pt" },
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length)
      throw new Error(`tensor ${t.name}: ${t.data.length} values for shape [${t.shape}]`);
    const bytes = encodeFromFloat32(t.data, dtype);
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  const headerBytes = new TextEncoder().encode(json).byteLength;
  json += " ".repeat((8 - (headerBytes % 8)) % 8);
  const encoded = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + encoded.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(encoded.byteLength), true);
  out.set(encoded, 8);
  let pos = 8 + encoded.byteLength;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.byteLength;
  }
  return out;
}
