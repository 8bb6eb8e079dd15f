// Whether the server can run the store: Kaleem's Mongo store writes message + outbox, order +
// stock + idempotency key, and more, in multi-document transactions, which need a replica set (a
// set of one is enough) or a sharded cluster (`mongos` answers `msg: "isdbgrid"`). A standalone
// server has neither and is refused when the store opens. The judgement is a pure function of the
// `hello` reply, so it is tested without a server; openMongoStore asks the server.
import { z } from "zod";
import { ConfigError } from "../../errors.js";

/** The fields of MongoDB's `hello` reply that say what kind of deployment answered. */
export const mongoHelloSchema = z
  .object({
    setName: z.string().optional(),
    msg: z.string().optional(),
    isWritablePrimary: z.boolean().optional(),
    logicalSessionTimeoutMinutes: z.number().nullable().optional(),
  })
  .passthrough();

/** What is wrong with the deployment that answered `hello`, or null when it can run transactions. */
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

/** Asks `hello` and refuses, with a construction error naming the fix, a server that cannot run transactions. */
export async function checkMongoTopology(hello: () => Promise<unknown>): Promise<void> {
  const problem = mongoTopologyProblem(await hello());
  if (problem) throw new ConfigError(`Invalid configuration:\n  ${problem}`);
}
