import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // PGlite and the Prisma driver adapters load .wasm / native files at run time: keep them out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@node-rs/argon2"],
  typescript: { tsconfigPath: "tsconfig.json" },
};

export default config;
