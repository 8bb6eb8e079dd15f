// The route table's reply typing: a handler may only answer the statuses its `responses` document,
// each with the body its view describes. The @ts-expect-error lines are the test: `npm run
// typecheck` (tsconfig.tests.json) fails as soon as one of these wrong replies compiles.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineRoute, type HandlerInput } from "./route.js";

const itemView = z.object({ id: z.string(), count: z.number().int() });
const responses = {
  200: { description: "The item", schema: itemView },
  201: { description: "Created", schema: itemView },
  204: { description: "Nothing to say" },
  404: { description: "Not found" },
};
const base = { method: "post", path: "/items", summary: "Typing probe", tag: "test", auth: false, responses } as const;
/** The probes ignore their input; the router is not involved. */
const noInput = {} as HandlerInput<unknown, unknown, unknown, boolean>;

describe("route reply typing", () => {
  it("accepts every documented status with its own body, 200 by default", async () => {
    const routes = [
      defineRoute({ ...base, handler: async () => ({ body: { id: "a", count: 1 } }) }),
      defineRoute({ ...base, handler: async () => ({ status: 201, body: { id: "a", count: 1 }, headers: { "x-probe": "1" } }) }),
      defineRoute({ ...base, handler: async () => ({ status: 204 }) }),
    ];
    expect(await Promise.all(routes.map((r) => r.handler(noInput)))).toEqual([
      { body: { id: "a", count: 1 } },
      { status: 201, body: { id: "a", count: 1 }, headers: { "x-probe": "1" } },
      { status: 204 },
    ]);
    expect(routes.every((r) => r.responses[200]?.schema === itemView)).toBe(true);
  });

  it("rejects bodies and statuses the responses do not document (at compile time)", async () => {
    const wrong = [
      // @ts-expect-error a field of the wrong type
      defineRoute({ ...base, handler: async () => ({ body: { id: "a", count: "1" } }) }),
      // @ts-expect-error a field missing
      defineRoute({ ...base, handler: async () => ({ status: 201, body: { id: "a" } }) }),
      // @ts-expect-error a status that is not documented
      defineRoute({ ...base, handler: async () => ({ status: 202, body: { id: "a", count: 1 } }) }),
      // @ts-expect-error a body on a status documented without one
      defineRoute({ ...base, handler: async () => ({ status: 204, body: { id: "a", count: 1 } }) }),
      defineRoute({
        ...base,
        responses: { 201: responses[201] },
        // @ts-expect-error status 200 is implied when left out, and this route does not document it
        handler: async () => ({ body: { id: "a", count: 1 } }),
      }),
    ];
    // At run time the table entries are plain data; the guarantee above is the compiler's.
    expect(wrong).toHaveLength(5);
  });
});
