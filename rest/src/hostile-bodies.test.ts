// Issue 15, item 1 (and the `?status[$ne]=` query of "also seen"): bodies and query strings an
// attacker sends without any account. Each answer must be a clear 400 — never a 500, never a
// stack overflow — and the server must keep answering afterwards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, MAX_JSON_KEYS_PER_OBJECT } from "./http/body.js";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let s: Session;
beforeAll(async () => {
  t = await startTestRest({ BODY_LIMIT_BYTES: String(1024 * 1024) });
  s = await t.signup("Hostile");
});
afterAll(async () => t?.close());

const login = (raw: string) => t.request("POST", "/api/v1/auth/login", { rawBody: raw, headers: { "content-type": "application/json" } });

/** Arrays nested `depth` levels, each level padded with zeros so the whole body is about `bytes` long. */
function deepAndWide(depth: number, bytes: number): string {
  const perLevel = Math.max(0, Math.floor((bytes / depth - 2) / 2));
  return `{"email":"a@b.co","password":"x","junk":${`[${"0,".repeat(perLevel)}`.repeat(depth)}0${"]".repeat(depth)}}`;
}

describe("deep and wide JSON", () => {
  it("refuses a ~1 MB body nested 3,000 levels deep with 400 body_too_complex", async () => {
    const body = deepAndWide(3000, 940 * 1024);
    expect(body.length).toBeGreaterThan(900 * 1024);
    const res = await login(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("body_too_complex");
    expect(res.body.error.message).toContain(String(MAX_JSON_DEPTH));
  });

  it("answers 400, not 500, for nesting that would overflow the parser's stack", async () => {
    for (const depth of [5_000, 100_000]) {
      const objects = login(`{"a":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`);
      const arrays = login(`[${"[".repeat(depth)}${"]".repeat(depth)}]`);
      for (const res of await Promise.all([objects, arrays])) {
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe("body_too_complex");
      }
    }
    // And the process is still serving.
    expect((await t.request("GET", "/healthz")).status).toBe(200);
  });

  it("refuses an object with too many keys", async () => {
    const keys = Array.from({ length: MAX_JSON_KEYS_PER_OBJECT + 1 }, (_, i) => `"k${i}":0`).join(",");
    const res = await login(`{"email":"a@b.co","password":"x","junk":{${keys}}}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("body_too_complex");
  });

  it("does not count brackets, braces or colons inside strings", async () => {
    const tricky = `{"email":"a@b.co","password":"wrong-password","junk":"${"[{:\\\"".repeat(2000)}"}`;
    const res = await login(tricky);
    // Reaches the route: a wrong password, not a shape error.
    expect(res.status).toBe(401);
  });

  it("still accepts legitimate nesting and finds operator keys deep inside it with their path", async () => {
    let nested: unknown = { $where: "1" };
    // Each step adds two levels (an object and an array); the product body and its attributes add two.
  for (let i = 0; i < (MAX_JSON_DEPTH - 4) / 2; i++) nested = { level: [nested] };
    const res = await t.request("POST", "/api/v1/products", { token: s.token, body: { name: { en: "Deep" }, price: 1, attributes: nested } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    const path: string = res.body.error.details[0].path;
    expect(path.startsWith("attributes.level.0.level.0.")).toBe(true);
    expect(path.endsWith(".$where")).toBe(true);

    const ok = await t.request("POST", "/api/v1/products", {
      token: s.token,
      body: { name: { en: "Plain" }, price: 1, attributes: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`a${i}`, "v"])) },
    });
    expect(ok.status).toBe(201);
  });
});

describe("operator-shaped query strings", () => {
  it("refuses status[$ne]=x, dotted and $-keys with 400 instead of ignoring them", async () => {
    for (const query of ["status[$ne]=x", "status%5B%24ne%5D=x", "status[]=draft", "a.b=1", "$where=1", "__proto__=1"]) {
      const res = await t.request("GET", `/api/v1/products?${query}`, { token: s.token });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    // Routes without a query schema refuse them too.
    const me = await t.request("GET", "/api/v1/me?role[$ne]=agent", { token: s.token });
    expect(me.status).toBe(400);
    expect((await t.request("GET", "/api/v1/products?status=draft&limit=5", { token: s.token })).status).toBe(200);
  });
});
