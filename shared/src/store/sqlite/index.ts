export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from "./store.js";
export { migrations, migrate, type Migration } from "./migrations.js";
