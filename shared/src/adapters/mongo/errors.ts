// Driver errors → the port's typed errors. Pure: it reads names, codes and labels only, so the
// unit tests build errors of the driver's classes without a server.
import { ConflictError, StoreUnavailableError, type StoreFault } from "../../errors.js";

const DUPLICATE_KEY = new Set([11000, 11001]);

/** Server codes that mean "not now": no primary, stepping down, shutting down, timed out, contended. */
const FAULT_BY_CODE: ReadonlyMap<number, StoreFault> = new Map([
  [6, "unreachable"], // HostUnreachable
  [7, "unreachable"], // HostNotFound
  [89, "unreachable"], // NetworkTimeout
  [9001, "unreachable"], // SocketException
  [91, "unreachable"], // ShutdownInProgress
  [11600, "unreachable"], // InterruptedAtShutdown
  [10107, "read_only"], // NotWritablePrimary
  [13435, "read_only"], // NotPrimaryNoSecondaryOk
  [13436, "read_only"], // NotPrimaryOrSecondary
  [189, "read_only"], // PrimarySteppedDown
  [11602, "read_only"], // InterruptedDueToReplStateChange
  [50, "busy"], // MaxTimeMSExpired
  [262, "busy"], // ExceededTimeLimit
  [24, "busy"], // LockTimeout
  [112, "busy"], // WriteConflict (left over after the transaction's own retries)
  [251, "busy"], // NoSuchTransaction (aborted under us, e.g. by a failover)
  [14031, "full"], // OutOfDiskSpace
]);

/** Driver / mongoose error classes that mean the server was not reachable or did not answer in time. */
const UNREACHABLE_NAMES = new Set([
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoServerSelectionError",
  "MongoTopologyClosedError",
  "MongoNotConnectedError",
  "MongoPoolClearedError",
  "MongoOperationTimeoutError",
  "MongooseServerSelectionError",
]);

interface DriverLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  errorLabels?: unknown;
  errorLabelSet?: unknown;
  hasErrorLabel?: unknown;
}

function labelsOf(error: DriverLike): string[] {
  if (typeof error.hasErrorLabel === "function") {
    const labels: string[] = [];
    for (const label of ["TransientTransactionError", "RetryableWriteError", "ResetPool", "NoWritesPerformed"]) {
      if ((error.hasErrorLabel as (l: string) => boolean).call(error, label)) labels.push(label);
    }
    return labels;
  }
  if (Array.isArray(error.errorLabels)) return error.errorLabels.filter((l): l is string => typeof l === "string");
  return [];
}

/** A unique index refused the write (E11000). */
export function isDuplicateKey(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as DriverLike & { writeErrors?: unknown };
  if (typeof e.code === "number" && DUPLICATE_KEY.has(e.code)) return true;
  // insertMany / bulkWrite report per-document errors.
  if (Array.isArray(e.writeErrors)) return e.writeErrors.some((w) => w && typeof w === "object" && DUPLICATE_KEY.has((w as { code?: number }).code ?? -1));
  return false;
}

/** The index a duplicate-key error names (the server's message says `index: <name> dup key`). */
export function duplicateKeyIndex(error: unknown): string | null {
  if (!isDuplicateKey(error)) return null;
  const message = String((error as DriverLike).message ?? "");
  return /index: (\S+) dup key/.exec(message)?.[1] ?? null;
}

/** Why the store is unavailable, or null when the error is not an engine fault. */
export function faultOf(error: unknown): StoreFault | null {
  if (!error || typeof error !== "object") return null;
  const e = error as DriverLike;
  const name = typeof e.name === "string" ? e.name : "";
  if (UNREACHABLE_NAMES.has(name)) return "unreachable";
  // bufferCommands is off, but a model used before connect() finished says so in a MongooseError.
  if (name === "MongooseError" && /buffering timed out|before initial connection/i.test(String(e.message ?? ""))) return "unreachable";
  if (typeof e.code === "number") {
    const fault = FAULT_BY_CODE.get(e.code);
    if (fault) return fault;
  }
  const labels = labelsOf(e);
  // Retries the driver gave up on: the same request may succeed once the cluster settles.
  if (labels.includes("TransientTransactionError") || labels.includes("RetryableWriteError")) return "busy";
  return null;
}

/** Engine faults become StoreUnavailableError (503 / `unavailable`, retried by jobs); the rest as thrown. */
export function mapDriverError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || error instanceof ConflictError) return error;
  const fault = faultOf(error);
  return fault ? new StoreUnavailableError(fault, error) : error;
}

/** Runs `fn`, turning a duplicate key into ConflictError(message) and engine faults into StoreUnavailableError. */
export async function conflictOnDuplicate<T>(message: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isDuplicateKey(error)) throw new ConflictError(message);
    throw error;
  }
}
