// The RealtimeEmitter contract on the Redis emitter: a process without sockets (workers, REST)
// publishes; two hub nodes on the Socket.IO Redis adapter deliver to their own sockets.
import { createAdapter } from "@socket.io/redis-adapter";
import { emitterContract, redisFixture, startSocketIoNode, uniquePrefix } from "@kaleem/shared/testing";
import { socketIoRedisKey } from "../../ports/realtime.js";
import { RedisRealtimeEmitter } from "./emitter.js";

const redis = redisFixture();
emitterContract({
  name: "Redis emitter -> two hub nodes on the Redis adapter",
  setup: redis.setup,
  teardown: redis.teardown,
  async create() {
    const prefix = uniquePrefix("emit");
    const nodes = await Promise.all(
      [0, 1].map(async () => {
        const node = await startSocketIoNode();
        node.io.adapter(createAdapter(redis.client(), redis.client(), { key: socketIoRedisKey(prefix) }));
        return node;
      }),
    );
    return { nodes, emitter: new RedisRealtimeEmitter(redis.client(), prefix) };
  },
});
