import { defineConfig } from "vitest/config";

const pipeline = "test/pipeline/**/*.test.ts";

export default defineConfig({
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Pipeline tests spawn real web and trainer processes; one file at a time keeps 2 cores honest.
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: { name: "web", include: ["src/**/*.test.ts", "test/**/*.test.ts"], exclude: [pipeline] },
      },
      {
        extends: true,
        // Web and trainer processes share the test's database: without a PostgreSQL server, the embedded
        // PGlite is served to them over the wire (@bupo/db/testing).
        test: { name: "pipeline", include: [pipeline], env: { BUPO_TEST_DB_SHARED: "1" } },
      },
    ],
  },
});
