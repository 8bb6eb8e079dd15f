// Store contract, orders and idempotency keys: numbering per merchant, stock taken in the order's
// transaction, the Idempotency-Key states. Uses catalog (stock), customers and conversations (filters).
import { describe, expect, it } from "vitest";
import { ConflictError, InsufficientStockError, ValidationError } from "../../../errors.js";
import { FIRST_ORDER_NUMBER } from "../../../store/defaults.js";
import { ALL_TIME, collectPages, delay, item, type StoreHarness } from "./harness.js";

export function ordersStoreTests(h: StoreHarness): void {
  const { tenant, conversationOf } = h;

  describe("orders", () => {
    it("numbers orders per merchant from FIRST_ORDER_NUMBER and rounds totals", async () => {
      const a = await tenant();
      const b = await tenant();
      const o1 = await a.t.orders.create({ items: [item("p1", 0.1, 3), item("p2", 0.2, 1)] });
      const o2 = await a.t.orders.create({ items: [item("p1", 10, 2)], currency: "USD" });
      const ob = await b.t.orders.create({ items: [item("p1", 1, 1)] });
      expect(o1.number).toBe(String(FIRST_ORDER_NUMBER));
      expect(o2.number).toBe(String(FIRST_ORDER_NUMBER + 1));
      expect(ob.number).toBe(String(FIRST_ORDER_NUMBER));
      expect(o1.total).toBe(0.5);
      expect(o1).toMatchObject({
        currency: "SAR",
        status: "pending",
        customerId: null,
        conversationId: null,
        paymentMethod: null,
        contact: {},
        shippingAddress: null,
      });
      expect(o2).toMatchObject({ total: 20, currency: "USD" });
      expect(await a.t.orders.get(o1.id)).toEqual(o1);
      expect(await a.t.orders.getByNumber(o2.number)).toEqual(o2);
      expect(await a.t.orders.getByNumber("999999")).toBeNull();
      await expect(a.t.orders.create({ items: [] })).rejects.toBeInstanceOf(ValidationError);
    });

    it("stores the items total, delivery and cash-on-delivery fees, and a total that adds them up", async () => {
      const { t } = await tenant();
      const order = await t.orders.create({ items: [item("p1", 65, 1), item("p2", 17.5, 2)], deliveryFee: 20, codFee: 12, paymentMethod: "cod" });
      expect(order).toMatchObject({ subtotal: 100, deliveryFee: 20, codFee: 12, total: 132 });
      expect(await t.orders.get(order.id)).toEqual(order);
      const plain = await t.orders.create({ items: [item("p1", 10, 1)] });
      expect(plain).toMatchObject({ subtotal: 10, deliveryFee: 0, codFee: 0, total: 10 });
      await expect(t.orders.create({ items: [item("p1", 10, 1)], deliveryFee: -5 })).rejects.toBeInstanceOf(ValidationError);
    });

    it("stores phones in E.164 on orders and customers, however they were typed", async () => {
      const { t } = await tenant();
      const order = await t.orders.create({ items: [item("p1", 10, 1)], contact: { name: "Sara", phone: "٠٥٥ ١٢٣ ٤٥٦٧" } });
      expect(order.contact).toEqual({ name: "Sara", phone: "+966551234567" });
      const customer = await t.customers.create({ channel: "webchat", phone: "00966 55 123 4567" });
      expect(customer.phone).toBe("+966551234567");
      expect((await t.customers.findByContact({ phone: "0551234567" }))?.id).toBe(customer.id);
      expect((await t.customers.update(customer.id, { phone: "+966 50 000 0001" }))?.phone).toBe("+966500000001");
      // Not a phone number: kept as typed rather than lost.
      expect((await t.customers.create({ channel: "webchat", phone: "ask my brother" })).phone).toBe("ask my brother");
    });

    it("concurrent creates get unique consecutive numbers", async () => {
      const { t } = await tenant();
      const orders = await Promise.all(Array.from({ length: 20 }, () => t.orders.create({ items: [item("p", 1, 1)] })));
      const numbers = orders.map((o) => Number(o.number)).sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => FIRST_ORDER_NUMBER + i));
    });

    it("reserveStock takes stock in the order's transaction, all or nothing", async () => {
      const { t } = await tenant();
      const a = await t.products.create({ name: { en: "A", ar: "أ" }, price: 10, stock: 3 });
      const b = await t.products.create({ name: { en: "B", ar: "ب" }, price: 20, stock: 1 });
      const order = await t.orders.create({ items: [item(a.id, 10, 2), item(b.id, 20, 1)], reserveStock: true });
      expect(order.total).toBe(40);
      expect((await t.products.get(a.id))?.stock).toBe(1);
      expect((await t.products.get(b.id))?.stock).toBe(0);
      const before = (await t.orders.list()).items.length;
      const err = await t.orders.create({ items: [item(a.id, 10, 1), item(b.id, 20, 1)], reserveStock: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InsufficientStockError);
      expect((err as InsufficientStockError).items).toEqual([{ productId: b.id, requested: 1, available: 0 }]);
      expect((await t.products.get(a.id))?.stock).toBe(1);
      expect((await t.orders.list()).items.length).toBe(before);
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => t.orders.create({ items: [item(a.id, 10, 1)], reserveStock: true })),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect((await t.products.get(a.id))?.stock).toBe(0);
    });

    it("reserveStock cannot take another merchant's stock", async () => {
      const a = await tenant();
      const b = await tenant();
      const p = await a.t.products.create({ name: { en: "A", ar: "أ" }, price: 10, stock: 5 });
      await expect(b.t.orders.create({ items: [item(p.id, 10, 1)], reserveStock: true })).rejects.toBeInstanceOf(InsufficientStockError);
      expect((await a.t.products.get(p.id))?.stock).toBe(5);
    });

    it("lists with filters, newest first, and updates status", async () => {
      const { t } = await tenant();
      const customer = await t.customers.create({ channel: "webchat", name: "C" });
      const conv = await conversationOf(t);
      const o1 = await t.orders.create({
        items: [item("p", 5, 1)],
        customerId: customer.id,
        conversationId: conv.id,
        paymentMethod: "cod",
        contact: { name: "Sara", phone: "+966500000000" },
        shippingAddress: "Riyadh",
      });
      const o2 = await t.orders.create({ items: [item("p", 5, 1)], status: "confirmed" });
      const o3 = await t.orders.create({ items: [item("p", 5, 1)], customerId: customer.id });
      expect(o1.contact).toEqual({ name: "Sara", phone: "+966500000000" });
      expect((await t.orders.list()).items.map((o) => o.id)).toEqual([o3.id, o2.id, o1.id]);
      expect((await t.orders.list({ status: "confirmed" })).items.map((o) => o.id)).toEqual([o2.id]);
      expect((await t.orders.list({ customerId: customer.id })).items.map((o) => o.id)).toEqual([o3.id, o1.id]);
      expect((await t.orders.list({ conversationId: conv.id })).items.map((o) => o.id)).toEqual([o1.id]);
      const { items } = await collectPages((p) => t.orders.list({}, p), 2);
      expect(items.map((o) => o.id)).toEqual([o3.id, o2.id, o1.id]);

      const shipped = await t.orders.updateStatus(o1.id, "shipped");
      expect(shipped?.status).toBe("shipped");
      expect((await t.orders.get(o1.id))?.status).toBe("shipped");
      expect(await t.orders.updateStatus("missing", "shipped")).toBeNull();
    });

    it("filters by the channel of the order's conversation and by a creation window", async () => {
      const { t } = await tenant();
      const wa = await t.conversations.create({ channel: "whatsapp" });
      const web = await conversationOf(t);
      const onWhatsApp = await t.orders.create({ items: [item("p", 5, 1)], conversationId: wa.id });
      await delay(5);
      const onWeb = await t.orders.create({ items: [item("p", 5, 1)], conversationId: web.id });
      const noConversation = await t.orders.create({ items: [item("p", 5, 1)] });
      expect((await t.orders.list({ channel: "whatsapp" })).items.map((o) => o.id)).toEqual([onWhatsApp.id]);
      expect((await t.orders.list({ channel: "webchat" })).items.map((o) => o.id)).toEqual([onWeb.id]);
      expect((await t.orders.list({ channel: "telegram" })).items).toEqual([]);
      expect((await t.orders.list({ createdFrom: onWeb.createdAt })).items.map((o) => o.id)).toEqual([noConversation.id, onWeb.id]);
      expect((await t.orders.list({ createdBefore: onWeb.createdAt })).items.map((o) => o.id)).toEqual([onWhatsApp.id]);
      expect((await t.orders.list({ createdFrom: onWhatsApp.createdAt, createdBefore: onWeb.createdAt, channel: "whatsapp" })).items.map((o) => o.id)).toEqual([onWhatsApp.id]);
    });

    it("searches by order number, phone (whole, however it is typed), email (whole) and name", async () => {
      const { t } = await tenant();
      const customer = await t.customers.create({ channel: "webchat", name: "Huda", email: "Huda.Saleh@Example.com", phone: "+966 50 111 2233" });
      const sara = await t.orders.create({ items: [item("p", 5, 1)], contact: { name: "Sara Al-Harbi", phone: "0551234567", email: "sara@example.com" } });
      const huda = await t.orders.create({ items: [item("p", 5, 1)], customerId: customer.id });
      const other = await t.orders.create({ items: [item("p", 5, 1)], contact: { name: "Omar", phone: "+971501234567" } });
      const ids = async (q: string) => (await t.orders.list({ q })).items.map((o) => o.id);
      expect(await ids(sara.number)).toEqual([sara.id]);
      expect(await ids(`#${huda.number}`)).toEqual([huda.id]);
      expect(await ids("+966551234567")).toEqual([sara.id]);
      expect(await ids("055 123 4567")).toEqual([sara.id]);
      expect(await ids("٠٥٥١٢٣٤٥٦٧")).toEqual([sara.id]);
      // The customer's own phone and email find their orders too.
      expect(await ids("0501112233")).toEqual([huda.id]);
      expect(await ids("huda.saleh@example.com")).toEqual([huda.id]);
      expect(await ids("SARA@EXAMPLE.COM")).toEqual([sara.id]);
      // Sealed at rest, found by keyed hash: a part of an email or phone finds nothing.
      expect(await ids("sara@example")).toEqual([]);
      expect(await ids("123 4567")).toEqual([]);
      expect(await ids("al-harbi")).toEqual([sara.id]);
      expect(await ids("nobody-here")).toEqual([]);
      expect(await ids("100%")).toEqual([]);
      expect((await t.orders.list({ q: "omar", status: "confirmed" })).items).toEqual([]);
      expect(await ids("omar")).toEqual([other.id]);
    });

    it("changes status only from the expected one, writing its outbox rows in the same transaction", async () => {
      const { t } = await tenant();
      const order = await t.orders.create({ items: [item("p", 5, 1)] });
      const outbox = (o: { id: string; number: string; status: "pending" | "confirmed" | "shipped" | "delivered" | "cancelled" }, previous: { status: typeof o.status }) => [
        { topic: "order.status_changed" as const, payload: { orderId: o.id, number: o.number, from: previous.status, to: o.status, actorId: null, changedAt: new Date().toISOString() } },
      ];
      const confirmed = await t.orders.updateStatus(order.id, "confirmed", { onlyFrom: ["pending"], outbox });
      expect(confirmed?.status).toBe("confirmed");
      const rows = (await t.outbox.listPending(100)).filter((r) => r.topic === "order.status_changed");
      expect(rows.map((r) => r.payload)).toEqual([expect.objectContaining({ orderId: order.id, from: "pending", to: "confirmed" })]);
      // Someone else moved it first: nothing changes, no event.
      await expect(t.orders.updateStatus(order.id, "cancelled", { onlyFrom: ["pending"], outbox })).rejects.toBeInstanceOf(ConflictError);
      expect((await t.orders.get(order.id))?.status).toBe("confirmed");
      // A row that fails its topic's schema rolls the change back.
      await expect(
        t.orders.updateStatus(order.id, "shipped", { outbox: () => [{ topic: "order.status_changed", payload: { orderId: "" } as never }] }),
      ).rejects.toThrow();
      expect((await t.orders.get(order.id))?.status).toBe("confirmed");
      expect((await t.outbox.listPending(100)).filter((r) => r.topic === "order.status_changed")).toHaveLength(1);
      expect(await t.orders.updateStatus("missing", "shipped", { onlyFrom: ["confirmed"] })).toBeNull();
    });

    it("listCreatedBetween is a half-open window", async () => {
      const { t } = await tenant();
      const before = new Date(Date.now() - 1000).toISOString();
      const o = await t.orders.create({ items: [item("p", 1, 1)] });
      const after = new Date(Date.parse(o.createdAt) + 1000).toISOString();
      expect((await t.orders.listCreatedBetween(before, after)).map((x) => x.id)).toEqual([o.id]);
      expect(await t.orders.listCreatedBetween(after, "2999-01-01T00:00:00.000Z")).toEqual([]);
      expect(await t.orders.listCreatedBetween(before, o.createdAt)).toEqual([]);
      expect((await t.orders.listCreatedBetween(o.createdAt, after)).map((x) => x.id)).toEqual([o.id]);
    });

    it("merchant B can neither read, change nor list merchant A's orders and idempotency keys", async () => {
      const a = (await tenant("A")).t;
      const b = (await tenant("B")).t;
      const order = await a.orders.create({ items: [item("p1", 5, 1)] });
      await a.idempotency.begin("a-key", "h", 60);

      expect(await b.orders.get(order.id)).toBeNull();
      expect(await b.orders.getByNumber(order.number)).toBeNull();
      expect(await b.orders.updateStatus(order.id, "cancelled")).toBeNull();
      await b.idempotency.release("a-key");
      expect((await b.orders.list()).items).toEqual([]);
      expect(await b.orders.listCreatedBetween(...ALL_TIME)).toEqual([]);

      expect(await a.orders.get(order.id)).toEqual(order);
      expect(await a.idempotency.begin("a-key", "h", 60)).toEqual({ state: "in_flight" });
    });
  });

  describe("idempotency", () => {
    const respond = (status = 201) => (order: { id: string; number: string }) => ({
      status,
      body: { id: order.id, number: order.number },
    });

    it("started, in flight, mismatch, then replay of the order created in the same transaction", async () => {
      const { t } = await tenant();
      expect(await t.idempotency.begin("k1", "hash-a", 86_400)).toEqual({ state: "started" });
      expect(await t.idempotency.begin("k1", "hash-a", 86_400)).toEqual({ state: "in_flight" });
      expect(await t.idempotency.begin("k1", "hash-b", 86_400)).toEqual({ state: "mismatch" });
      const order = await t.orders.create({ items: [item("p", 3, 2)] }, { key: "k1", response: respond() });
      const replay = await t.idempotency.begin("k1", "hash-a", 86_400);
      expect(replay).toEqual({ state: "replay", response: { status: 201, body: { id: order.id, number: order.number } } });
      expect(await t.idempotency.begin("k1", "hash-b", 86_400)).toEqual({ state: "mismatch" });
      expect((await t.orders.list()).items).toHaveLength(1);
    });

    it("concurrent begins with one key: exactly one starts", async () => {
      const { t } = await tenant();
      const results = await Promise.all(Array.from({ length: 6 }, () => t.idempotency.begin("race", "h", 60)));
      expect(results.filter((r) => r.state === "started")).toHaveLength(1);
      expect(results.filter((r) => r.state === "in_flight")).toHaveLength(5);
    });

    it("orders.create with a key that is not held creates nothing", async () => {
      const { t } = await tenant();
      await expect(
        t.orders.create({ items: [item("p", 1, 1)] }, { key: "never-begun", response: respond() }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect((await t.orders.list()).items).toEqual([]);
    });

    it("a failing response builder rolls the order back and keeps the key in flight", async () => {
      const { t } = await tenant();
      await t.idempotency.begin("k", "h", 60);
      await expect(
        t.orders.create(
          { items: [item("p", 1, 1)] },
          {
            key: "k",
            response: () => {
              throw new Error("boom");
            },
          },
        ),
      ).rejects.toThrow("boom");
      expect((await t.orders.list()).items).toEqual([]);
      expect(await t.idempotency.begin("k", "h", 60)).toEqual({ state: "in_flight" });
      const order = await t.orders.create({ items: [item("p", 1, 1)] }, { key: "k", response: respond() });
      expect(order.number).toBe(String(FIRST_ORDER_NUMBER));
    });

    it("complete stores a response for replay; release frees the key", async () => {
      const { t } = await tenant();
      await t.idempotency.begin("c", "h", 60);
      await t.idempotency.complete("c", { status: 422, body: { error: "out_of_stock" } });
      expect(await t.idempotency.begin("c", "h", 60)).toEqual({
        state: "replay",
        response: { status: 422, body: { error: "out_of_stock" } },
      });
      await expect(t.idempotency.complete("unknown", { status: 200, body: null })).rejects.toBeInstanceOf(ConflictError);

      await t.idempotency.begin("r", "h1", 60);
      await t.idempotency.release("r");
      expect(await t.idempotency.begin("r", "h2", 60)).toEqual({ state: "started" });
    });

    it("keys are scoped per merchant", async () => {
      const a = await tenant();
      const b = await tenant();
      await a.t.idempotency.begin("same", "h", 60);
      await a.t.orders.create({ items: [item("p", 1, 1)] }, { key: "same", response: respond() });
      expect(await b.t.idempotency.begin("same", "other-hash", 60)).toEqual({ state: "started" });
    });

    it("an expired key starts over", async () => {
      const { t } = await tenant();
      await t.idempotency.begin("short", "h1", 0.05);
      await t.idempotency.complete("short", { status: 201, body: 1 });
      await delay(120);
      expect(await t.idempotency.begin("short", "h2", 60)).toEqual({ state: "started" });
    });

    it("upserts synced orders by (source, externalId), keeps the platform's figures and number, and finds every order by number", async () => {
      const { t } = await tenant();
      const own = await t.orders.create({ items: [item("p1", 10, 1)] });
      const base = {
        source: "shopify" as const,
        externalId: "820982911946154508",
        number: own.number,
        items: [item("shopify:1", 89.99, 1, "Aviator sunglasses")],
        subtotal: 404.95,
        deliveryFee: 10,
        total: 404.95,
        currency: "USD",
        status: "pending" as const,
        paymentMethod: "visa",
        contact: { email: "jon@example.com", phone: "0551234567" },
        shippingAddress: "123 Shipping Street",
        createdAt: "2021-12-31T19:00:00.000Z",
      };
      const first = await t.orders.upsertSynced(base);
      expect(first.created).toBe(true);
      expect(first.order).toMatchObject({ source: "shopify", externalId: base.externalId, number: own.number, total: 404.95, subtotal: 404.95, deliveryFee: 10, codFee: 0, createdAt: base.createdAt });
      expect(first.order.contact.phone).toBe("+966551234567");
      const salla = await t.orders.upsertSynced({ ...base, source: "salla" });
      expect(salla.order.id).not.toBe(first.order.id);
      const updated = await t.orders.upsertSynced({ ...base, status: "cancelled", total: 0 });
      expect(updated).toMatchObject({ created: false, order: { id: first.order.id, status: "cancelled", total: 0 } });
      expect((await t.orders.getByExternalId("shopify", base.externalId))?.status).toBe("cancelled");
      expect(await t.orders.getByExternalId("zid", base.externalId)).toBeNull();
      // Kaleem's own order first, then the synced ones with the same number.
      const byNumber = await t.orders.listByNumber(own.number);
      expect(byNumber.map((o) => o.id)[0]).toBe(own.id);
      expect(new Set(byNumber.map((o) => o.id))).toEqual(new Set([own.id, first.order.id, salla.order.id]));
      expect((await t.orders.getByNumber(own.number))?.id).toBe(own.id);
      expect(own).toMatchObject({ source: null, externalId: null });
    });

    it("writes outbox rows with a created order in its transaction", async () => {
      const { t } = await tenant();
      const order = await t.orders.create({ items: [item("p1", 10, 1)] }, undefined, {
        outbox: (o) => [{ topic: "webhook.event", payload: { eventId: `order-${o.id}`, type: "order.created", createdAt: o.createdAt, data: { orderId: o.id } } }],
      });
      const pending = await t.outbox.listPending(10);
      expect(pending.map((r) => r.payload)).toEqual([expect.objectContaining({ eventId: `order-${order.id}`, data: { orderId: order.id } })]);
    });
  });
}
