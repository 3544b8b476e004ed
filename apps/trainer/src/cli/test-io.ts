/** Test-only: an in-memory {@link CliIo} that records what a command writes. */
import { Readable } from "node:stream";
import type { CliIo } from "./args.ts";

export interface RecordingIo extends CliIo {
  out: string;
  err: string;
}

export function recordingIo(stdin = ""): RecordingIo {
  const io: RecordingIo = {
    out: "",
    err: "",
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
    stdin: Readable.from([Buffer.from(stdin)]),
    stderrIsTty: false,
  };
  return io;
}
