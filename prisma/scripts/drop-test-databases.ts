// Usage: DATABASE_URL=postgresql://… tsx scripts/drop-test-databases.ts <prefix>  (called by scripts/test.mjs)
import { dropTestDatabases } from "../src/testing.ts";

const [prefix] = process.argv.slice(2);
const url = process.env.DATABASE_URL;
if (!prefix || !url?.startsWith("postgres")) {
  console.error("usage: DATABASE_URL=postgresql://… drop-test-databases <bupo_test_prefix>");
  process.exit(2);
}
const dropped = await dropTestDatabases(url, prefix);
if (dropped.length) console.log(`Dropped leftover test databases: ${dropped.join(", ")}`);
