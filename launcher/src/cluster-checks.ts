// Start-up checks that refuse a wrong cluster before any role serves anything: each turns a
// deployment that would lose data later (evicted queue keys, a store without transactions, roles on
// several hosts sharing one SQLite file) into a construction error now. The judgements are pure
// functions of what the engine reports, so they are tested without the engine; the launcher asks.
import { z } from "zod";
import { ConfigError, type Config } from "@kaleem/shared";

/**
 * Cluster roles on SQLite, refused unless they are told they all run on one host. `engine` is what
 * createStore opens (factories.ts: MongoDB whenever MONGODB_URL is set).
 */
export function sqliteClusterProblem(config: Pick<Config, "role" | "redis" | "singleHost">, engine: "sqlite" | "mongo"): string | null {
  if (config.role === "all" || !config.redis || engine === "mongo" || config.singleHost) return null;
  return (
    `MONGODB_URL: required when KALEEM_ROLE=${config.role} runs with REDIS_URL — roles on several hosts cannot share one SQLite file ` +
    "(each host would get a database of its own). Set KALEEM_SINGLE_HOST=true if every role runs on this one host and shares its data directory"
  );
}

/**
 * Redis's eviction policy, from `INFO memory` (readable on managed Redis services, where
 * `CONFIG GET` is often renamed away). Anything but `noeviction` lets Redis delete keys under memory
 * pressure: BullMQ jobs, stream records, leases and the token blacklist would vanish silently.
 */
export function redisEvictionProblem(infoMemory: string): string | null {
  const policy = /^maxmemory_policy:(\S+)/m.exec(infoMemory)?.[1];
  if (!policy) return "REDIS_URL: the server did not report its maxmemory_policy (INFO memory); Kaleem needs one that says noeviction";
  if (policy === "noeviction") return null;
  return (
    `REDIS_URL: the server's maxmemory-policy is ${policy}, which evicts keys under memory pressure — queued jobs, stream records and ` +
    `revoked-token entries would be lost. Set maxmemory-policy noeviction (redis.conf, or CONFIG SET maxmemory-policy noeviction)`
  );
}

/** The fields of MongoDB's `hello` reply that say what kind of deployment answered. */
export const mongoHelloSchema = z
  .object({
    setName: z.string().optional(),
    msg: z.string().optional(),
    isWritablePrimary: z.boolean().optional(),
    logicalSessionTimeoutMinutes: z.number().nullable().optional(),
  })
  .passthrough();

/**
 * Kaleem's Mongo store writes message + outbox, order + stock + idempotency key, and more, in
 * multi-document transactions: they need a replica set (a set of one is enough) or a sharded cluster
 * (`mongos` answers `msg: "isdbgrid"`). A standalone server has neither and is refused.
 */
export function mongoTopologyProblem(hello: unknown): string | null {
  const parsed = mongoHelloSchema.safeParse(hello);
  if (!parsed.success) return "MONGODB_URL: the server's reply to hello was not understood";
  const h = parsed.data;
  const replicaSet = typeof h.setName === "string" && h.setName !== "";
  const sharded = h.msg === "isdbgrid";
  if (!replicaSet && !sharded) {
    return (
      "MONGODB_URL: the server is a standalone mongod, without a replica set — Kaleem writes in transactions, which need one. " +
      "Start mongod with --replSet and run rs.initiate() once (a set of one member is enough), and name it in the URL (?replicaSet=…)"
    );
  }
  if (h.logicalSessionTimeoutMinutes === null || h.logicalSessionTimeoutMinutes === undefined) {
    return "MONGODB_URL: the server reports no logical sessions (logicalSessionTimeoutMinutes), so it cannot run transactions";
  }
  return null;
}

/** Runs a check: a problem is a ConfigError, which stops the process with the message. */
export function refuse(problem: string | null): void {
  if (problem) throw new ConfigError(`Invalid configuration:\n  ${problem}`);
}

/** Asks Redis for its eviction policy and refuses an evicting one. */
export async function checkRedisEviction(redis: { info(section: "memory"): Promise<string> }): Promise<void> {
  let info: string;
  try {
    info = await redis.info("memory");
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  REDIS_URL: Redis did not answer INFO memory at start-up (${err instanceof Error ? err.message : String(err)})`);
  }
  refuse(redisEvictionProblem(info));
}

/**
 * For the Mongo store's opening (shared/src/adapters/mongo): give it a function that runs
 * `db.admin().command({ hello: 1 })` and it refuses a server without a replica set.
 */
export async function checkMongoTopology(hello: () => Promise<unknown>): Promise<void> {
  refuse(mongoTopologyProblem(await hello()));
}
