// Attacks, family 16: Idempotency-Key on order creation, raced for real. The sequential cases (replay,
// 422 on another body, 409 while a held key is in flight, keys per merchant, a failed run frees its
// key) are in orders.test.ts. Here: (1) the first request is paused inside its work (its product
// read waits on a gate the test opens), so every simultaneous request with its key provably
// arrives while it is in flight and must be the 409; (2) free-running bursts over separate
// connections, where whatever order they land in, one order is created and every other answer is
// the in-flight 409 or the replay of that same 201.
import { asMerchantId, type Store } from "@kaleem/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type ApiResponse, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let a: Session;
let b: Session;
let lampA: { id: string };
let lampB: { id: string };
const BURST = 12;

/** Holds the next product read of the app (the first request's) until `open()`. */
const gate = {
  armed: false,
  reached: () => {},
  open: () => {},
  arm(): Promise<void> {
    this.armed = true;
    return new Promise<void>((resolve) => (this.reached = resolve));
  },
  async pass(): Promise<void> {
    if (!this.armed) return;
    this.armed = false;
    const opened = new Promise<void>((resolve) => (this.open = resolve));
    this.reached();
    await opened;
  },
};

/** The real store, with every tenant's product reads passing the gate first. */
function gatedProducts(store: Store): Store {
  const bind = (target: object, value: unknown) => (typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value);
  return new Proxy(store, {
    get(target, prop) {
      if (prop !== "forMerchant") return bind(target, Reflect.get(target, prop));
      return (id: Parameters<Store["forMerchant"]>[0]) => {
        const tenant = target.forMerchant(id);
        return new Proxy(tenant, {
          get(tt, p) {
            const value = Reflect.get(tt, p);
            if (p !== "products") return bind(tt, value);
            return new Proxy(value as object, {
              get(repo, name) {
                const fn = Reflect.get(repo, name);
                if (typeof fn !== "function") return fn;
                return async (...args: unknown[]) => {
                  await gate.pass();
                  return (fn as (...a: unknown[]) => unknown).apply(repo, args);
                };
              },
            });
          },
        });
      };
    },
  });
}

beforeAll(async () => {
  t = await startTestRest({}, {}, { wrapStore: gatedProducts });
  a = await t.signup("Idem A");
  b = await t.signup("Idem B");
  lampA = (await t.request("POST", "/api/v1/products", { token: a.token, body: { name: { en: "Lamp" }, price: 40, stock: 100 } })).body;
  lampB = (await t.request("POST", "/api/v1/products", { token: b.token, body: { name: { en: "Lamp" }, price: 40, stock: 100 } })).body;
});
afterAll(async () => t?.close());

const order = (s: Session, body: unknown, key: string) => t.request("POST", "/api/v1/orders", { token: s.token, body, headers: { "Idempotency-Key": key } });
const ordersOf = async (s: Session) => (await t.store.forMerchant(asMerchantId(s.merchantId)).orders.list({}, { limit: 200 })).items;
const stockOf = async (s: Session, id: string) => (await t.store.forMerchant(asMerchantId(s.merchantId)).products.get(id))!.stock;

/** One created 201; every other answer the in-flight 409 or the replay of exactly that 201. */
function expectOneCreation(answers: ApiResponse[]): { created: ApiResponse; inFlight: number; replays: number } {
  const created = answers.filter((r) => r.status === 201 && r.headers.get("idempotent-replayed") === null);
  expect(created, answers.map((r) => `${r.status} ${r.text.slice(0, 80)}`).join("\n")).toHaveLength(1);
  let inFlight = 0;
  let replays = 0;
  for (const r of answers) {
    if (r === created[0]) continue;
    if (r.status === 409) {
      expect(r.body.error.code).toBe("idempotency_in_flight");
      inFlight += 1;
    } else {
      expect(r.status, r.text).toBe(201);
      expect(r.headers.get("idempotent-replayed")).toBe("true");
      expect(r.body).toEqual(created[0]!.body);
      replays += 1;
    }
  }
  return { created: created[0]!, inFlight, replays };
}

describe("Idempotency-Key under concurrency", () => {
  it("while the first request with a key is in flight, every concurrent one is 409; then it is the one 201, replayed from then on", async () => {
    const body = { items: [{ productId: lampA.id, quantity: 2 }] };
    const key = `held-${Date.now()}`;
    const before = (await ordersOf(a)).length;
    const stock = await stockOf(a, lampA.id);
    const reached = gate.arm();
    const first = order(a, body, key);
    await reached; // the first request holds the key and is paused inside its work
    const concurrent = await Promise.all(Array.from({ length: BURST - 1 }, () => order(a, body, key)));
    for (const r of concurrent) {
      expect(r.status, r.text).toBe(409);
      expect(r.body.error.code).toBe("idempotency_in_flight");
    }
    // Another store's request with the same key, sent while A's is held, does not wait on it.
    const ofB = await order(b, { items: [{ productId: lampB.id, quantity: 1 }] }, key);
    expect(ofB.status, ofB.text).toBe(201);
    expect(ofB.body.merchantId).toBe(b.merchantId);
    gate.open();
    const created = await first;
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get("idempotent-replayed")).toBeNull();
    expect((await ordersOf(a)).length).toBe(before + 1);
    expect(await stockOf(a, lampA.id)).toBe(stock - 2);
    const replay = await order(a, body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(created.body);
  });

  it(`${BURST} simultaneous requests with one key and one body create one order; the others are 409 or the same 201`, async () => {
    const body = { items: [{ productId: lampA.id, quantity: 1 }], shippingAddress: "Jeddah" };
    const key = `burst-${Date.now()}`;
    const before = (await ordersOf(a)).length;
    const stock = await stockOf(a, lampA.id);
    const answers = await Promise.all(Array.from({ length: BURST }, () => order(a, body, key)));
    const { created, inFlight, replays } = expectOneCreation(answers);
    expect(inFlight + replays).toBe(BURST - 1);
    expect((await ordersOf(a)).length).toBe(before + 1);
    expect(await stockOf(a, lampA.id)).toBe(stock - 1);
    // Once settled, the key replays the one 201 for good.
    const later = await order(a, body, key);
    expect(later.status).toBe(201);
    expect(later.body).toEqual(created.body);
  });

  it("a burst on one key with different bodies creates one order; the rest are 409 in flight or 422 key reused", async () => {
    const key = `burst-mixed-${Date.now()}`;
    const before = (await ordersOf(a)).length;
    const answers = await Promise.all(Array.from({ length: BURST }, (_v, i) => order(a, { items: [{ productId: lampA.id, quantity: 1 + (i % 3) }] }, key)));
    const created = answers.filter((r) => r.status === 201 && r.headers.get("idempotent-replayed") === null);
    expect(created).toHaveLength(1);
    for (const r of answers) {
      if (r === created[0]) continue;
      if (r.status === 201) expect(r.body).toEqual(created[0]!.body); // same body as the winner: its replay
      else expect([`409 idempotency_in_flight`, `422 idempotency_key_reused`]).toContain(`${r.status} ${r.body.error.code}`);
    }
    expect((await ordersOf(a)).length).toBe(before + 1);
  });

  it("two stores racing on the same key are independent: each gets its own order", async () => {
    const key = `shared-burst-${Date.now()}`;
    const [beforeA, beforeB] = [(await ordersOf(a)).length, (await ordersOf(b)).length];
    const answers = await Promise.all(
      Array.from({ length: BURST }, (_v, i) => (i % 2 === 0 ? order(a, { items: [{ productId: lampA.id, quantity: 1 }] }, key) : order(b, { items: [{ productId: lampB.id, quantity: 1 }] }, key))),
    );
    const ofA = expectOneCreation(answers.filter((_r, i) => i % 2 === 0)).created;
    const ofB = expectOneCreation(answers.filter((_r, i) => i % 2 === 1)).created;
    expect(ofA.body.merchantId).toBe(a.merchantId);
    expect(ofB.body.merchantId).toBe(b.merchantId);
    expect(ofA.body.id).not.toBe(ofB.body.id);
    expect((await ordersOf(a)).length).toBe(beforeA + 1);
    expect((await ordersOf(b)).length).toBe(beforeB + 1);
  });

  it("refuses malformed keys with 400 and creates nothing", async () => {
    const before = (await ordersOf(a)).length;
    for (const key of ["x".repeat(256), "has space", "caf\u00e9", "tab\tkey"]) {
      const res = await t.request("POST", "/api/v1/orders", { token: a.token, body: { items: [{ productId: lampA.id, quantity: 1 }] }, headers: { "Idempotency-Key": key } });
      expect(res.status, key).toBe(400);
      expect(res.body.error.code, key).toBe("validation_failed");
    }
    expect((await ordersOf(a)).length).toBe(before);
  });
});
