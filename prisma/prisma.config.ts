import { defineConfig } from "prisma/config";

// Used by `prisma generate` only. Migrations run through scripts/migrate.ts (the Rust
// schema engine cannot be downloaded here); the datasource URL is never needed to generate.
export default defineConfig({
  schema: "schema.prisma",
});
