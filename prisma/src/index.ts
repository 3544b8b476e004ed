export { DEMO_LOGIN, DEMO_TEAM, seedDemo } from "../seed/demo.ts";
export { seedTeam } from "../seed/teams.ts";
export { seedUser } from "../seed/users.ts";
export * from "./client.ts";
export * from "./database-url.ts";
export { type MigrationStatus, type Migrator, migrateDatabase, openMigrator } from "./migrator.ts";
export { hashPassword, verifyPassword } from "./password.ts";
