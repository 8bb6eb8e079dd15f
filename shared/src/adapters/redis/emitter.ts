// RealtimeEmitter for processes without sockets (workers, REST in cluster): publishes into the
// hubs' rooms through the Redis adapter's channel.
import { Emitter } from "@socket.io/redis-emitter";
import type { Redis } from "ioredis";
import { socketIoRedisKey } from "../../ports/realtime.js";
import type { RealtimeMetrics } from "../../realtime/metrics.js";
import { RoomEmitter } from "../../realtime/room-emitter.js";

/**
 * The emitter publishes fire-and-forget; while Redis is down each publish rejects, and nothing
 * awaits it (a coalesced summary sent from a timer, a delta): unhandled, the rejection would end
 * the process. An emit lost in an outage is what resume and the stored messages are for, so the
 * failure is counted and dropped here.
 */
function publishOnly(redis: Redis, onError: () => void): { publish(channel: string, message: string | Buffer): Promise<number> } {
  return {
    publish: (channel, message) =>
      redis.publish(channel, message).catch(() => {
        onError();
        return 0;
      }),
  };
}

export class RedisRealtimeEmitter extends RoomEmitter {
  constructor(redis: Redis, prefix: string, metrics?: RealtimeMetrics) {
    const emitter = new Emitter(publishOnly(redis, () => metrics?.emitFailures.inc()), { key: socketIoRedisKey(prefix) });
    super((namespace) => emitter.of(namespace), metrics);
  }
}
