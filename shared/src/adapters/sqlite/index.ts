export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from "./store.js";
export { migrations as sqliteMigrations, migrate as migrateSqlite, type Migration as SqliteMigration } from "./migrations.js";
