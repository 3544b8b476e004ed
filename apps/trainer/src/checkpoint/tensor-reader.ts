/**
 * Lazy, ranged access to the tensors of a Hugging Face checkpoint folder (model.safetensors or shards listed in
 * model.safetensors.index.json): only the headers are read when opening; a tensor, or a range of its rows, is
 * then read with positioned reads into a Node Buffer in its stored dtype (outside the wasm heap) and decoded to
 * float32 only when asked. Memory never grows with the model. The folder path must already be resolved.
 */
import { existsSync } from "node:fs";
import { type FileHandle, open, readFile } from "node:fs/promises";
import path from "node:path";
import { BYTES_PER_ELEMENT, decodeToFloat32, type SafetensorsFloatDtype } from "./dtypes.ts";
import { checkFloatEntry, parseSafetensorsHeader, safetensorsHeaderLength } from "./safetensors.ts";

export const SINGLE_FILE = "model.safetensors";
export const INDEX_FILE = "model.safetensors.index.json";
/** Bytes per positioned read (Node reads at most 2 GiB at once). */
const READ_PIECE = 1 << 30;

/** One tensor's location in its file. */
export interface StoredTensor {
  name: string;
  file: string;
  dtype: SafetensorsFloatDtype;
  shape: number[];
  /** Absolute byte position of the first element in `file`. */
  position: number;
  byteLength: number;
}

/** A tensor (or rows of it) decoded to float32. */
export interface HostTensor {
  shape: number[];
  values: Float32Array;
}

/** An index may only name `.safetensors` files in its own folder (no separators, no `..`). */
export function assertShardName(indexPath: string, file: string): void {
  if (path.basename(file) !== file || file === ".." || !file.endsWith(".safetensors"))
    throw new Error(`${indexPath}: shard name ${file} is not a .safetensors file in the folder`);
}

/** Shard file names of a checkpoint folder: the index's files, or the single file. */
async function shardFiles(dir: string): Promise<string[]> {
  const indexPath = path.join(dir, INDEX_FILE);
  if (existsSync(indexPath)) {
    const index = JSON.parse(await readFile(indexPath, "utf8")) as { weight_map?: Record<string, string> };
    if (index.weight_map === undefined) throw new Error(`${indexPath}: no weight_map`);
    const files = [...new Set(Object.values(index.weight_map))];
    for (const f of files) {
      assertShardName(indexPath, f);
      if (!existsSync(path.join(dir, f)))
        throw new Error(`${dir}: shard ${f} listed in ${INDEX_FILE} is missing`);
    }
    return files;
  }
  if (!existsSync(path.join(dir, SINGLE_FILE))) {
    throw new Error(
      `${dir}: neither ${SINGLE_FILE} nor ${INDEX_FILE} found (pytorch_model.bin is not supported)`,
    );
  }
  return [SINGLE_FILE];
}

async function readExactly(fh: FileHandle, out: Uint8Array, position: number, source: string): Promise<void> {
  let done = 0;
  while (done < out.byteLength) {
    const n = Math.min(READ_PIECE, out.byteLength - done);
    const { bytesRead } = await fh.read(out, done, n, position + done);
    if (bytesRead === 0) throw new Error(`${source}: unexpected end of file`);
    done += bytesRead;
  }
}

/** Reads tensors of a checkpoint folder on demand. Call `close()` when done. */
export class CheckpointTensorReader {
  /** Bytes read from files so far, and the time spent waiting for them. */
  readonly stats = { bytes: 0, ms: 0 };

  private constructor(
    readonly dir: string,
    private readonly tensors: Map<string, StoredTensor>,
    private readonly handles: Map<string, FileHandle>,
  ) {}

  /** Parses every shard's header (a few KB each); throws naming the file for anything malformed. */
  static async open(dir: string): Promise<CheckpointTensorReader> {
    const tensors = new Map<string, StoredTensor>();
    const handles = new Map<string, FileHandle>();
    try {
      for (const f of await shardFiles(dir)) {
        const file = path.join(dir, f);
        const fh = await open(file, "r");
        handles.set(f, fh);
        const size = (await fh.stat()).size;
        const first8 = new Uint8Array(8);
        await readExactly(fh, first8, 0, file);
        const n = safetensorsHeaderLength(first8, file);
        if (8 + n > size) throw new Error(`${file}: header length ${n} exceeds file size ${size}`);
        const header = new Uint8Array(n);
        await readExactly(fh, header, 8, file);
        const { entries } = parseSafetensorsHeader(header, size - 8 - n, file);
        for (const [name, e] of entries) {
          const dtype = checkFloatEntry(e, name, file);
          const [begin, end] = e.dataOffsets;
          tensors.set(name, {
            name,
            file: f,
            dtype,
            shape: e.shape,
            position: 8 + n + begin,
            byteLength: end - begin,
          });
        }
      }
    } catch (err) {
      await Promise.all([...handles.values()].map((h) => h.close()));
      throw err;
    }
    return new CheckpointTensorReader(dir, tensors, handles);
  }

  names(): string[] {
    return [...this.tensors.keys()];
  }

  /** The tensor's location, or undefined. */
  find(name: string): StoredTensor | undefined {
    return this.tensors.get(name);
  }

  /** The tensor's location; throws naming the folder when it is absent. */
  get(name: string): StoredTensor {
    const t = this.tensors.get(name);
    if (t === undefined) throw new Error(`${this.dir}: tensor ${name} not found`);
    return t;
  }

  /**
   * Raw stored bytes of rows [rowStart, rowStart + rowCount) along the first axis (default: the whole tensor),
   * into `into` when given (must be large enough). One positioned read.
   */
  async readRows(name: string, rowStart = 0, rowCount?: number, into?: Uint8Array): Promise<Uint8Array> {
    const t = this.get(name);
    const rows = t.shape[0] ?? 1;
    const count = rowCount ?? rows - rowStart;
    if (rowStart < 0 || count < 0 || rowStart + count > rows)
      throw new Error(`${this.dir}: rows [${rowStart}, ${rowStart + count}) outside ${name} [${t.shape}]`);
    const rowBytes = rows === 0 ? 0 : t.byteLength / rows;
    const length = count * rowBytes;
    const out = into === undefined ? new Uint8Array(length) : into.subarray(0, length);
    if (out.byteLength < length)
      throw new Error(`readRows: buffer holds ${out.byteLength} bytes, need ${length}`);
    const started = performance.now();
    await readExactly(
      this.handles.get(t.file) as FileHandle,
      out,
      t.position + rowStart * rowBytes,
      path.join(this.dir, t.file),
    );
    this.stats.ms += performance.now() - started;
    this.stats.bytes += length;
    return out;
  }

  /** Rows of a tensor (default all) decoded to float32, with their shape. */
  async readFloat32(name: string, rowStart = 0, rowCount?: number): Promise<HostTensor> {
    const t = this.get(name);
    const bytes = await this.readRows(name, rowStart, rowCount);
    const rows = bytes.byteLength / BYTES_PER_ELEMENT[t.dtype] / Math.max(1, sizeOfRow(t.shape));
    return {
      shape: t.shape.length === 0 ? [] : [rows, ...t.shape.slice(1)],
      values: decodeToFloat32(bytes, t.dtype),
    };
  }

  async close(): Promise<void> {
    const all = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(all.map((h) => h.close()));
  }
}

/** Elements per row (first axis) of a shape. */
export function sizeOfRow(shape: readonly number[]): number {
  return shape.slice(1).reduce((a, b) => a * b, 1);
}
