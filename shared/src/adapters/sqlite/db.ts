// The connection shared by every repository: pragmas, a cache so each SQL text is prepared
// once, and IMMEDIATE transactions (the write lock is taken up front, so read-check-write
// sequences cannot interleave with another connection's writes).
import Database from "better-sqlite3";
import { ensurePrivateFile } from "../../data-dir.js";
import { ConflictError, StoreUnavailableError, type StoreFault } from "../../errors.js";
import type { PiiVault } from "../../pii.js";
import { foldSearchText } from "../../store/defaults.js";
import { migrate } from "./migrations.js";

export type Params = Record<string, unknown>;

export class SqliteDb {
  readonly raw: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  // Built once: wrapping a fresh function in db.transaction() on every call costs more than the insert.
  private readonly inTransaction: Database.Transaction<(fn: () => unknown) => unknown>;
  /**
   * Statements run on this connection, for tests and benchmarks that count what one operation
   * costs (a number, never a timing). `trace`, when set, also gets each statement's SQL.
   */
  executed = 0;
  trace: ((sql: string) => void) | null = null;

  /** Seals customer contact details in and out of their columns (see shared/src/pii.ts). */
  readonly pii: PiiVault;

  constructor(file: string, options: { pii: PiiVault; busyTimeoutMs?: number; maxPageCount?: number }) {
    this.pii = options.pii;
    // SQLite gives -wal and -shm the database file's mode, so an owner-only file keeps all three private.
    const onDisk = file !== ":memory:" && file !== "";
    if (onDisk) ensurePrivateFile(file);
    this.raw = new Database(file);
    this.raw.pragma("journal_mode = WAL");
    this.raw.pragma("synchronous = NORMAL");
    this.raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    this.raw.pragma("foreign_keys = ON");
    migrate(this.raw);
    if (options.maxPageCount !== undefined) this.raw.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxPageCount))}`);
    // Deterministic, so SQLite may evaluate it once per row and value.
    this.raw.function("kaleem_fold", { deterministic: true }, (value: unknown) =>
      typeof value === "string" ? foldSearchText(value) : null,
    );
    this.inTransaction = this.raw.transaction((fn: () => unknown) => fn());
  }

  private stmt(sql: string): Database.Statement {
    this.executed++;
    this.trace?.(sql);
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.raw.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  get<Row>(sql: string, params: Params = {}): Row | undefined {
    return engineFaults(() => this.stmt(sql).get(params) as Row | undefined);
  }

  all<Row>(sql: string, params: Params = {}): Row[] {
    return engineFaults(() => this.stmt(sql).all(params) as Row[]);
  }

  run(sql: string, params: Params = {}): number {
    return engineFaults(() => this.stmt(sql).run(params).changes);
  }

  /**
   * Runs `fn` in an IMMEDIATE transaction (nested calls become savepoints). A statement that fails
   * inside rolls the whole transaction back, so a refused write leaves no partial rows.
   */
  tx<T>(fn: () => T): T {
    return engineFaults(() => this.inTransaction.immediate(fn) as T);
  }

  close(): void {
    this.statements.clear();
    if (this.raw.open) this.raw.close();
  }
}

/** SQLite result codes that mean "not now", not "wrong": the caller may retry the same write. */
function faultOf(error: unknown): StoreFault | null {
  const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "";
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "busy";
  if (code === "SQLITE_FULL") return "full";
  if (code.startsWith("SQLITE_IOERR")) return "io";
  if (code.startsWith("SQLITE_READONLY")) return "read_only";
  return null;
}

/** Engine faults become StoreUnavailableError (503 / `unavailable`, retried by jobs); the rest as thrown. */
function engineFaults<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    const fault = faultOf(error);
    if (fault) throw new StoreUnavailableError(fault, error);
    throw error;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Error &&
    "code" in error &&
    (error.code === "SQLITE_CONSTRAINT_UNIQUE" || error.code === "SQLITE_CONSTRAINT_PRIMARYKEY")
  );
}

/** Turns a unique-index violation into a ConflictError; rethrows anything else. */
export function conflictOnUnique<T>(message: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(message);
    throw error;
  }
}

export const toJson = (value: unknown): string => JSON.stringify(value ?? null);
export const fromJson = <T>(text: string): T => JSON.parse(text) as T;
