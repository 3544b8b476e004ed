#!/usr/bin/env -S npx tsx
/**
 * bupo-trainer CLI. Thin entry point: picks a command and hands over argv; each command lives in its own
 * file and is loaded on demand (so `grade` never loads TensorFlow.js).
 */
type Command = { summary: string; run(argv: string[]): Promise<void> };

const COMMANDS: Record<string, Command> = {
  serve: {
    summary: "run the trainer service (GET /health; jobs from the web app)",
    run: async () => (await import("./serve-command.ts")).serveCommand(),
  },
  analyze: {
    summary: "internal-policy entropies of a checkpoint or preset",
    run: async (a) => (await import("./analyze-command.ts")).run(a),
  },
  "compare-layers": {
    summary: "linear CKA between the layers of two or more models on the same inputs",
    run: async (a) => (await import("./compare-layers-command.ts")).run(a),
  },
  sample: {
    summary: "sample text from an internal layer policy π_k (what layer k would say)",
    run: async (a) => (await import("./sample-command.ts")).run(a),
  },
  bench: {
    summary: "speed and memory: train step, rollout, analysis, matMul",
    run: async (a) => (await import("./bench-command.ts")).run(a),
  },
  "bench-stream": {
    summary: "streamed analysis of real-shape checkpoints: time vs FLOP floor, reads, peak RSS",
    run: async (a) => (await import("./bench-stream-command.ts")).run(a),
  },
  train: {
    summary: "GRPO / BuPO training from a run config JSON",
    run: async (a) => (await import("./train-command.ts")).run(a),
  },
  grade: {
    summary: "score JSONL {response, ground_truth} with the MATH grader",
    run: async (a) => (await import("./grade-command.ts")).run(a),
  },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return `usage: bupo-trainer <command> [options]\n\ncommands:\n${rows.join("\n")}`;
}

const [name, ...argv] = process.argv.slice(2);
const command = name ? COMMANDS[name] : undefined;
if (!command) {
  console.error(name && name !== "--help" ? `unknown command "${name}"\n\n${usage()}` : usage());
  process.exit(name === "--help" ? 0 : 2);
}
try {
  await command.run(argv);
} catch (e) {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
