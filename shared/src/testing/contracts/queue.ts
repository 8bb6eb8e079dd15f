// One contract for every JobQueue implementation (in-process and BullMQ). The suite brings its own
// job table, so an adapter is tested without the application's jobs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { RetryAfterError, UnrecoverableError, ValidationError } from "../../errors.js";
import type { JobQueue, JobSchemas } from "../../ports/queue.js";
import { waitFor } from "../wait.js";

const numbered = z.object({ n: z.number().int() });
const anything = z.looseObject({});

/** The jobs the contract queues. */
export const contractJobSchemas = {
  simple: numbered,
  early: numbered,
  flaky: anything,
  doomed: anything,
  fatal: anything,
  dedupe: z.object({ v: z.string() }),
  parallel: z.object({ i: z.number() }),
  strict: z.object({ merchantId: z.string().min(1), count: z.number().int().positive() }),
  throttled: anything,
  letters: z.object({ merchantId: z.string(), n: z.number() }),
  fair: z.object({ merchantId: z.string(), n: z.number() }),
  counted: z.object({ merchantId: z.string(), n: z.number() }),
} satisfies JobSchemas;
export type ContractJobSchemas = typeof contractJobSchemas;

export interface QueueFactory {
  name: string;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  /** A fresh queue over `schemas`, isolated from the queues of other tests (own prefix). */
  create(schemas: ContractJobSchemas): Promise<JobQueue<ContractJobSchemas>>;
}

const until = <T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string): Promise<T> => waitFor(check, what);

export function queueContract(f: QueueFactory): void {
  describe(`JobQueue contract: ${f.name}`, () => {
    let queue: JobQueue<ContractJobSchemas>;
    const open = async () => (queue = await f.create(contractJobSchemas));
    beforeAll(async () => f.setup?.());
    afterAll(async () => f.teardown?.());
    afterEach(async () => queue?.close());

    it("runs a job with its data, first attempt = 1", async () => {
      await open();
      const seen: unknown[] = [];
      queue.process("simple", async (job) => {
        seen.push({ data: job.data, attempt: job.attempt, name: job.name });
      });
      await queue.add("simple", { n: 7 });
      await until(() => seen.length === 1, "job");
      expect(seen).toEqual([{ data: { n: 7 }, attempt: 1, name: "simple" }]);
    });

    it("jobs added before a processor exists run once it starts", async () => {
      await open();
      await queue.add("early", { n: 1 });
      await queue.add("early", { n: 2 });
      expect(await queue.depth("early")).toBe(2);
      const seen: number[] = [];
      queue.process("early", async (job) => void seen.push(job.data.n));
      await until(() => seen.length === 2, "jobs");
      expect(seen.sort()).toEqual([1, 2]);
    });

    it("add refuses a payload its schema rejects, with the field named, and queues nothing", async () => {
      await open();
      const bad = { merchantId: "m1", count: -1 };
      const err = await queue.add("strict", bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as Error).message).toMatch(/strict/);
      expect((err as Error).message).toMatch(/count/);
      // @ts-expect-error -- a missing field is a type error too
      await expect(queue.add("strict", { merchantId: "m1" })).rejects.toBeInstanceOf(ValidationError);
      expect(await queue.depth("strict")).toBe(0);
      // @ts-expect-error -- and so is a job name that is not in the table
      await expect(queue.add("no-such-job", {})).rejects.toThrow(/unknown job/);
    });

    it("the consumer strips what the schema does not know and hands over the parsed payload", async () => {
      await open();
      const seen: unknown[] = [];
      queue.process("strict", async (job) => void seen.push(job.data));
      await queue.add("strict", { merchantId: "m1", count: 2, extra: "dropped" } as { merchantId: string; count: number });
      await until(() => seen.length === 1, "job");
      expect(seen).toEqual([{ merchantId: "m1", count: 2 }]);
    });

    it("retries with backoff and succeeds on a later attempt", async () => {
      await open();
      const attempts: number[] = [];
      let done = false;
      queue.process("flaky", async (job) => {
        attempts.push(job.attempt);
        if (job.attempt < 3) throw new Error("try again");
        done = true;
      });
      await queue.add("flaky", {}, { attempts: 5, backoff: { type: "exponential", delayMs: 20 } });
      await until(() => done, "success");
      expect(attempts).toEqual([1, 2, 3]);
      expect(await queue.deadLetters("flaky")).toEqual([]);
    });

    it("dead-letters a job after its last attempt, with the error", async () => {
      await open();
      let tries = 0;
      queue.process("doomed", async () => {
        tries += 1;
        throw new Error(`boom ${tries}`);
      });
      await queue.add("doomed", { x: 1 }, { jobId: "doomed-1", attempts: 3, backoff: { type: "fixed", delayMs: 10 } });
      const dead = await until(async () => {
        const d = await queue.deadLetters("doomed");
        return d.length > 0 && d;
      }, "dead letter");
      expect(tries).toBe(3);
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ id: "doomed-1", name: "doomed", merchantId: null, data: { x: 1 }, error: "boom 3", attempts: 3 });
    });

    it("UnrecoverableError stops retries at once and lands in the dead letters", async () => {
      await open();
      let tries = 0;
      queue.process("fatal", async () => {
        tries += 1;
        throw new UnrecoverableError("bad payload");
      });
      await queue.add("fatal", {}, { attempts: 5, backoff: { type: "fixed", delayMs: 10 } });
      const dead = await until(async () => {
        const d = await queue.deadLetters("fatal");
        return d.length > 0 && d;
      }, "dead letter");
      expect(tries).toBe(1);
      expect(dead[0]).toMatchObject({ error: "bad payload", attempts: 1 });
    });

    it("RetryAfterError delays the job at least the asked time without using an attempt, then it succeeds", async () => {
      await open();
      const waitMs = 400;
      const runs: { attempt: number; at: number }[] = [];
      let thrownAt = 0;
      let done = false;
      queue.process("throttled", async (job) => {
        runs.push({ attempt: job.attempt, at: Date.now() });
        if (runs.length <= 2) {
          thrownAt = Date.now();
          throw new RetryAfterError(waitMs, "429 Too Many Requests");
        }
        done = true;
      });
      // One attempt only: had a throttled try counted, the job would be dead after the first 429.
      await queue.add("throttled", {}, { attempts: 1 });
      await until(() => runs.length === 2, "the second try");
      expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(waitMs);
      await until(() => done, "success after the provider's wait");
      expect(runs[2]!.at - thrownAt).toBeGreaterThanOrEqual(waitMs);
      expect(runs.map((r) => r.attempt)).toEqual([1, 1, 1]);
      expect(await queue.deadLetters("throttled")).toEqual([]);
    });

    it("an invalid payload reaching a consumer fails unrecoverably (no handler call, no retry)", async () => {
      // The payload fitted the schema when it was queued; the consumer (a newer deploy) rejects it.
      let acceptsOldShape = true;
      const versioned = z
        .object({ merchantId: z.string().min(1), count: z.number().int().positive() })
        .refine(() => acceptsOldShape, "this version no longer accepts the old shape");
      queue = await f.create({ ...contractJobSchemas, strict: versioned });
      await queue.add("strict", { merchantId: "m1", count: 5 }, { jobId: "old-shape", attempts: 4 });
      acceptsOldShape = false;
      let calls = 0;
      queue.process("strict", async () => void (calls += 1));
      const dead = await until(async () => {
        const d = await queue.deadLetters("strict");
        return d.length > 0 && d;
      }, "dead letter");
      expect(calls).toBe(0);
      expect(dead[0]).toMatchObject({ id: "old-shape", merchantId: "m1", attempts: 1 });
      expect(dead[0]!.error).toMatch(/invalid payload for job "strict"/);
    });

    it("dead letters: newest first, scoped per merchant, retried with fresh attempts, removed", async () => {
      await open();
      const failing = new Set(["a-1", "a-2", "b-1"]);
      const succeeded: string[] = [];
      queue.process("letters", async (job) => {
        if (failing.has(job.id)) throw new UnrecoverableError(`fail ${job.id}`);
        succeeded.push(job.id);
      });
      const deadCount = async (n: number) => until(async () => (await queue.deadLetters("letters")).length === n, `${n} dead letters`);
      await queue.add("letters", { merchantId: "ma", n: 1 }, { jobId: "a-1" });
      await deadCount(1);
      await queue.add("letters", { merchantId: "ma", n: 2 }, { jobId: "a-2" });
      await deadCount(2);
      await queue.add("letters", { merchantId: "mb", n: 3 }, { jobId: "b-1" });
      await deadCount(3);

      expect((await queue.deadLetters("letters")).map((d) => d.id)).toEqual(["b-1", "a-2", "a-1"]);
      const forA = await queue.deadLetters("letters", { merchantId: "ma" });
      expect(forA.map((d) => [d.id, d.merchantId])).toEqual([
        ["a-2", "ma"],
        ["a-1", "ma"],
      ]);
      expect(await queue.deadLetters("letters", { merchantId: "nobody" })).toEqual([]);

      // Another merchant can neither retry nor remove A's dead letter.
      expect(await queue.retryDeadLetter("letters", "a-1", { merchantId: "mb" })).toBe(false);
      expect(await queue.removeDeadLetter("letters", "a-1", { merchantId: "mb" })).toBe(false);
      expect(await queue.retryDeadLetter("letters", "missing")).toBe(false);

      // Retried after the cause is fixed: runs again with a fresh first attempt.
      failing.delete("a-1");
      expect(await queue.retryDeadLetter("letters", "a-1", { merchantId: "ma" })).toBe(true);
      await until(() => succeeded.includes("a-1"), "the retried job");
      expect((await queue.deadLetters("letters")).map((d) => d.id)).toEqual(["b-1", "a-2"]);
      expect(await queue.retryDeadLetter("letters", "a-1")).toBe(false);

      // Removed: gone from the list, and its jobId is free to be queued again.
      expect(await queue.removeDeadLetter("letters", "a-2", { merchantId: "ma" })).toBe(true);
      expect(await queue.removeDeadLetter("letters", "a-2")).toBe(false);
      expect((await queue.deadLetters("letters")).map((d) => d.id)).toEqual(["b-1"]);
      failing.delete("a-2");
      await queue.add("letters", { merchantId: "ma", n: 4 }, { jobId: "a-2" });
      await until(() => succeeded.includes("a-2"), "the re-added job");
    });

    it("a jobId added twice runs once, also after it completed", async () => {
      await open();
      const runs: string[] = [];
      queue.process("dedupe", async (job) => void runs.push(job.data.v));
      await queue.add("dedupe", { v: "first" }, { jobId: "same" });
      await queue.add("dedupe", { v: "second" }, { jobId: "same" });
      await until(() => runs.length === 1, "first run");
      await queue.add("dedupe", { v: "third" }, { jobId: "same" });
      await queue.add("dedupe", { v: "other" }, { jobId: "different" });
      await until(() => runs.length === 2, "other run");
      expect(runs).toEqual(["first", "other"]);
    });

    it("runs up to `concurrency` jobs at the same time", async () => {
      await open();
      let running = 0;
      let peak = 0;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let finished = 0;
      queue.process(
        "parallel",
        async () => {
          running += 1;
          peak = Math.max(peak, running);
          await gate;
          running -= 1;
          finished += 1;
        },
        { concurrency: 2 },
      );
      for (let i = 0; i < 3; i++) await queue.add("parallel", { i });
      await until(() => running === 2, "two running");
      release();
      await until(() => finished === 3, "all finished");
      expect(peak).toBe(2);
    });

    it("a group at its limit holds no other group up: a flooding merchant's jobs wait while another merchant's job runs", async () => {
      await open();
      // Merchant A's jobs hang until merchant B's job has run. With plain FIFO, A would fill every
      // slot and B would never start (the test would time out); with a group limit of 1 it starts.
      let releaseA!: () => void;
      const gate = new Promise<void>((r) => (releaseA = r));
      const running = new Map<string, number>();
      const peak = new Map<string, number>();
      const finished: string[] = [];
      queue.process(
        "fair",
        async (job) => {
          const m = job.data.merchantId;
          running.set(m, (running.get(m) ?? 0) + 1);
          peak.set(m, Math.max(peak.get(m) ?? 0, running.get(m)!));
          if (m === "flooding") await gate;
          else releaseA();
          running.set(m, running.get(m)! - 1);
          finished.push(`${m}:${job.data.n}`);
        },
        { concurrency: 3, perGroupConcurrency: 1 },
      );
      try {
        for (let n = 0; n < 6; n++) await queue.add("fair", { merchantId: "flooding", n }, { group: "flooding", attempts: 1 });
        await queue.add("fair", { merchantId: "quiet", n: 0 }, { group: "quiet", attempts: 1 });
        await until(() => finished.includes("quiet:0"), "the other merchant's job");
      } finally {
        // Also when the other merchant's job never ran: the flooding jobs must not outlive the test.
        releaseA();
      }
      await until(() => finished.length === 7, "every job");
      expect(peak.get("flooding")).toBe(1);
      // Waiting for the group's turn used no attempts: every job ran once and none is dead.
      expect(await queue.deadLetters("fair")).toEqual([]);
    });

    it("answers groupDepth as the very first call of a fresh queue (a new hub's first send)", async () => {
      await open();
      expect(await queue.groupDepth("counted", "first")).toBe(0);
    });

    it("groupDepth counts a group's unfinished jobs (waiting, delayed, running), not finished or dead ones", async () => {
      await open();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const failing = new Set(["c-dead"]);
      let done = 0;
      queue.process(
        "counted",
        async (job) => {
          if (failing.has(job.id)) throw new UnrecoverableError("no");
          await gate;
          done += 1;
        },
        { concurrency: 3, perGroupConcurrency: 1 },
      );
      try {
        expect(await queue.groupDepth("counted", "ma")).toBe(0);
        await queue.add("counted", { merchantId: "ma", n: 1 }, { jobId: "c-1", group: "ma" });
        await queue.add("counted", { merchantId: "ma", n: 2 }, { jobId: "c-2", group: "ma" });
        await queue.add("counted", { merchantId: "ma", n: 3 }, { jobId: "c-3", group: "ma", delayMs: 200 });
        // The same job id again is the same job.
        await queue.add("counted", { merchantId: "ma", n: 1 }, { jobId: "c-1", group: "ma" });
        await queue.add("counted", { merchantId: "mb", n: 1 }, { jobId: "c-b", group: "mb" });
        expect(await queue.groupDepth("counted", "ma")).toBe(3);
        expect(await queue.groupDepth("counted", "mb")).toBe(1);
        await queue.add("counted", { merchantId: "mc", n: 1 }, { jobId: "c-dead", group: "mc" });
        await until(async () => (await queue.deadLetters("counted")).length === 1, "dead letter");
        expect(await queue.groupDepth("counted", "mc")).toBe(0);
        release();
        await until(() => done === 4, "all done");
        await until(async () => (await queue.groupDepth("counted", "ma")) === 0, "ma drained");
        expect(await queue.groupDepth("counted", "mb")).toBe(0);
        // A finished job's id added again is deduped and not counted.
        await queue.add("counted", { merchantId: "ma", n: 1 }, { jobId: "c-1", group: "ma" });
        expect(await queue.groupDepth("counted", "ma")).toBe(0);
        // A dead letter queued again runs, and leaves nothing counted once done.
        failing.delete("c-dead");
        expect(await queue.retryDeadLetter("counted", "c-dead")).toBe(true);
        await until(() => done === 5, "the retried job");
        await until(async () => (await queue.groupDepth("counted", "mc")) === 0, "mc drained");
      } finally {
        release();
      }
    });
  });
}
