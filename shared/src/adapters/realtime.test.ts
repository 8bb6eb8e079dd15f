import { Redis } from "ioredis";
import { startRedisServer, uniquePrefix, type RedisServer } from "../testing/index.js";
import { realtimeContract } from "../testing/contracts/realtime.js";
import { MemoryStreamRegistry, createMemoryPresence } from "./memory/realtime.js";
import { RedisStreamRegistry, createRedisPresence } from "./redis/realtime.js";

realtimeContract({
  name: "memory",
  async registries() {
    const one = new MemoryStreamRegistry();
    // Embedded mode has one registry per process: both "nodes" are the same object.
    return [one, one];
  },
  async presence(options) {
    return createMemoryPresence(options);
  },
});

let server: RedisServer;
const clients: Redis[] = [];
const client = () => {
  const c = new Redis(server.url);
  clients.push(c);
  return c;
};
realtimeContract({
  name: "redis",
  async setup() {
    server = await startRedisServer();
  },
  async teardown() {
    for (const c of clients) c.disconnect();
    await server.stop();
  },
  async registries() {
    const prefix = uniquePrefix("rt");
    return [new RedisStreamRegistry(client(), prefix), new RedisStreamRegistry(client(), prefix)];
  },
  async presence(options) {
    return createRedisPresence(client(), uniquePrefix("pr"), options);
  },
});
