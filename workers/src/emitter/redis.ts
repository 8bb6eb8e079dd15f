// RealtimeEmitter for processes without sockets (workers, REST in cluster): publishes into the
// hubs' rooms through the Redis adapter's channel.
import { Emitter } from "@socket.io/redis-emitter";
import type { Redis } from "ioredis";
import { RoomEmitter, socketIoRedisKey, type RealtimeMetrics } from "@kaleem/shared";

export class RedisRealtimeEmitter extends RoomEmitter {
  constructor(redis: Redis, prefix: string, metrics?: RealtimeMetrics) {
    const emitter = new Emitter(redis, { key: socketIoRedisKey(prefix) });
    super((namespace) => emitter.of(namespace), metrics);
  }
}
