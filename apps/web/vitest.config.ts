import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Pipeline tests spawn real web and trainer processes; one file at a time keeps 2 cores honest.
    fileParallelism: false,
  },
});
