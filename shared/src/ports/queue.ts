// Job queue port: the in-process runner (embedded) and BullMQ (cluster) share these semantics:
// attempts with fixed/exponential backoff, UnrecoverableError stops retries, jobs that fail for
// good land in the dead-letter list, and a jobId given twice is queued once.
import { UnrecoverableError } from "../errors.js";

export interface BackoffOptions {
  type: "fixed" | "exponential";
  /** Base delay in ms: fixed waits this long; exponential waits delay * 2^(attempt-1). */
  delayMs: number;
}

export interface JobOptions {
  /** Deduplicates: adding a job whose id is already known (waiting, running, done recently or dead) does nothing. */
  jobId?: string;
  /** Total tries, the first one included (default 3). */
  attempts?: number;
  backoff?: BackoffOptions;
  /** Wait before the first try. */
  delayMs?: number;
}

export interface Job<T> {
  id: string;
  name: string;
  data: T;
  /** 1 on the first try. */
  attempt: number;
}

export type JobHandler<T> = (job: Job<T>) => Promise<void>;

export interface DeadLetter {
  id: string;
  name: string;
  data: unknown;
  error: string;
  attempts: number;
  failedAt: string;
}

export interface JobQueue {
  add<T>(name: string, data: T, options?: JobOptions): Promise<{ id: string }>;
  /** Starts consuming `name` in this process. */
  process<T>(name: string, handler: JobHandler<T>, options?: { concurrency?: number }): void;
  deadLetters(name: string): Promise<DeadLetter[]>;
  /** Jobs waiting or delayed (for queue-depth metrics). */
  depth(name: string): Promise<number>;
  /** Stops taking new jobs, waits for running ones, closes connections. */
  close(): Promise<void>;
}

export const DEFAULT_JOB_ATTEMPTS = 3;
export const DEFAULT_BACKOFF: BackoffOptions = { type: "exponential", delayMs: 500 };

export function backoffDelay(backoff: BackoffOptions, attemptsMade: number): number {
  return backoff.type === "fixed" ? backoff.delayMs : backoff.delayMs * 2 ** Math.max(0, attemptsMade - 1);
}

/** Our UnrecoverableError and BullMQ's share the name, which is what BullMQ itself checks. */
export function isUnrecoverable(err: unknown): boolean {
  return err instanceof UnrecoverableError || (err instanceof Error && err.name === "UnrecoverableError");
}
