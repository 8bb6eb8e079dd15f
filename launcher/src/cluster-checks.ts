// Start-up checks that refuse a wrong cluster before any role serves anything: each turns a
// deployment that would lose data later (evicted queue keys, roles on several hosts sharing one
// SQLite file) into a construction error now. The judgements are pure functions of what the engine
// reports, so they are tested without the engine; the launcher asks. A MongoDB that cannot run
// transactions is refused by the store itself when it opens (shared/src/adapters/mongo/topology.ts).
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
