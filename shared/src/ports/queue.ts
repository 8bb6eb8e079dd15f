// Job queue port: the in-process runner (embedded) and BullMQ (cluster) share these semantics:
// attempts with fixed/exponential backoff, jobs that fail for good land in the dead-letter list
// (where they can be listed, retried and removed), a jobId given twice is queued once, and two
// error classes steer retries:
//   UnrecoverableError  no retry: the job goes to the dead letters at once;
//   RetryAfterError(ms) run again after `ms` without counting a failed attempt (provider 429s).
// Fairness between tenants: a job may name a group (its merchant); a consumer started with
// `perGroupConcurrency` runs at most that many jobs of one group at once, across every consumer of
// the queue, and a job whose group is full waits (no attempt counted) while other groups' jobs go
// ahead of it. `groupDepth` counts a group's unfinished jobs, so producers can bound a group's backlog.
// The queue is generic over a table of job schemas (the application's is `jobSchemas` in
// contracts/jobs.ts): `add` refuses a payload its schema rejects, and the consumer side parses it
// again before the handler runs (an invalid payload fails unrecoverably).
import type { z } from "zod";
import { JOB_TRACE_KEY, jobSchemas, jobTraceOf, type AppJobSchemas } from "../contracts/jobs.js";
import { RetryAfterError, UnrecoverableError, ValidationError } from "../errors.js";

export { RetryAfterError, UnrecoverableError };

export interface BackoffOptions {
  type: "fixed" | "exponential";
  /** Base delay in ms: fixed waits this long; exponential waits delay * 2^(attempt-1). */
  delayMs: number;
}

export interface JobOptions {
  /** Deduplicates: adding a job whose id is already known (waiting, running, done recently or dead) does nothing. */
  jobId?: string;
  /** Total tries, the first one included (default 3). RetryAfterError tries do not count. */
  attempts?: number;
  backoff?: BackoffOptions;
  /** Wait before the first try. */
  delayMs?: number;
  /** Fairness group, e.g. the merchant: see `perGroupConcurrency` and `groupDepth`. */
  group?: string;
}

export interface ProcessOptions {
  /** Jobs this consumer runs at once (default 1). */
  concurrency?: number;
  /**
   * At most this many jobs of one group run at once across every consumer of the queue; the rest
   * of that group waits without using attempts, and other groups' jobs are not held up behind it.
   * Jobs without a group are not limited.
   */
  perGroupConcurrency?: number;
}

/** Job name -> payload schema. */
export type JobSchemas = Record<string, z.ZodType>;
export type JobName<M extends JobSchemas> = Extract<keyof M, string>;
/** What a producer passes to `add` (schema defaults may be left out). */
export type JobInput<M extends JobSchemas, N extends JobName<M>> = z.input<M[N]>;
/** What a handler receives: the payload as the schema parsed it. */
export type JobData<M extends JobSchemas, N extends JobName<M>> = z.output<M[N]>;

export interface Job<T> {
  id: string;
  name: string;
  data: T;
  /** 1 on the first try; tries ended by RetryAfterError do not count. */
  attempt: number;
}

export type JobHandler<T> = (job: Job<T>) => Promise<void>;

export interface DeadLetter {
  id: string;
  name: string;
  /** The payload's merchantId when it has one (dead letters are listed per merchant). */
  merchantId: string | null;
  data: unknown;
  error: string;
  attempts: number;
  failedAt: string;
}

/**
 * Limits dead-letter operations to one merchant's jobs (those whose payload carries that
 * merchantId). Request handlers always pass it; only operator tooling goes without.
 */
export interface DeadLetterScope {
  merchantId?: string;
}

export interface JobQueue<M extends JobSchemas = AppJobSchemas> {
  /** The job table this queue validates payloads against. */
  readonly schemas: M;
  /** Validates `data` with the job's schema (ValidationError when it does not fit) and queues it. */
  add<N extends JobName<M>>(name: N, data: JobInput<M, N>, options?: JobOptions): Promise<{ id: string }>;
  /** Starts consuming `name` in this process. */
  process<N extends JobName<M>>(name: N, handler: JobHandler<JobData<M, N>>, options?: ProcessOptions): void;
  /** Jobs of `name` that failed for good, newest first. */
  deadLetters(name: JobName<M>, scope?: DeadLetterScope): Promise<DeadLetter[]>;
  /** Queues a dead letter again with a fresh set of attempts; false when there is no such dead letter (in scope). */
  retryDeadLetter(name: JobName<M>, id: string, scope?: DeadLetterScope): Promise<boolean>;
  /** Forgets a dead letter (its jobId may then be added again); false when there is no such dead letter (in scope). */
  removeDeadLetter(name: JobName<M>, id: string, scope?: DeadLetterScope): Promise<boolean>;
  /** Jobs waiting or delayed (for queue-depth metrics). */
  depth(name: JobName<M>): Promise<number>;
  /** Jobs of `group` added and not finished yet: waiting, delayed or running (dead letters do not count). */
  groupDepth(name: JobName<M>, group: string): Promise<number>;
  /** Stops taking new jobs, waits for running ones, closes connections. */
  close(): Promise<void>;
}

/** Adapters default to the application's job table; any other table must be passed. */
export type SchemasOption<M extends JobSchemas> = AppJobSchemas extends M ? { schemas?: M } : { schemas: M };

export function schemasOrDefault<M extends JobSchemas>(option: SchemasOption<M>): M {
  // Without a table M is the application's (SchemasOption makes `schemas` required otherwise).
  return option.schemas ?? (jobSchemas as JobSchemas as M);
}

export const DEFAULT_JOB_ATTEMPTS = 3;
export const DEFAULT_BACKOFF: BackoffOptions = { type: "exponential", delayMs: 500 };
/** Dead letters one list call inspects (newest first). */
export const DEAD_LETTER_LIST_LIMIT = 1000;

export function backoffDelay(backoff: BackoffOptions, attemptsMade: number): number {
  return backoff.type === "fixed" ? backoff.delayMs : backoff.delayMs * 2 ** Math.max(0, attemptsMade - 1);
}

/** Our UnrecoverableError and BullMQ's share the name, which is what BullMQ itself checks. */
export function isUnrecoverable(err: unknown): boolean {
  return err instanceof UnrecoverableError || (err instanceof Error && err.name === "UnrecoverableError");
}

/** The delay a RetryAfterError asks for, or null for any other failure. */
export function retryAfterDelay(err: unknown): number | null {
  if (err instanceof RetryAfterError) return err.delayMs;
  // A second copy of this module (bundling) still produces the same shape.
  if (err instanceof Error && err.name === "RetryAfterError") {
    const ms = (err as Error & { delayMs?: unknown }).delayMs;
    if (typeof ms === "number" && Number.isFinite(ms) && ms >= 0) return ms;
  }
  return null;
}

function schemaOf(schemas: JobSchemas, name: string): z.ZodType {
  const schema = isJobName(schemas, name) ? schemas[name] : undefined;
  if (!schema) throw new Error(`unknown job "${name}": add it to the job schemas (contracts/jobs.ts)`);
  return schema;
}

/** The producer's side: the payload as the schema parses it, or a ValidationError naming what is wrong. */
export function validateJobInput(schemas: JobSchemas, name: string, data: unknown): unknown {
  const parsed = schemaOf(schemas, name).safeParse(data);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ");
    throw new ValidationError(`Invalid payload for job "${name}": ${where}`, parsed.error.issues);
  }
  return keepTrace(data, parsed.data);
}

/**
 * Schemas strip keys they do not list; the trace context (contracts/jobs.ts) is the one key every
 * payload may carry beyond its schema, kept only when it is a valid one.
 */
function keepTrace(raw: unknown, parsed: unknown): unknown {
  const trace = jobTraceOf(raw);
  if (!trace || !parsed || typeof parsed !== "object") return parsed;
  return { ...parsed, [JOB_TRACE_KEY]: trace };
}

/** The consumer's side: a payload that no longer fits its schema will never succeed. */
export function parseJobData(schemas: JobSchemas, name: string, data: unknown): unknown {
  const parsed = schemaOf(schemas, name).safeParse(data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload for job "${name}": ${parsed.error.message}`);
  return keepTrace(data, parsed.data);
}

/** Narrows a name from outside (a REST path, a CLI argument) to one of the table's jobs. */
export function isJobName<M extends JobSchemas>(schemas: M, name: string): name is JobName<M> {
  return Object.hasOwn(schemas, name);
}

/** Throws early for a name the queue has no schema for (a typo in a process() call). */
export function assertKnownJob(schemas: JobSchemas, name: string): void {
  schemaOf(schemas, name);
}

/** The merchant a payload belongs to, for scoping dead letters. */
export function payloadMerchantId(data: unknown): string | null {
  if (data && typeof data === "object" && "merchantId" in data) {
    const id = (data as { merchantId: unknown }).merchantId;
    return typeof id === "string" ? id : null;
  }
  return null;
}

export function inScope(letter: { data: unknown }, scope: DeadLetterScope | undefined): boolean {
  return scope?.merchantId === undefined || payloadMerchantId(letter.data) === scope.merchantId;
}
