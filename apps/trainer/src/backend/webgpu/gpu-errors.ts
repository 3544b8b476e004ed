/**
 * Dawn reports validation errors (a binding above maxStorageBufferBindingSize, too many storage buffers in a
 * shader, ...) on the device, not as exceptions: the kernel then writes nothing or garbage and the result looks
 * valid. Every such error is captured here and raised on the next read of a tensor, so the job that read it
 * fails with Dawn's message instead of training on a wrong value.
 */

export class GpuValidationError extends Error {
  override name = "GpuValidationError";
}

const MAX_KEPT = 5;

export class GpuErrorLog {
  private messages: string[] = [];
  private total = 0;

  constructor(device: GPUDevice) {
    device.addEventListener("uncapturederror", (event) => {
      this.record(`${(event as GPUUncapturedErrorEvent).error.message}`);
    });
    void device.lost.then((info) => {
      if (info.reason !== "destroyed") this.record(`GPU device lost: ${info.message}`);
    });
  }

  record(message: string): void {
    this.total += 1;
    if (this.messages.length < MAX_KEPT) this.messages.push(message.trim());
  }

  /** Throws (and clears the log) when any error was reported since the last call. */
  raise(): void {
    if (this.total === 0) return;
    const more = this.total > this.messages.length ? ` (+${this.total - this.messages.length} more)` : "";
    const text = `WebGPU error, results are invalid: ${this.messages.join(" | ")}${more}`;
    this.messages = [];
    this.total = 0;
    throw new GpuValidationError(text);
  }
}

interface ReadingBackend {
  read(dataId: object): Promise<unknown>;
}

/** Makes every async read of `backend` raise the errors Dawn reported before the data arrived. */
export function raiseErrorsOnRead(backend: ReadingBackend, log: GpuErrorLog): void {
  const read = backend.read.bind(backend);
  backend.read = async (dataId) => {
    const values = await read(dataId);
    log.raise();
    return values;
  };
}
