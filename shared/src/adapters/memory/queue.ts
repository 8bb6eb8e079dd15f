// The embedded job runner: same contract as the BullMQ queue (attempts, backoff, retry-after,
// dead letters, jobId dedupe, payload validation), in process and without persistence.
import type { AppJobSchemas } from "../../contracts/jobs.js";
import { newId } from "../../ids.js";
import {
  DEAD_LETTER_LIST_LIMIT,
  DEFAULT_BACKOFF,
  DEFAULT_JOB_ATTEMPTS,
  assertKnownJob,
  backoffDelay,
  inScope,
  isUnrecoverable,
  parseJobData,
  payloadMerchantId,
  retryAfterDelay,
  schemasOrDefault,
  validateJobInput,
  type DeadLetter,
  type DeadLetterScope,
  type JobData,
  type JobHandler,
  type JobInput,
  type JobName,
  type JobOptions,
  type JobQueue,
  type JobSchemas,
  type ProcessOptions,
  type SchemasOption,
} from "../../ports/queue.js";

interface QueuedJob {
  id: string;
  name: string;
  data: unknown;
  /** Fairness group; "" for jobs without one (never limited). */
  group: string;
  attemptsMade: number;
  attempts: number;
  backoff: NonNullable<JobOptions["backoff"]>;
}

/**
 * One job name's waiting jobs, per group, taken round-robin: the next job comes from the next group
 * that has one waiting and room to run it, so a group with a long backlog waits its turn.
 */
class WaitingJobs {
  private readonly byGroup = new Map<string, QueuedJob[]>();
  /** Groups with waiting jobs, in the order they get their next turn. */
  private turns: string[] = [];
  size = 0;

  push(job: QueuedJob): void {
    const list = this.byGroup.get(job.group);
    if (list) list.push(job);
    else {
      this.byGroup.set(job.group, [job]);
      this.turns.push(job.group);
    }
    this.size += 1;
  }

  /** The first job of the first group in turn that `mayRun`; that group goes to the back of the line. */
  take(mayRun: (group: string) => boolean): QueuedJob | null {
    for (let i = 0; i < this.turns.length; i++) {
      const group = this.turns[i]!;
      if (!mayRun(group)) continue;
      const list = this.byGroup.get(group)!;
      const job = list.shift()!;
      this.turns.splice(i, 1);
      if (list.length > 0) this.turns.push(group);
      else this.byGroup.delete(group);
      this.size -= 1;
      return job;
    }
    return null;
  }
}

interface Consumer {
  handler: JobHandler<unknown>;
  concurrency: number;
  perGroup: number | null;
  running: number;
  runningByGroup: Map<string, number>;
}

interface DeadJob {
  job: QueuedJob;
  error: string;
  failedAt: string;
}

/** Completed job ids are remembered this long for jobId dedupe (BullMQ keeps them as long). */
const COMPLETED_RETENTION_MS = 3600_000;

const knownKey = (name: string, id: string) => `${name}\u0000${id}`;

export class MemoryJobQueue<M extends JobSchemas = AppJobSchemas> implements JobQueue<M> {
  readonly schemas: M;
  private readonly waiting = new Map<string, WaitingJobs>();
  private readonly handlers = new Map<string, Consumer>();
  /** Unfinished jobs per name and group (groupDepth). */
  private readonly unfinished = new Map<string, number>();
  private readonly known = new Map<string, number>();
  private readonly dead = new Map<string, DeadJob[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private delayed = new Map<string, number>();
  private closed = false;

  /** `schemas` defaults to the application's jobs; tests pass their own table. */
  constructor(options: SchemasOption<M> = {} as SchemasOption<M>) {
    this.schemas = schemasOrDefault<M>(options);
  }

  async add<N extends JobName<M>>(name: N, data: JobInput<M, N>, options: JobOptions = {}): Promise<{ id: string }> {
    if (this.closed) throw new Error("queue is closed");
    const payload = validateJobInput(this.schemas, name, data);
    const id = options.jobId ?? newId();
    if (this.known.size > 10_000) this.forgetOld();
    const seenAt = this.known.get(knownKey(name, id));
    if (seenAt !== undefined && seenAt > Date.now() - COMPLETED_RETENTION_MS) return { id };
    this.known.set(knownKey(name, id), Number.MAX_SAFE_INTEGER);
    const job: QueuedJob = {
      id,
      name,
      data: structuredClone(payload),
      group: options.group ?? "",
      attemptsMade: 0,
      attempts: Math.max(1, options.attempts ?? DEFAULT_JOB_ATTEMPTS),
      backoff: options.backoff ?? DEFAULT_BACKOFF,
    };
    this.countUnfinished(job, 1);
    this.enqueue(job, options.delayMs ?? 0);
    return { id };
  }

  process<N extends JobName<M>>(name: N, handler: JobHandler<JobData<M, N>>, options: ProcessOptions = {}): void {
    assertKnownJob(this.schemas, name);
    if (this.handlers.has(name)) throw new Error(`a processor for ${name} is already registered`);
    this.handlers.set(name, {
      handler: handler as JobHandler<unknown>,
      concurrency: Math.max(1, options.concurrency ?? 1),
      perGroup: options.perGroupConcurrency === undefined ? null : Math.max(1, options.perGroupConcurrency),
      running: 0,
      runningByGroup: new Map(),
    });
    this.pump(name);
  }

  async groupDepth(name: JobName<M>, group: string): Promise<number> {
    return this.unfinished.get(knownKey(name, group)) ?? 0;
  }

  private countUnfinished(job: QueuedJob, delta: number): void {
    if (job.group === "") return;
    const key = knownKey(job.name, job.group);
    const next = (this.unfinished.get(key) ?? 0) + delta;
    if (next > 0) this.unfinished.set(key, next);
    else this.unfinished.delete(key);
  }

  async deadLetters(name: JobName<M>, scope?: DeadLetterScope): Promise<DeadLetter[]> {
    const list = this.dead.get(name) ?? [];
    return list
      .slice(-DEAD_LETTER_LIST_LIMIT)
      .reverse()
      .filter((d) => inScope(d.job, scope))
      .map((d) => ({
        id: d.job.id,
        name: d.job.name,
        merchantId: payloadMerchantId(d.job.data),
        data: structuredClone(d.job.data),
        error: d.error,
        attempts: d.job.attemptsMade,
        failedAt: d.failedAt,
      }));
  }

  async retryDeadLetter(name: JobName<M>, id: string, scope?: DeadLetterScope): Promise<boolean> {
    if (this.closed) throw new Error("queue is closed");
    const dead = this.takeDead(name, id, scope);
    if (!dead) return false;
    dead.job.attemptsMade = 0;
    this.countUnfinished(dead.job, 1);
    this.enqueue(dead.job, 0);
    return true;
  }

  async removeDeadLetter(name: JobName<M>, id: string, scope?: DeadLetterScope): Promise<boolean> {
    const dead = this.takeDead(name, id, scope);
    if (!dead) return false;
    this.known.delete(knownKey(name, id));
    return true;
  }

  async depth(name: JobName<M>): Promise<number> {
    return (this.waiting.get(name)?.size ?? 0) + (this.delayed.get(name) ?? 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.delayed = new Map();
    await Promise.allSettled([...this.inFlight]);
  }

  private takeDead(name: string, id: string, scope: DeadLetterScope | undefined): DeadJob | null {
    const list = this.dead.get(name) ?? [];
    const index = list.findIndex((d) => d.job.id === id && inScope(d.job, scope));
    if (index < 0) return null;
    return list.splice(index, 1)[0] ?? null;
  }

  private forgetOld(): void {
    const cutoff = Date.now() - COMPLETED_RETENTION_MS;
    for (const [k, at] of this.known) if (at < cutoff) this.known.delete(k);
  }

  private enqueue(job: QueuedJob, delayMs: number): void {
    if (this.closed) return;
    if (delayMs <= 0) {
      let list = this.waiting.get(job.name);
      if (!list) this.waiting.set(job.name, (list = new WaitingJobs()));
      list.push(job);
      this.pump(job.name);
      return;
    }
    this.delayed.set(job.name, (this.delayed.get(job.name) ?? 0) + 1);
    // Node may fire a timer up to a millisecond before Date.now() says it is due: "at least the
    // asked time" (a provider's Retry-After) is checked against the clock, and re-armed if early.
    const dueAt = Date.now() + delayMs;
    const arm = (ms: number): void => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const left = dueAt - Date.now();
        if (left > 0 && !this.closed) return arm(left);
        this.delayed.set(job.name, (this.delayed.get(job.name) ?? 1) - 1);
        this.enqueue(job, 0);
      }, ms);
      this.timers.add(timer);
    };
    arm(delayMs);
  }

  private pump(name: string): void {
    const h = this.handlers.get(name);
    const list = this.waiting.get(name);
    if (!h || !list) return;
    const mayRun = (group: string) => group === "" || h.perGroup === null || (h.runningByGroup.get(group) ?? 0) < h.perGroup;
    while (list.size > 0 && h.running < h.concurrency && !this.closed) {
      const job = list.take(mayRun);
      if (!job) return;
      h.running += 1;
      h.runningByGroup.set(job.group, (h.runningByGroup.get(job.group) ?? 0) + 1);
      const run = this.run(job, h.handler).finally(() => {
        h.running -= 1;
        const left = (h.runningByGroup.get(job.group) ?? 1) - 1;
        if (left > 0) h.runningByGroup.set(job.group, left);
        else h.runningByGroup.delete(job.group);
        this.inFlight.delete(run);
        this.pump(name);
      });
      this.inFlight.add(run);
    }
  }

  private async run(job: QueuedJob, handler: JobHandler<unknown>): Promise<void> {
    try {
      // A macrotask between jobs keeps a failing job from starving I/O.
      await new Promise((r) => setImmediate(r));
      const data = parseJobData(this.schemas, job.name, job.data);
      await handler({ id: job.id, name: job.name, data, attempt: job.attemptsMade + 1 });
      this.known.set(knownKey(job.name, job.id), Date.now());
      this.countUnfinished(job, -1);
    } catch (err) {
      const retryAfter = retryAfterDelay(err);
      if (retryAfter !== null && !this.closed) {
        // Not a failure: the provider asked us to come back later.
        this.enqueue(job, Math.max(1, retryAfter));
        return;
      }
      job.attemptsMade += 1;
      if (isUnrecoverable(err) || job.attemptsMade >= job.attempts || this.closed) {
        const list = this.dead.get(job.name) ?? [];
        list.push({ job, error: err instanceof Error ? err.message : String(err), failedAt: new Date().toISOString() });
        this.dead.set(job.name, list);
        this.countUnfinished(job, -1);
      } else {
        this.enqueue(job, backoffDelay(job.backoff, job.attemptsMade));
      }
    }
  }
}
