// RealtimeEmitter for processes without sockets (workers, REST in cluster): publishes into the
// hubs' rooms through the Redis adapter's channel.
import { Emitter } from "@socket.io/redis-emitter";
import type { Redis } from "ioredis";
import { socketIoRedisKey } from "../../ports/realtime.js";
import type { RealtimeMetrics } from "../../realtime/metrics.js";
import { RoomEmitter } from "../../realtime/room-emitter.js";

export class RedisRealtimeEmitter extends RoomEmitter {
  constructor(redis: Redis, prefix: string, metrics?: RealtimeMetrics) {
    const emitter = new Emitter(redis, { key: socketIoRedisKey(prefix) });
    super((namespace) => emitter.of(namespace), metrics);
  }
}
