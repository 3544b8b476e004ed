import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const trainerDir = path.resolve(import.meta.dirname, "../..");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe("bupo-trainer serve without TRAINER_TOKEN", () => {
  it("refuses to start, so nothing answers job.list or capabilities without credentials", async () => {
    const port = await freePort();
    const { TRAINER_TOKEN: _, WEB_URL: __, ...env } = process.env;
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], {
      cwd: trainerDir,
      env: {
        ...env,
        TRAINER_PORT: String(port),
        TRAINER_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "bupo-serve-no-token-")),
        TRAINER_BACKEND: "cpu",
        BUPO_NATIVE_KERNELS: "off",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    // Wait until it either gives up or (the old behaviour) listens.
    const outcome = await Promise.race([
      exited.then(() => "exited" as const),
      new Promise<"listening">((r) => {
        const check = () => /trainer listening/.test(out) && r("listening");
        child.stdout.on("data", check);
      }),
      new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 45_000)),
    ]);
    try {
      for (const call of ["job.list", "capabilities"]) {
        const res = await fetch(`http://127.0.0.1:${port}/trpc/${call}`).catch(() => null);
        expect(res?.status ?? "refused", `${call} without credentials`).not.toBe(200);
      }
      expect(outcome).toBe("exited");
      expect(await exited).toBe(1);
      expect(out).toContain("TRAINER_TOKEN is not set, so `serve` refuses to start");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 60_000);
});
