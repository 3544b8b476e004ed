// Usage: DATABASE_URL=postgresql://…|pglite:<dir> tsx scripts/migrate.ts deploy|status|create <name>
import { parseDatabaseUrl } from "../src/database-url.ts";
import { openMigrator } from "../src/migrator.ts";

const [command, name] = process.argv.slice(2);
const USAGE = "usage: migrate deploy | status | create <name>";
if (!command || !["deploy", "status", "create"].includes(command) || (command === "create" && !name)) {
  console.error(USAGE);
  process.exit(2);
}
const target = parseDatabaseUrl(process.env.DATABASE_URL, new URL("../..", import.meta.url).pathname);
const migrator = await openMigrator({ target });
try {
  if (command === "deploy") {
    const applied = await migrator.deploy();
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "No pending migrations.");
  } else if (command === "status") {
    const s = await migrator.status();
    console.log(JSON.stringify(s, null, 2));
    if (!s.upToDate) process.exitCode = 1;
  } else {
    const folder = await migrator.create(name!);
    console.log(
      folder
        ? `Created prisma/migrations/${folder}/migration.sql`
        : "No schema changes; no migration created.",
    );
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await migrator.close();
  process.exit(process.exitCode ?? 0); // pools held by the engine would keep node alive for seconds
}
