import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiRoutes } from "./routes/index.js";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let s: Session;
let storeUp = true;
let redisUp = true;
beforeAll(async () => {
  t = await startTestRest(
    { CORS_ORIGINS: "https://admin.example.com,https://shop.example.com", BODY_LIMIT_BYTES: "2048" },
    {
      redisPing: async () => {
        if (!redisUp) throw new Error("redis down");
      },
      productSearch: {
        async search(store, query, limit) {
          if (query === "explode") throw new Error("secret internal detail /var/lib/db");
          const page = await store.products.list({ q: query }, { limit });
          return { items: page.items.map((product, i) => ({ product, score: 1 - i / 10 })) };
        },
      },
    },
  );
  s = await t.signup("HTTP");
  // The store's ping is real; to see /readyz fail we wrap it.
  const ping = t.store.ping.bind(t.store);
  (t.store as { ping: () => Promise<void> }).ping = async () => {
    if (!storeUp) throw new Error("store down");
    await ping();
  };
});
afterEach(() => {
  storeUp = true;
  redisUp = true;
});
afterAll(async () => t?.close());

describe("request bodies", () => {
  it("answers 413 for bodies over the limit", async () => {
    const res = await t.request("POST", "/api/v1/products", { token: s.token, body: { name: { en: "x".repeat(4000) }, price: 1 } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });

  it("answers 413 for a chunked body that grows past the limit", async () => {
    const chunks = [Buffer.from('{"name":{"en":"'), Buffer.alloc(3000, 0x61), Buffer.from('"},"price":1}')];
    const stream = new ReadableStream({
      start(controller) {
        for (const c of chunks) controller.enqueue(c);
        controller.close();
      },
    });
    const res = await fetch(`${t.base}/api/v1/products`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.token}`, "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("answers 415 when a JSON route gets another content type", async () => {
    const res = await t.request("POST", "/api/v1/auth/login", {
      rawBody: "email=a@b.c&password=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
    const noType = await t.request("POST", "/api/v1/auth/login", { rawBody: '{"email":"a@b.c","password":"x"}' });
    expect(noType.status).toBe(415);
  });

  it("answers 400 for malformed JSON and for operator-like keys", async () => {
    const bad = await t.request("POST", "/api/v1/auth/login", { rawBody: "{nope", headers: { "content-type": "application/json" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_json");
    for (const body of [
      { email: { $gt: "" }, password: "x" },
      { email: "a@b.c", password: "x", $where: "1" },
      { email: "a@b.c", password: "x", nested: [{ "a.b": 1 }] },
    ]) {
      const res = await t.request("POST", "/api/v1/auth/login", { body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    const proto = await t.request("POST", "/api/v1/auth/login", {
      rawBody: '{"email":"a@b.c","password":"x","__proto__":{"admin":true}}',
      headers: { "content-type": "application/json" },
    });
    expect(proto.status).toBe(400);
    const query = await t.request("GET", "/api/v1/products?$where=1", { token: s.token });
    expect(query.status).toBe(400);
  });
});

describe("error shape and routing", () => {
  it("uses one error shape for unknown routes, wrong methods and internal errors", async () => {
    const missing = await t.request("GET", "/api/v1/nothing-here", { token: s.token });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: "not_found", message: "Route not found" } });
    const method = await t.request("PUT", "/api/v1/me", { token: s.token });
    expect(method.status).toBe(405);
    expect(method.body.error.code).toBe("method_not_allowed");
    const boom = await t.request("GET", "/api/v1/search/products?q=explode", { token: s.token });
    expect(boom.status).toBe(500);
    expect(boom.body).toEqual({ error: { code: "internal", message: "Internal server error" } });
    expect(boom.text).not.toContain("secret");
  });

  it("echoes a valid X-Request-Id and generates one otherwise", async () => {
    const given = await t.request("GET", "/healthz", { headers: { "x-request-id": "abc-123" } });
    expect(given.headers.get("x-request-id")).toBe("abc-123");
    const bad = await t.request("GET", "/healthz", { headers: { "x-request-id": "<script>" } });
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe("security headers and CORS", () => {
  it("sets security headers on API responses, errors included", async () => {
    for (const res of [await t.request("GET", "/api/v1/me", { token: s.token }), await t.request("GET", "/api/v1/me")]) {
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      // HSTS only in production (this server runs in development mode).
      expect(res.headers.get("strict-transport-security")).toBeNull();
    }
  });

  it("allows listed origins (with preflight) and gives others nothing", async () => {
    const preflight = await t.request("OPTIONS", "/api/v1/products", {
      headers: { origin: "https://admin.example.com", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://admin.example.com");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");

    const allowed = await t.request("GET", "/api/v1/me", { token: s.token, headers: { origin: "https://shop.example.com" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
    expect(allowed.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
    expect(allowed.headers.get("vary")).toContain("Origin");

    const deniedPreflight = await t.request("OPTIONS", "/api/v1/products", {
      headers: { origin: "https://evil.example.com", "access-control-request-method": "POST" },
    });
    expect(deniedPreflight.status).toBe(403);
    expect(deniedPreflight.headers.get("access-control-allow-origin")).toBeNull();
    const denied = await t.request("GET", "/api/v1/me", { token: s.token, headers: { origin: "https://evil.example.com" } });
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("operations endpoints", () => {
  it("/healthz is up", async () => {
    const res = await t.request("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("/readyz checks the store and redis", async () => {
    const ok = await t.request("GET", "/readyz");
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ status: "ok", checks: { store: "ok", redis: "ok" } });
    redisUp = false;
    const noRedis = await t.request("GET", "/readyz");
    expect(noRedis.status).toBe(503);
    expect(noRedis.body.checks).toEqual({ store: "ok", redis: "fail" });
    redisUp = true;
    storeUp = false;
    const noStore = await t.request("GET", "/readyz");
    expect(noStore.status).toBe(503);
    expect(noStore.body.checks.store).toBe("fail");
  });

  it("/metrics has the HTTP histogram labelled by route template and the process metrics", async () => {
    await t.request("GET", `/api/v1/products/some-id`, { token: s.token });
    await t.request("GET", "/api/v1/does-not-exist");
    const res = await t.request("GET", "/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/products\/:id",status="404"\} \d+/);
    expect(res.text).toContain('route="unmatched"');
    expect(res.text).not.toContain("some-id");
    expect(res.text).not.toContain("does-not-exist");
    expect(res.text).toContain("process_cpu_user_seconds_total");
  });
});

describe("product search", () => {
  it("returns hits with the documented fields", async () => {
    await t.request("POST", "/api/v1/products", { token: s.token, body: { name: { en: "Saffron tea", ar: "شاي زعفران" }, price: 35, externalId: "T-1" } });
    const res = await t.request("GET", "/api/v1/search/products?q=saffron&limit=5", { token: s.token });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toEqual({
      id: expect.any(String),
      externalId: "T-1",
      name: { en: "Saffron tea", ar: "شاي زعفران" },
      price: 35,
      currency: "SAR",
      score: 1,
    });
    expect((await t.request("GET", "/api/v1/search/products", { token: s.token })).status).toBe(400);
    expect((await t.request("GET", "/api/v1/search/products?q=tea")).status).toBe(401);
  });
});

describe("OpenAPI", () => {
  it("documents every route of the table, each of which the server actually serves", async () => {
    const res = await t.request("GET", "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const documented: string[] = [];
    for (const [path, ops] of Object.entries(res.body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) documented.push(`${method.toUpperCase()} ${path}`);
    }
    const table = apiRoutes.map((r) => `${r.method.toUpperCase()} /api/v1${r.path.replace(/:(\w+)/g, "{$1}")}`);
    expect(documented.sort()).toEqual([...table].sort());
    expect(table.length).toBeGreaterThanOrEqual(35);
    for (const op of documented) {
      const [method, path] = op.split(" ") as [string, string];
      const probe = await t.request(method, path.replace(/\{\w+\}/g, "x"));
      expect(probe.body?.error?.message, op).not.toBe("Route not found");
      expect(probe.status, op).not.toBe(405);
    }
  });

  it("describes bodies, parameters and auth from the zod schemas", async () => {
    const doc = (await t.request("GET", "/api/v1/openapi.json")).body;
    const signup = doc.paths["/api/v1/auth/signup"].post;
    expect(signup.requestBody.content["application/json"].schema.required).toEqual(["storeName", "email", "password"]);
    expect(signup.security).toEqual([]);
    const getProduct = doc.paths["/api/v1/products/{id}"].get;
    expect(getProduct.parameters).toEqual([expect.objectContaining({ name: "id", in: "path", required: true })]);
    expect(getProduct.security).toEqual([{ bearerAuth: [] }]);
    const list = doc.paths["/api/v1/products"].get.parameters.map((p: { name: string }) => p.name);
    expect(list).toEqual(expect.arrayContaining(["limit", "cursor", "status", "category", "minPrice", "maxPrice", "q"]));
    const createOrder = doc.paths["/api/v1/orders"].post;
    expect(createOrder.parameters).toEqual([expect.objectContaining({ name: "Idempotency-Key", in: "header" })]);
    expect(createOrder.responses["201"].content["application/json"].schema.properties.total).toBeDefined();
    expect(doc.paths["/api/v1/team"].post["x-roles"]).toEqual(["owner", "admin"]);
  });
});
