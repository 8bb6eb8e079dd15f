// Realtime state shared by every node through Redis: in-flight answers (text so far + stop
// signal over pub/sub) and presence (expiring hash fields).
import type { Redis } from "ioredis";
import type { StreamingPartial } from "../../contracts/socket.js";
import type { PresenceStore, ReclaimResult, StreamHandle, StreamRegistry, StreamStart } from "../../ports/realtime.js";
import { ExpiringPresence, type ExpiringFields } from "../../realtime/presence.js";

/** A stream record outlives any sane answer, and is gone if its producer died and never finished. */
const STREAM_TTL_SECONDS = 3600;
/** How long a producer's hold on a stream lasts without renewal (it renews every third of it). */
export const DEFAULT_STREAM_LEASE_MS = 15_000;

// One step, so two sweepers never both take the text, and a producer that renews in between
// keeps its stream. The meta hash names the tenant: another store's ids reclaim nothing.
const RECLAIM_SCRIPT = `
local owner = redis.call('HGET', KEYS[2], 'merchantId')
if owner and owner ~= ARGV[2] then return {0} end
if redis.call('EXISTS', KEYS[1]) == 1 then return {1} end
local text = redis.call('GET', KEYS[3])
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SREM', KEYS[4], ARGV[1])
if text then return {0, text} end
return {0}
`;

export class RedisStreamRegistry implements StreamRegistry {
  private readonly sub: Redis;
  private readonly local = new Map<string, { start: StreamStart; controller: AbortController; renew: NodeJS.Timeout }>();
  private readonly ready: Promise<unknown>;
  private readonly stopChannel: string;
  private readonly leaseMs: number;

  constructor(private readonly redis: Redis, private readonly prefix: string, options: { leaseMs?: number } = {}) {
    this.leaseMs = options.leaseMs ?? DEFAULT_STREAM_LEASE_MS;
    this.stopChannel = `${prefix}:stream-stop`;
    this.sub = redis.duplicate();
    this.sub.on("message", (channel: string, raw: string) => {
      if (channel !== this.stopChannel) return;
      let msg: { merchantId?: unknown; conversationId?: unknown };
      try {
        msg = JSON.parse(raw) as typeof msg;
      } catch {
        return;
      }
      for (const s of this.local.values()) {
        if (s.start.merchantId === msg.merchantId && s.start.conversationId === msg.conversationId) s.controller.abort();
      }
    });
    this.ready = this.sub.subscribe(this.stopChannel);
  }

  private metaKey(messageId: string) {
    return `${this.prefix}:stream:${messageId}`;
  }
  private textKey(messageId: string) {
    return `${this.prefix}:stream:${messageId}:text`;
  }
  private leaseKey(messageId: string) {
    return `${this.prefix}:stream:${messageId}:lease`;
  }
  private convKey(merchantId: string, conversationId: string) {
    return `${this.prefix}:streams:${merchantId}:${conversationId}`;
  }

  async start(start: StreamStart): Promise<StreamHandle> {
    await this.ready;
    const { messageId } = start;
    const controller = new AbortController();
    const convKey = this.convKey(start.merchantId, start.conversationId);
    const leaseKey = this.leaseKey(messageId);
    const leaseMs = this.leaseMs;
    // The hold is renewed while this process lives; a process that dies lets it lapse, and the
    // sweeper then ends the answer with the text recorded so far.
    const renew = setInterval(() => {
      this.redis.set(leaseKey, "1", "PX", leaseMs).catch(() => undefined);
    }, Math.max(100, Math.floor(leaseMs / 3)));
    renew.unref();
    this.local.set(messageId, { start, controller, renew });
    await this.redis
      .multi()
      .set(leaseKey, "1", "PX", leaseMs)
      .hset(this.metaKey(messageId), { merchantId: start.merchantId, conversationId: start.conversationId, seq: String(start.seq) })
      .expire(this.metaKey(messageId), STREAM_TTL_SECONDS)
      .set(this.textKey(messageId), "", "EX", STREAM_TTL_SECONDS)
      .sadd(convKey, messageId)
      .expire(convKey, STREAM_TTL_SECONDS)
      .exec();
    let length = 0;
    const redis = this.redis;
    const local = this.local;
    const keys = { meta: this.metaKey(messageId), text: this.textKey(messageId) };
    return {
      messageId,
      signal: controller.signal,
      get length() {
        return length;
      },
      async append(text: string) {
        // The producer is the only writer, so it knows the offset in characters; Redis APPEND
        // would only tell bytes.
        const offset = length;
        length += text.length;
        await redis.append(keys.text, text);
        return offset;
      },
      async finish() {
        clearInterval(renew);
        local.delete(messageId);
        await redis.multi().srem(convKey, messageId).del(keys.meta, keys.text, leaseKey).exec();
      },
      async abandon() {
        clearInterval(renew);
        local.delete(messageId);
        await redis.del(leaseKey);
      },
    };
  }

  async reclaim(ref: Omit<StreamStart, "seq">): Promise<ReclaimResult> {
    const { messageId } = ref;
    const keys = [this.leaseKey(messageId), this.metaKey(messageId), this.textKey(messageId), this.convKey(ref.merchantId, ref.conversationId)];
    const reply = (await this.redis.eval(RECLAIM_SCRIPT, keys.length, ...keys, messageId, ref.merchantId)) as [number, string?];
    if (reply[0] === 1) return { alive: true };
    return { alive: false, text: typeof reply[1] === "string" ? reply[1] : null };
  }

  async partials(merchantId: string, conversationId: string): Promise<StreamingPartial[]> {
    const ids = await this.redis.smembers(this.convKey(merchantId, conversationId));
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.metaKey(id), "seq").get(this.textKey(id));
    const results = (await pipeline.exec()) ?? [];
    const out: StreamingPartial[] = [];
    ids.forEach((messageId, i) => {
      const seq = results[i * 2]?.[1];
      const text = results[i * 2 + 1]?.[1];
      if (typeof seq === "string" && typeof text === "string") out.push({ messageId, seq: Number(seq), text });
    });
    return out.sort((a, b) => a.seq - b.seq);
  }

  async requestStop(merchantId: string, conversationId: string): Promise<void> {
    await this.redis.publish(this.stopChannel, JSON.stringify({ merchantId, conversationId }));
  }

  async close(): Promise<void> {
    for (const s of this.local.values()) {
      clearInterval(s.renew);
      s.controller.abort();
    }
    this.local.clear();
    this.sub.disconnect();
  }
}

class RedisFields implements ExpiringFields {
  constructor(private readonly redis: Redis, private readonly keyTtlMs: number) {}
  async set(key: string, field: string, value: string, ttlMs: number): Promise<void> {
    await this.redis
      .multi()
      .hset(key, field, JSON.stringify({ v: value, e: Date.now() + ttlMs }))
      .pexpire(key, Math.max(ttlMs, this.keyTtlMs))
      .exec();
  }
  async delete(key: string, fields: string[]): Promise<void> {
    if (fields.length > 0) await this.redis.hdel(key, ...fields);
  }
  async getAll(key: string): Promise<Map<string, string>> {
    const raw = await this.redis.hgetall(key);
    const now = Date.now();
    const out = new Map<string, string>();
    const expired: string[] = [];
    for (const [field, json] of Object.entries(raw)) {
      try {
        const { v, e } = JSON.parse(json) as { v: string; e: number };
        if (e <= now) expired.push(field);
        else out.set(field, v);
      } catch {
        expired.push(field);
      }
    }
    if (expired.length > 0) await this.redis.hdel(key, ...expired);
    return out;
  }
}

export function createRedisPresence(redis: Redis, prefix: string, options: { ttlMs?: number; typingTtlMs?: number } = {}): PresenceStore {
  const ttl = options.ttlMs ?? 90_000;
  return new ExpiringPresence(new RedisFields(redis, ttl), `${prefix}:presence`, options);
}
