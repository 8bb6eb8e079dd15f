// The store contract: every adapter of the storage port runs this suite (BullMQ-style
// conformance tests). Each test creates its own merchants, so the suite shares one store and
// never depends on test order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeData, OrderItem, Page } from "../contracts/domain.js";
import { ConflictError, InsufficientStockError, NotFoundError, ValidationError } from "../errors.js";
import { newId } from "../ids.js";
import { DEFAULT_GREETING, DEFAULT_HANDOFF_ORDER_VALUE, DEFAULT_MAX_OPEN_COD_ORDERS, DEFAULT_MAX_ORDER_QUANTITY, DEFAULT_MAX_ORDER_VALUE, FIRST_ORDER_NUMBER } from "./defaults.js";
import { MAX_PAGE_LIMIT, type NewProduct, type PageRequest, type Store, type TenantStore } from "./port.js";

let emailCounter = 0;
const uniqueEmail = (label = "owner") => `${label}-${newId()}-${++emailCounter}@Example.COM`;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function collectPages<T>(fetch: (page: PageRequest) => Promise<Page<T>>, limit: number, between?: () => Promise<void>) {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Page<T> = await fetch({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
    if (between) await between();
    if (pages > 1000) throw new Error("pagination does not terminate");
  } while (cursor);
  return { items, pages };
}

const item = (productId: string, price: number, quantity: number, name = "Item"): OrderItem => ({
  productId,
  name,
  price,
  quantity,
});

const faq = (q: string, a: string): KnowledgeData => ({
  kind: "faq",
  faq: { question: { en: q, ar: "" }, answer: { en: a, ar: "" } },
});

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    async function tenant(merchantName = "Shop") {
      const email = uniqueEmail();
      const { merchant, owner } = await store.createMerchant(
        { name: merchantName },
        { email, name: "Owner", role: "owner", passwordHash: "hash:owner" },
      );
      return { t: store.forMerchant(asId(merchant.id)), merchant, owner, email };
    }
    const asId = (id: string) => id as TenantStore["merchantId"];

    async function conversationOf(t: TenantStore) {
      return t.conversations.create({ channel: "webchat", visitorId: `v-${newId()}` });
    }

    describe("merchants", () => {
      it("createMerchant applies the defaults and creates the owner", async () => {
        const { t, merchant, owner, email } = await tenant("Defaults Shop");
        expect(merchant.name).toBe("Defaults Shop");
        expect(merchant.currency).toBe("SAR");
        expect(merchant.defaultLocale).toBe("en");
        expect(merchant.widget.key).toMatch(/^wk_[A-Za-z0-9_-]{20,}$/);
        expect(merchant.widget.allowedOrigins).toEqual([]);
        expect(merchant.widget.allowApps).toBe(false);
        expect(merchant.widget.color).toBe("#0f766e");
        expect(merchant.widget.greeting).toEqual(DEFAULT_GREETING);
        expect(merchant.widget.languages).toEqual(["en", "ar"]);
        expect(merchant.widget.identitySecret.length).toBeGreaterThanOrEqual(32);
        expect(merchant.bot).toEqual({
          lowConfidence: "clarify",
          handoffKeywords: [],
          handoffOrderValue: DEFAULT_HANDOFF_ORDER_VALUE,
          checkout: "cod",
          platformCheckoutUrl: null,
          llmMonthlyTokenBudget: 0,
          intentExamples: [],
          whileWaiting: "answer",
          arabicDigits: "western",
          maxOrderQuantity: DEFAULT_MAX_ORDER_QUANTITY,
          maxOrderValue: DEFAULT_MAX_ORDER_VALUE,
          maxOpenCodOrders: DEFAULT_MAX_OPEN_COD_ORDERS,
        });
        expect(owner.email).toBe(email.toLowerCase());
        expect(owner.role).toBe("owner");
        expect(owner.merchantId).toBe(merchant.id);
        expect(await t.merchant.get()).toEqual(merchant);
        expect(await t.users.get(owner.id)).toEqual(owner);
        expect(await store.lookup.merchantIds()).toContain(merchant.id);
      });

      it("two merchants get different widget keys and identity secrets", async () => {
        const a = await tenant();
        const b = await tenant();
        expect(a.merchant.widget.key).not.toBe(b.merchant.widget.key);
        expect(a.merchant.widget.identitySecret).not.toBe(b.merchant.widget.identitySecret);
        expect(await store.lookup.merchantByWidgetKey(a.merchant.widget.key)).toBe(a.merchant.id);
        expect(await store.lookup.merchantByWidgetKey("wk_nope")).toBeNull();
      });

      it("createMerchant keeps the caller's choices over the defaults", async () => {
        const { merchant } = await store.createMerchant(
          {
            name: "Custom",
            currency: "AED",
            defaultLocale: "ar",
            widget: { color: "#000000", allowedOrigins: ["https://shop.example"] },
            bot: { checkout: "platform", platformCheckoutUrl: "https://shop.example/checkout" },
          },
          { email: uniqueEmail(), name: "O", role: "owner", passwordHash: "h" },
        );
        expect(merchant.currency).toBe("AED");
        expect(merchant.defaultLocale).toBe("ar");
        expect(merchant.widget.color).toBe("#000000");
        expect(merchant.widget.allowedOrigins).toEqual(["https://shop.example"]);
        expect(merchant.widget.languages).toEqual(["en", "ar"]);
        expect(merchant.bot.checkout).toBe("platform");
        expect(merchant.bot.lowConfidence).toBe("clarify");
      });

      it("a taken email (any case) is a ConflictError and leaves no merchant behind", async () => {
        const { email } = await tenant();
        const before = (await store.lookup.merchantIds()).length;
        await expect(
          store.createMerchant({ name: "Dup" }, { email: email.toUpperCase(), name: "X", role: "owner", passwordHash: "h" }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect((await store.lookup.merchantIds()).length).toBe(before);
      });

      it("update merges nested settings and moves the widget key lookup", async () => {
        const { t, merchant } = await tenant();
        const updated = await t.merchant.update({
          name: "Renamed",
          widget: { key: `wk_${newId()}`, greeting: { en: "Hello", ar: "مرحبا" } },
          bot: { handoffKeywords: ["human"] },
        });
        expect(updated.name).toBe("Renamed");
        expect(updated.widget.color).toBe(merchant.widget.color);
        expect(updated.widget.identitySecret).toBe(merchant.widget.identitySecret);
        expect(updated.widget.greeting).toEqual({ en: "Hello", ar: "مرحبا" });
        expect(updated.bot.handoffKeywords).toEqual(["human"]);
        expect(updated.bot.checkout).toBe("cod");
        expect(await t.merchant.get()).toEqual(updated);
        expect(await store.lookup.merchantByWidgetKey(updated.widget.key)).toBe(merchant.id);
        expect(await store.lookup.merchantByWidgetKey(merchant.widget.key)).toBeNull();
      });

      it("a widget key of another merchant is a ConflictError", async () => {
        const a = await tenant();
        const b = await tenant();
        await expect(b.t.merchant.update({ widget: { key: a.merchant.widget.key } })).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect((await b.t.merchant.get()).widget.key).toBe(b.merchant.widget.key);
      });

      it("ping answers while the store is open", async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe("users", () => {
      it("create, get, credentials, update, remove", async () => {
        const { t, merchant } = await tenant();
        const email = uniqueEmail("agent");
        const user = await t.users.create({ email, name: "Agent", role: "agent", passwordHash: "hash:1" });
        expect(user).toMatchObject({ email: email.toLowerCase(), name: "Agent", role: "agent", merchantId: merchant.id });
        expect(await t.users.get(user.id)).toEqual(user);
        expect(await t.users.getCredentials(user.id)).toEqual({ user, passwordHash: "hash:1" });

        const updated = await t.users.update(user.id, { role: "admin", passwordHash: "hash:2" });
        expect(updated).toMatchObject({ id: user.id, role: "admin", name: "Agent" });
        expect((await t.users.getCredentials(user.id))?.passwordHash).toBe("hash:2");
        expect(await t.users.update("missing", { name: "x" })).toBeNull();

        expect(await t.users.remove(user.id)).toBe(true);
        expect(await t.users.get(user.id)).toBeNull();
        expect(await t.users.remove(user.id)).toBe(false);
      });

      it("emails are unique across merchants and looked up case-insensitively", async () => {
        const a = await tenant();
        const b = await tenant();
        const email = uniqueEmail("shared");
        const user = await a.t.users.create({ email, name: "A", role: "agent", passwordHash: "h" });
        await expect(
          b.t.users.create({ email: email.toUpperCase(), name: "B", role: "agent", passwordHash: "h" }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.lookup.userByEmail(`  ${email.toUpperCase()} `)).toEqual({
          merchantId: a.merchant.id,
          userId: user.id,
        });
        expect(await store.lookup.userByEmail("nobody@example.com")).toBeNull();
      });

      it("list pages through the merchant's users", async () => {
        const { t, owner } = await tenant();
        for (let i = 0; i < 4; i++)
          await t.users.create({ email: uniqueEmail(`u${i}`), name: `U${i}`, role: "agent", passwordHash: "h" });
        const { items, pages } = await collectPages((p) => t.users.list(p), 2);
        expect(items).toHaveLength(5);
        expect(pages).toBe(3);
        expect(new Set(items.map((u) => u.id)).size).toBe(5);
        expect(items.map((u) => u.id)).toContain(owner.id);
      });
    });

    describe("refresh tokens", () => {
      it("create, get and lookup", async () => {
        const { t, owner, merchant } = await tenant();
        const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
        const token = await t.refreshTokens.create({ id: newId(), userId: owner.id, familyId: "fam-1", expiresAt });
        expect(token).toMatchObject({ userId: owner.id, familyId: "fam-1", expiresAt, usedAt: null, revokedAt: null });
        expect(token.merchantId).toBe(merchant.id);
        expect(await t.refreshTokens.get(token.id)).toEqual(token);
        expect(await store.lookup.refreshToken(token.id)).toEqual({ merchantId: merchant.id, userId: owner.id });
        expect(await store.lookup.refreshToken("missing")).toBeNull();
      });

      it("markUsed succeeds exactly once, even when raced", async () => {
        const { t, owner } = await tenant();
        const id = newId();
        await t.refreshTokens.create({ id, userId: owner.id, familyId: "f", expiresAt: "2999-01-01T00:00:00.000Z" });
        const results = await Promise.all(Array.from({ length: 10 }, () => t.refreshTokens.markUsed(id)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await t.refreshTokens.markUsed(id)).toBe(false);
        expect((await t.refreshTokens.get(id))?.usedAt).not.toBeNull();
        expect(await t.refreshTokens.markUsed("missing")).toBe(false);
      });

      it("revokeFamily and revokeAllForUser revoke the live tokens", async () => {
        const { t, owner } = await tenant();
        const other = await t.users.create({ email: uniqueEmail(), name: "O", role: "agent", passwordHash: "h" });
        const exp = "2999-01-01T00:00:00.000Z";
        const a1 = await t.refreshTokens.create({ id: newId(), userId: owner.id, familyId: "A", expiresAt: exp });
        const a2 = await t.refreshTokens.create({ id: newId(), userId: owner.id, familyId: "A", expiresAt: exp });
        const b1 = await t.refreshTokens.create({ id: newId(), userId: owner.id, familyId: "B", expiresAt: exp });
        const c1 = await t.refreshTokens.create({ id: newId(), userId: other.id, familyId: "C", expiresAt: exp });
        expect(await t.refreshTokens.revokeFamily("A")).toBe(2);
        expect(await t.refreshTokens.revokeFamily("A")).toBe(0);
        expect(await t.refreshTokens.markUsed(a1.id)).toBe(false);
        expect((await t.refreshTokens.get(a2.id))?.revokedAt).not.toBeNull();
        expect(await t.refreshTokens.revokeAllForUser(owner.id)).toBe(1);
        expect((await t.refreshTokens.get(b1.id))?.revokedAt).not.toBeNull();
        expect((await t.refreshTokens.get(c1.id))?.revokedAt).toBeNull();
      });

      it("a token cannot be created for another merchant's user", async () => {
        const a = await tenant();
        const b = await tenant();
        await expect(
          b.t.refreshTokens.create({ id: newId(), userId: a.owner.id, familyId: "x", expiresAt: "2999-01-01T00:00:00.000Z" }),
        ).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe("categories", () => {
      it("ensure is idempotent by slug; update, list, remove", async () => {
        const { t } = await tenant();
        const shoes = await t.categories.ensure({ slug: "shoes", name: { en: "Shoes", ar: "أحذية" } });
        expect(shoes).toMatchObject({ slug: "shoes", name: { en: "Shoes", ar: "أحذية" } });
        expect((await t.categories.ensure({ slug: "shoes" })).id).toBe(shoes.id);
        expect(await t.categories.get(shoes.id)).toEqual(shoes);
        expect(await t.categories.getBySlug("shoes")).toEqual(shoes);
        expect(await t.categories.getBySlug("hats")).toBeNull();

        const bags = await t.categories.ensure({ slug: "bags", name: { en: "Bags" } });
        expect(bags.name).toEqual({ en: "Bags", ar: "" });
        const renamed = await t.categories.update(bags.id, { name: { ar: "حقائب" } });
        expect(renamed?.name).toEqual({ en: "Bags", ar: "حقائب" });
        await expect(t.categories.update(bags.id, { slug: "shoes" })).rejects.toBeInstanceOf(ConflictError);

        const { items } = await collectPages((p) => t.categories.list(p), 1);
        expect(items.map((c) => c.slug).sort()).toEqual(["bags", "shoes"]);

        const product = await t.products.create({ name: { en: "Sneaker", ar: "" }, price: 10, categoryId: shoes.id });
        expect(await t.categories.remove(shoes.id)).toBe(true);
        expect(await t.categories.get(shoes.id)).toBeNull();
        expect((await t.products.get(product.id))?.categoryId).toBeNull();
        expect(await t.categories.remove(shoes.id)).toBe(false);
      });

      it("ensure raced for one slug creates one category", async () => {
        const { t } = await tenant();
        const results = await Promise.all(Array.from({ length: 8 }, () => t.categories.ensure({ slug: "race" })));
        expect(new Set(results.map((c) => c.id)).size).toBe(1);
      });
    });

    describe("products", () => {
      const sample = (over: Partial<NewProduct> = {}): NewProduct => ({
        name: { en: "Red Running Shoe", ar: "حذاء جري أحمر" },
        description: { en: "Light and fast", ar: "خفيف وسريع" },
        price: 199.99,
        stock: 5,
        tags: ["running", "Sport"],
        ...over,
      });

      it("create applies defaults; get, update, remove, count", async () => {
        const { t, merchant } = await tenant();
        const created = await t.products.create({ name: { en: "Plain", ar: "" }, price: 10 });
        expect(created).toMatchObject({
          merchantId: merchant.id,
          externalId: null,
          name: { en: "Plain", ar: "" },
          description: { en: "", ar: "" },
          categoryId: null,
          price: 10,
          currency: "SAR",
          attributes: {},
          stock: 0,
          tags: [],
          imageUrl: null,
          url: null,
          status: "active",
        });
        expect(await t.products.get(created.id)).toEqual(created);

        const full = await t.products.create(
          sample({ attributes: { color: "red" }, imageUrl: "https://img/1.png", url: "https://shop/p/1" }),
        );
        expect(full.attributes).toEqual({ color: "red" });
        const updated = await t.products.update(full.id, { price: 150, status: "draft", imageUrl: null, name: { en: "Red Running Shoe", ar: "حذاء" } });
        expect(updated).toMatchObject({
          price: 150,
          status: "draft",
          imageUrl: null,
          url: "https://shop/p/1",
          name: { en: "Red Running Shoe", ar: "حذاء" },
        });
        expect(await t.products.get(full.id)).toEqual(updated);
        expect(await t.products.update("missing", { price: 1 })).toBeNull();
        expect(await t.products.count()).toBe(2);
        expect(await t.products.remove(created.id)).toBe(true);
        expect(await t.products.remove(created.id)).toBe(false);
        expect(await t.products.get(created.id)).toBeNull();
        expect(await t.products.count()).toBe(1);
      });

      it("filters by status, category, price range and text in both languages", async () => {
        const { t } = await tenant();
        const shoes = await t.categories.ensure({ slug: "shoes" });
        const red = await t.products.create(sample({ categoryId: shoes.id, externalId: "SKU-RED" }));
        const blue = await t.products.create(
          sample({ name: { en: "Blue Sandal", ar: "صندل أزرق" }, description: { en: "", ar: "" }, price: 50, tags: ["summer"], categoryId: shoes.id }),
        );
        const hat = await t.products.create(sample({ name: { en: "Sun Hat", ar: "قبعة شمس" }, description: { en: "", ar: "" }, price: 80, tags: [], status: "draft" }));
        const ids = async (filter: Parameters<TenantStore["products"]["list"]>[0]) =>
          (await t.products.list(filter, { limit: 100 })).items.map((p) => p.id).sort();

        expect(await ids({})).toEqual([red.id, blue.id, hat.id].sort());
        expect(await ids({ status: "draft" })).toEqual([hat.id]);
        expect(await ids({ status: "active", categoryId: shoes.id })).toEqual([red.id, blue.id].sort());
        expect(await ids({ minPrice: 60 })).toEqual([red.id, hat.id].sort());
        expect(await ids({ maxPrice: 80 })).toEqual([blue.id, hat.id].sort());
        expect(await ids({ minPrice: 50, maxPrice: 80 })).toEqual([blue.id, hat.id].sort());
        expect(await ids({ q: "running" })).toEqual([red.id]);
        expect(await ids({ q: "SANDAL" })).toEqual([blue.id]);
        expect(await ids({ q: "sport" })).toEqual([red.id]);
        expect(await ids({ q: "fast" })).toEqual([red.id]);
        expect(await ids({ q: "sku-red" })).toEqual([red.id]);
        expect(await ids({ q: "صندل" })).toEqual([blue.id]);
        expect(await ids({ q: "قبعة" })).toEqual([hat.id]);
        expect(await ids({ q: "خفيف" })).toEqual([red.id]);
        expect(await ids({ q: "nothing-like-this" })).toEqual([]);
        expect(await ids({ q: "shoe", status: "active", maxPrice: 100 })).toEqual([]);
      });

      it("lists newest first and pages stably while products are added", async () => {
        const { t } = await tenant();
        const original: string[] = [];
        for (let i = 0; i < 23; i++) original.push((await t.products.create(sample({ price: i }))).id);
        const added: string[] = [];
        const { items } = await collectPages(
          (p) => t.products.list({}, p),
          5,
          async () => {
            added.push((await t.products.create(sample({ price: 1000 }))).id);
          },
        );
        const seen = items.map((p) => p.id);
        expect(new Set(seen).size).toBe(seen.length);
        for (const id of original) expect(seen).toContain(id);
        const originalOnly = seen.filter((id) => original.includes(id));
        expect(originalOnly).toEqual([...original].reverse());
      });

      it("upsertByExternalId creates once, then updates the same product", async () => {
        const { t } = await tenant();
        const first = await t.products.upsertByExternalId("ext-1", sample({ price: 10, stock: 3 }));
        expect(first.created).toBe(true);
        expect(first.product.externalId).toBe("ext-1");
        const second = await t.products.upsertByExternalId("ext-1", sample({ price: 12, stock: 7 }));
        expect(second.created).toBe(false);
        expect(second.product.id).toBe(first.product.id);
        expect(second.product).toMatchObject({ price: 12, stock: 7, externalId: "ext-1" });
        expect(await t.products.getByExternalId("ext-1")).toEqual(second.product);
        expect(await t.products.getByExternalId("ext-2")).toBeNull();
        expect(await t.products.count()).toBe(1);
        await expect(t.products.create(sample({ externalId: "ext-1" }))).rejects.toBeInstanceOf(ConflictError);
      });

      it("all() returns every product ordered by id", async () => {
        const { t } = await tenant();
        for (let i = 0; i < 7; i++) await t.products.create(sample({ price: i }));
        const all = await t.products.all();
        expect(all).toHaveLength(7);
        expect(all.map((p) => p.id)).toEqual(all.map((p) => p.id).sort());
      });

      it("reserveStock never goes below zero under concurrency", async () => {
        const { t } = await tenant();
        const p = await t.products.create(sample({ stock: 10 }));
        const results = await Promise.all(Array.from({ length: 25 }, () => t.products.reserveStock(p.id, 1)));
        expect(results.filter(Boolean)).toHaveLength(10);
        expect((await t.products.get(p.id))?.stock).toBe(0);
        expect(await t.products.reserveStock(p.id, 1)).toBe(false);
        await t.products.update(p.id, { stock: 5 });
        expect(await t.products.reserveStock(p.id, 6)).toBe(false);
        expect(await t.products.reserveStock(p.id, 5)).toBe(true);
        expect((await t.products.get(p.id))?.stock).toBe(0);
        await expect(t.products.reserveStock(p.id, 0)).rejects.toBeInstanceOf(ValidationError);
        expect(await t.products.reserveStock("missing", 1)).toBe(false);
      });

      it("rejects a category of another merchant", async () => {
        const a = await tenant();
        const b = await tenant();
        const cat = await a.t.categories.ensure({ slug: "mine" });
        await expect(b.t.products.create(sample({ categoryId: cat.id }))).rejects.toBeInstanceOf(ValidationError);
        const p = await b.t.products.create(sample());
        await expect(b.t.products.update(p.id, { categoryId: cat.id })).rejects.toBeInstanceOf(ValidationError);
      });
    });

    describe("pagination", () => {
      it("clamps the limit to [1, MAX_PAGE_LIMIT] and rejects a malformed cursor", async () => {
        const { t } = await tenant();
        for (let i = 0; i < MAX_PAGE_LIMIT + 3; i++)
          await t.knowledge.create({ title: `Q${i}`, data: faq(`q${i}`, `a${i}`) });
        const big = await t.knowledge.list({ limit: 10_000 });
        expect(big.items).toHaveLength(MAX_PAGE_LIMIT);
        expect(big.nextCursor).not.toBeNull();
        expect((await t.knowledge.list({ limit: 0 })).items).toHaveLength(1);
        expect((await t.knowledge.list()).items).toHaveLength(20);
        await expect(t.knowledge.list({ cursor: "%%%not-a-cursor" })).rejects.toBeInstanceOf(ValidationError);
        await expect(t.products.list({}, { cursor: "bm9wZQ" })).rejects.toBeInstanceOf(ValidationError);
      });
    });

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
    });

    describe("customers", () => {
      it("create, get, find by external id and contact, update, list", async () => {
        const { t } = await tenant();
        const c = await t.customers.create({
          channel: "telegram",
          externalId: "tg-1",
          name: "Sara",
          email: "Sara@Example.com",
          phone: "+966500000001",
        });
        expect(c).toMatchObject({ channel: "telegram", externalId: "tg-1", name: "Sara" });
        expect(await t.customers.get(c.id)).toEqual(c);
        expect(await t.customers.findByExternalId("telegram", "tg-1")).toEqual(c);
        expect(await t.customers.findByExternalId("whatsapp", "tg-1")).toBeNull();
        expect((await t.customers.findByContact({ email: "sara@example.COM" }))?.id).toBe(c.id);
        expect((await t.customers.findByContact({ phone: "+966500000001" }))?.id).toBe(c.id);
        expect(await t.customers.findByContact({ email: "x@y.z", phone: "0" })).toBeNull();
        expect(await t.customers.findByContact({})).toBeNull();

        const updated = await t.customers.update(c.id, { email: null, name: "Sara A." });
        expect(updated).toMatchObject({ email: null, name: "Sara A.", phone: "+966500000001" });
        expect(await t.customers.update("missing", { name: "x" })).toBeNull();

        await t.customers.create({ channel: "webchat" });
        await t.customers.create({ channel: "webchat" });
        const { items } = await collectPages((p) => t.customers.list(p), 2);
        expect(items).toHaveLength(3);
        expect(new Set(items.map((x) => x.id)).size).toBe(3);
      });
    });

    describe("conversations", () => {
      it("create defaults, find open by visitor and customer, update", async () => {
        const { t, merchant } = await tenant();
        const customer = await t.customers.create({ channel: "whatsapp", externalId: "wa-1" });
        const conv = await t.conversations.create({ channel: "webchat", visitorId: "v1", locale: "ar" });
        expect(conv).toMatchObject({
          merchantId: merchant.id,
          channel: "webchat",
          channelId: null,
          customerId: null,
          visitorId: "v1",
          status: "bot",
          assigneeId: null,
          locale: "ar",
          labels: [],
          lastSeq: 0,
          lastMessageAt: null,
          lastMessagePreview: null,
          unreadCount: 0,
          shopperReadSeq: 0,
        });
        expect(await t.conversations.get(conv.id)).toEqual(conv);
        expect((await t.conversations.findOpenByVisitor("v1"))?.id).toBe(conv.id);
        expect(await t.conversations.findOpenByVisitor("v2")).toBeNull();

        const wa = await t.conversations.create({ channel: "whatsapp", customerId: customer.id });
        expect((await t.conversations.findOpenByCustomer(customer.id, "whatsapp"))?.id).toBe(wa.id);
        expect(await t.conversations.findOpenByCustomer(customer.id, "telegram")).toBeNull();

        const updated = await t.conversations.update(conv.id, {
          status: "closed",
          labels: ["vip"],
          assigneeId: "agent-1",
          unreadCount: 0,
          shopperReadSeq: 0,
        });
        expect(updated).toMatchObject({ status: "closed", labels: ["vip"], assigneeId: "agent-1", locale: "ar" });
        expect(await t.conversations.findOpenByVisitor("v1")).toBeNull();
        const newer = await t.conversations.create({ channel: "webchat", visitorId: "v1" });
        expect((await t.conversations.findOpenByVisitor("v1"))?.id).toBe(newer.id);
        expect(await t.conversations.update("missing", { status: "human" })).toBeNull();
      });

      it("keeps the shopper's page and clears it on request", async () => {
        const { t } = await tenant();
        const conv = await t.conversations.create({ channel: "webchat", visitorId: "page-visitor" });
        expect(conv.pageUrl ?? null).toBeNull();
        const withPage = await t.conversations.update(conv.id, { pageUrl: "https://shop.example/p/1" });
        expect(withPage!.pageUrl).toBe("https://shop.example/p/1");
        expect((await t.conversations.update(conv.id, { labels: ["x"] }))!.pageUrl).toBe("https://shop.example/p/1");
        expect((await t.conversations.update(conv.id, { pageUrl: null }))!.pageUrl ?? null).toBeNull();
      });

      it("findOrCreateOpenByVisitor gives concurrent opens one conversation, and a new one after close", async () => {
        const a = await tenant();
        const b = await tenant();
        const results = await Promise.all(
          Array.from({ length: 10 }, () => a.t.conversations.findOrCreateOpenByVisitor("tab-visitor", { channel: "webchat" })),
        );
        const ids = new Set(results.map((r) => r.conversation.id));
        expect(ids.size).toBe(1);
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(results[0]!.conversation).toMatchObject({ visitorId: "tab-visitor", status: "bot", channel: "webchat" });
        // Another merchant's visitor with the same id is another conversation.
        const other = await b.t.conversations.findOrCreateOpenByVisitor("tab-visitor", { channel: "webchat" });
        expect(other.created).toBe(true);
        expect(ids.has(other.conversation.id)).toBe(false);
        await a.t.conversations.update([...ids][0]!, { status: "closed" });
        const next = await a.t.conversations.findOrCreateOpenByVisitor("tab-visitor", { channel: "webchat", locale: "ar" });
        expect(next.created).toBe(true);
        expect(next.conversation.locale).toBe("ar");
        expect(ids.has(next.conversation.id)).toBe(false);
      });

      it("transition is a compare-and-set on status, also when raced", async () => {
        const { t } = await tenant();
        const conv = await conversationOf(t);
        const moved = await t.conversations.transition(conv.id, ["bot"], { status: "waiting_human" });
        expect(moved?.status).toBe("waiting_human");
        expect(await t.conversations.transition(conv.id, ["bot"], { status: "human" })).toBeNull();
        expect((await t.conversations.get(conv.id))?.status).toBe("waiting_human");

        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            t.conversations.transition(conv.id, ["waiting_human"], { status: "human", assigneeId: `agent-${i}` }),
          ),
        );
        const winners = results.filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        expect((await t.conversations.get(conv.id))?.assigneeId).toBe(winners[0]?.assigneeId);
        expect(await t.conversations.transition("missing", ["bot"], { status: "human" })).toBeNull();
      });

      it("lists by last activity with filters and stable pages", async () => {
        const { t } = await tenant();
        const c1 = await t.conversations.create({ channel: "webchat", visitorId: "a" });
        const c2 = await t.conversations.create({ channel: "telegram" });
        const c3 = await t.conversations.create({ channel: "webchat", visitorId: "b", status: "human" });
        await delay(5);
        await t.messages.append(c1.id, { role: "shopper", text: "hello" });
        const ids = async (filter?: Parameters<TenantStore["conversations"]["list"]>[0]) =>
          (await t.conversations.list(filter)).items.map((c) => c.id);
        expect(await ids()).toEqual([c1.id, c3.id, c2.id]);
        expect(await ids({ channel: "webchat" })).toEqual([c1.id, c3.id]);
        expect(await ids({ status: "human" })).toEqual([c3.id]);
        expect(await ids({ visitorId: "b" })).toEqual([c3.id]);
        await t.conversations.update(c2.id, { assigneeId: "ag" });
        expect(await ids({ assigneeId: "ag" })).toEqual([c2.id]);

        const original = [c1.id, c3.id, c2.id];
        for (let i = 0; i < 9; i++) original.push((await conversationOf(t)).id);
        const { items } = await collectPages(
          (p) => t.conversations.list({}, p),
          4,
          async () => {
            await conversationOf(t);
          },
        );
        const seen = items.map((c) => c.id);
        expect(new Set(seen).size).toBe(seen.length);
        for (const id of original) expect(seen).toContain(id);
      });

      it("q searches the customer's name, email and phone, the preview and the id prefix", async () => {
        const { t } = await tenant();
        const layla = await t.customers.create({ channel: "whatsapp", name: "Layla Haddad", email: "Layla.H@Shop.example", phone: "+966 55 123 4567" });
        const fatima = await t.customers.create({ channel: "telegram", name: "فاطمة الزهراء" });
        const c1 = await t.conversations.create({ channel: "whatsapp", customerId: layla.id });
        const c2 = await t.conversations.create({ channel: "telegram", customerId: fatima.id, status: "human" });
        const c3 = await t.conversations.create({ channel: "webchat", visitorId: "v-search" });
        await t.messages.append(c3.id, { role: "shopper", text: "Do you ship the BLUE Abaya to Jeddah? 100% cotton_blend" });
        const c4 = await t.conversations.create({ channel: "webchat", visitorId: "v-arabic" });
        await t.messages.append(c4.id, { role: "shopper", text: "هل عندكم عباءة سوداء؟ رقم الطلب ١٠٤٢" });
        const ids = async (filter: Parameters<TenantStore["conversations"]["list"]>[0]) =>
          (await t.conversations.list(filter)).items.map((c) => c.id).sort();

        expect(await ids({ q: "layla" })).toEqual([c1.id]);
        expect(await ids({ q: "  HADDAD " })).toEqual([c1.id]);
        expect(await ids({ q: "layla.h@shop" })).toEqual([c1.id]);
        expect(await ids({ q: "55 123" })).toEqual([c1.id]);
        expect(await ids({ q: "0551234567" })).toEqual([c1.id]);
        expect(await ids({ q: "blue abaya" })).toEqual([c3.id]);
        expect(await ids({ q: "jeddah" })).toEqual([c3.id]);
        // Arabic letter variants and digits fold: ة/ه, أ/ا, Arabic-Indic digits.
        expect(await ids({ q: "فاطمه" })).toEqual([c2.id]);
        expect(await ids({ q: "عباءه" })).toEqual([c4.id]);
        expect(await ids({ q: "1042" })).toEqual([c4.id]);
        expect(await ids({ q: "الزهراء" })).toEqual([c2.id]);
        // The id prefix, not any substring of the id.
        expect(await ids({ q: c2.id.slice(0, 14) })).toContain(c2.id);
        expect(await ids({ q: c2.id })).toEqual([c2.id]);
        expect(await ids({ q: c2.id.slice(-8) })).toEqual([]);
        // LIKE wildcards are literal characters.
        expect(await ids({ q: "100%" })).toEqual([c3.id]);
        expect(await ids({ q: "cotton_blend" })).toEqual([c3.id]);
        expect(await ids({ q: "%" })).toEqual([c3.id]);
        expect(await ids({ q: "_" })).toEqual([c3.id]);
        expect(await ids({ q: "t_o" })).toEqual([]); // as a wildcard it would match "cotton"
        expect(await ids({ q: "nothing like this" })).toEqual([]);
        // Combines with the other filters; a blank q filters nothing.
        expect(await ids({ q: "فاطمة", status: "human" })).toEqual([c2.id]);
        expect(await ids({ q: "فاطمة", status: "bot" })).toEqual([]);
        expect(await ids({ q: "  " })).toEqual([c1.id, c2.id, c3.id, c4.id].sort());

        // Pages of a search are stable and complete.
        const many: string[] = [];
        for (let i = 0; i < 5; i++) {
          const c = await t.conversations.create({ channel: "webchat", visitorId: `v-page-${i}` });
          await t.messages.append(c.id, { role: "shopper", text: `paging needle ${i}` });
          many.push(c.id);
        }
        const { items, pages } = await collectPages((p) => t.conversations.list({ q: "NEEDLE" }, p), 2);
        expect(items.map((c) => c.id).sort()).toEqual([...many].sort());
        expect(pages).toBe(3);
      });

      it("bot state round-trips and is not on the public record", async () => {
        const { t } = await tenant();
        const conv = await conversationOf(t);
        expect(await t.conversations.getBotState(conv.id)).toEqual({});
        const state = { cart: [{ productId: "p", quantity: 2 }], misses: 1, pending: null };
        await t.conversations.setBotState(conv.id, state);
        expect(await t.conversations.getBotState(conv.id)).toEqual(state);
        expect(JSON.stringify(await t.conversations.get(conv.id))).not.toContain("cart");
        await expect(t.conversations.setBotState("missing", {})).rejects.toBeInstanceOf(NotFoundError);
        await expect(t.conversations.getBotState("missing")).rejects.toBeInstanceOf(NotFoundError);
      });

      it("listCreatedBetween returns the window", async () => {
        const { t } = await tenant();
        const from = new Date(Date.now() - 1000).toISOString();
        const c = await conversationOf(t);
        const to = new Date(Date.parse(c.createdAt) + 1000).toISOString();
        expect((await t.conversations.listCreatedBetween(from, to)).map((x) => x.id)).toEqual([c.id]);
        expect(await t.conversations.listCreatedBetween(to, "2999-01-01T00:00:00.000Z")).toEqual([]);
      });
    });

    describe("messages", () => {
      it("append assigns seqs and updates the conversation summary", async () => {
        const { t } = await tenant();
        const conv = await conversationOf(t);
        const m1 = await t.messages.append(conv.id, { role: "shopper", text: "Hi there", clientMessageId: "c-1" });
        expect(m1.duplicate).toBe(false);
        expect(m1.message).toMatchObject({
          conversationId: conv.id,
          seq: 1,
          role: "shopper",
          text: "Hi there",
          parts: [],
          status: "complete",
          authorId: null,
          authorName: null,
          clientMessageId: "c-1",
          intent: null,
        });
        let c = await t.conversations.get(conv.id);
        expect(c).toMatchObject({ lastSeq: 1, lastMessagePreview: "Hi there", unreadCount: 1 });
        expect(c?.lastMessageAt).toBe(m1.message.createdAt);

        const long = "x".repeat(300);
        const m2 = await t.messages.append(conv.id, {
          role: "bot",
          text: long,
          parts: [{ type: "quick_replies", replies: [{ label: "Yes", payload: "yes" }] }],
          intent: "greeting",
        });
        expect(m2.message.seq).toBe(2);
        expect(m2.message.parts).toEqual([{ type: "quick_replies", replies: [{ label: "Yes", payload: "yes" }] }]);
        c = await t.conversations.get(conv.id);
        expect(c?.lastMessagePreview).toBe("x".repeat(140));
        expect(c?.unreadCount).toBe(1);

        const note = await t.messages.append(conv.id, { role: "note", text: "private note", authorId: "ag", authorName: "Ali" });
        expect(note.message).toMatchObject({ seq: 3, authorId: "ag", authorName: "Ali" });
        c = await t.conversations.get(conv.id);
        expect(c?.lastSeq).toBe(3);
        expect(c?.lastMessagePreview).toBe("x".repeat(140));
        expect(c?.lastMessageAt).toBe(m2.message.createdAt);

        await t.messages.append(conv.id, { role: "shopper", text: "again" });
        await t.messages.append(conv.id, { role: "system", text: "Agent joined" });
        c = await t.conversations.get(conv.id);
        expect(c).toMatchObject({ lastSeq: 5, unreadCount: 2, lastMessagePreview: "Agent joined" });
      });

      it("a repeated clientMessageId returns the first message and writes nothing", async () => {
        const { t } = await tenant();
        const conv = await conversationOf(t);
        const first = await t.messages.append(conv.id, { role: "shopper", text: "one", clientMessageId: "dup" });
        const again = await t.messages.append(conv.id, { role: "shopper", text: "one (retry)", clientMessageId: "dup" });
        expect(again).toEqual({ message: first.message, duplicate: true });
        const c = await t.conversations.get(conv.id);
        expect(c).toMatchObject({ lastSeq: 1, unreadCount: 1, lastMessagePreview: "one" });
        expect(await t.messages.getByClientMessageId(conv.id, "dup")).toEqual(first.message);
        expect(await t.messages.getByClientMessageId(conv.id, "other")).toBeNull();

        const raced = await Promise.all(
          Array.from({ length: 5 }, () => t.messages.append(conv.id, { role: "shopper", text: "r", clientMessageId: "race" })),
        );
        expect(raced.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(new Set(raced.map((r) => r.message.id)).size).toBe(1);
        expect((await t.conversations.get(conv.id))?.lastSeq).toBe(2);

        const other = await conversationOf(t);
        const elsewhere = await t.messages.append(other.id, { role: "shopper", text: "one", clientMessageId: "dup" });
        expect(elsewhere.duplicate).toBe(false);
      });

      it("concurrent appends over several conversations get consecutive seqs with no gaps", async () => {
        const { t } = await tenant();
        const convs = await Promise.all(Array.from({ length: 4 }, () => conversationOf(t)));
        const results = await Promise.all(
          Array.from({ length: 200 }, (_, i) => {
            const conv = convs[i % convs.length]!;
            return t.messages.append(conv.id, { role: i % 3 === 0 ? "shopper" : "bot", text: `m${i}` });
          }),
        );
        expect(results.every((r) => !r.duplicate)).toBe(true);
        for (const conv of convs) {
          const seqs = results
            .filter((r) => r.message.conversationId === conv.id)
            .map((r) => r.message.seq)
            .sort((a, b) => a - b);
          expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
          expect((await t.conversations.get(conv.id))?.lastSeq).toBe(50);
          const stored = await t.messages.listAfter(conv.id, 0, 1000);
          expect(stored.map((m) => m.seq)).toEqual(seqs);
        }
      });

      it("append to a conversation that is missing is a NotFoundError", async () => {
        const { t } = await tenant();
        await expect(t.messages.append("missing", { role: "shopper", text: "x" })).rejects.toBeInstanceOf(NotFoundError);
      });

      it("listAfter, listLatest and list page by seq", async () => {
        const { t } = await tenant();
        const conv = await conversationOf(t);
        for (let i = 1; i <= 12; i++) await t.messages.append(conv.id, { role: "shopper", text: `m${i}` });
        expect((await t.messages.listAfter(conv.id, 9)).map((m) => m.seq)).toEqual([10, 11, 12]);
        expect((await t.messages.listAfter(conv.id, 0, 3)).map((m) => m.seq)).toEqual([1, 2, 3]);
        expect((await t.messages.listAfter(conv.id, 0)).map((m) => m.seq)).toHaveLength(12);
        expect(await t.messages.listAfter(conv.id, 12)).toEqual([]);
        expect((await t.messages.listLatest(conv.id, 4)).map((m) => m.seq)).toEqual([9, 10, 11, 12]);
        const { items, pages } = await collectPages((p) => t.messages.list(conv.id, p), 5, async () => {
          await t.messages.append(conv.id, { role: "bot", text: "late" });
        });
        const seqs = items.map((m) => m.seq);
        expect(seqs.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
        expect(new Set(seqs).size).toBe(seqs.length);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        expect(pages).toBeGreaterThanOrEqual(3);
      });

      it("update changes the message and the preview it produced; listStreaming finds open streams", async () => {
        const { t } = await tenant();
        const conv = await conversationOf(t);
        await t.messages.append(conv.id, { role: "shopper", text: "price?" });
        const streaming = await t.messages.append(conv.id, { role: "bot", text: "", status: "streaming" });
        expect((await t.messages.listStreaming()).map((m) => m.id)).toEqual([streaming.message.id]);

        const done = await t.messages.update(streaming.message.id, {
          text: "It costs 10 SAR",
          status: "complete",
          parts: [{ type: "link", url: "https://shop/p", label: "Open" }],
          intent: "product_search",
        });
        expect(done).toMatchObject({ text: "It costs 10 SAR", status: "complete", intent: "product_search", seq: 2 });
        expect(await t.messages.get(streaming.message.id)).toEqual(done);
        expect(await t.messages.listStreaming()).toEqual([]);
        expect((await t.conversations.get(conv.id))?.lastMessagePreview).toBe("It costs 10 SAR");

        await t.messages.append(conv.id, { role: "shopper", text: "thanks" });
        await t.messages.update(streaming.message.id, { text: "edited later" });
        expect((await t.conversations.get(conv.id))?.lastMessagePreview).toBe("thanks");
        expect(await t.messages.update("missing", { text: "x" })).toBeNull();
      });

      it("listCreatedBetween covers the merchant's messages in the window", async () => {
        const { t } = await tenant();
        const from = new Date(Date.now() - 1000).toISOString();
        const c1 = await conversationOf(t);
        const c2 = await conversationOf(t);
        const a = await t.messages.append(c1.id, { role: "shopper", text: "a" });
        const b = await t.messages.append(c2.id, { role: "bot", text: "b" });
        const to = new Date(Date.parse(b.message.createdAt) + 1000).toISOString();
        expect((await t.messages.listCreatedBetween(from, to)).map((m) => m.id).sort()).toEqual(
          [a.message.id, b.message.id].sort(),
        );
        expect(await t.messages.listCreatedBetween(to, "2999-01-01T00:00:00.000Z")).toEqual([]);
      });
    });

    describe("knowledge", () => {
      it("create, get, update, list, all, remove", async () => {
        const { t } = await tenant();
        const shipping: KnowledgeData = {
          kind: "shipping",
          policy: {
            zones: [{ name: { en: "Riyadh", ar: "الرياض" }, areas: ["Riyadh"], fee: 15, freeAbove: 200, minDays: 1, maxDays: 2 }],
          },
        };
        const k = await t.knowledge.create({ title: "Shipping", data: shipping });
        expect(k).toMatchObject({ title: "Shipping", data: shipping });
        expect(await t.knowledge.get(k.id)).toEqual(k);
        const f = await t.knowledge.create({ title: "FAQ", data: faq("Open?", "Yes") });
        const updated = await t.knowledge.update(f.id, { data: faq("Open on Friday?", "After 4pm") });
        expect(updated).toMatchObject({ title: "FAQ", data: faq("Open on Friday?", "After 4pm") });
        expect((await t.knowledge.update(f.id, { title: "Hours" }))?.data).toEqual(faq("Open on Friday?", "After 4pm"));
        expect(await t.knowledge.update("missing", { title: "x" })).toBeNull();
        expect((await t.knowledge.all()).map((x) => x.id)).toEqual([k.id, f.id]);
        const { items } = await collectPages((p) => t.knowledge.list(p), 1);
        expect(items.map((x) => x.id)).toEqual([k.id, f.id]);
        expect(await t.knowledge.remove(k.id)).toBe(true);
        expect(await t.knowledge.remove(k.id)).toBe(false);
        expect((await t.knowledge.all()).map((x) => x.id)).toEqual([f.id]);
      });
    });

    describe("channels", () => {
      it("create, get, secrets, list, update, lookup, remove", async () => {
        const { t, merchant } = await tenant();
        const ch = await t.channels.create({
          type: "telegram",
          name: "TG",
          publicConfig: { botUsername: "shop_bot" },
          secretsCiphertext: "sealed-secret",
        });
        expect(ch).toMatchObject({
          type: "telegram",
          name: "TG",
          publicConfig: { botUsername: "shop_bot" },
          status: "active",
          lastEventAt: null,
          lastError: null,
        });
        expect(JSON.stringify(ch)).not.toContain("sealed-secret");
        expect(await t.channels.get(ch.id)).toEqual(ch);
        expect(await t.channels.getSecrets(ch.id)).toBe("sealed-secret");
        expect(await store.lookup.channel(ch.id)).toEqual({ merchantId: merchant.id, type: "telegram" });
        expect(await store.lookup.channel("missing")).toBeNull();

        const updated = await t.channels.update(ch.id, {
          status: "error",
          lastError: "401",
          lastEventAt: "2025-01-01T00:00:00.000Z",
          secretsCiphertext: "sealed-2",
        });
        expect(updated).toMatchObject({ status: "error", lastError: "401", lastEventAt: "2025-01-01T00:00:00.000Z", name: "TG" });
        expect(await t.channels.getSecrets(ch.id)).toBe("sealed-2");
        expect((await t.channels.update(ch.id, { lastError: null }))?.lastError).toBeNull();
        expect(await t.channels.update("missing", { name: "x" })).toBeNull();

        const wa = await t.channels.create({ type: "whatsapp", name: "WA", publicConfig: {}, secretsCiphertext: "s" });
        expect((await t.channels.list()).map((c) => c.id)).toEqual([ch.id, wa.id]);
        expect(await t.channels.remove(ch.id)).toBe(true);
        expect(await t.channels.remove(ch.id)).toBe(false);
        expect(await store.lookup.channel(ch.id)).toBeNull();
      });
    });

    describe("webhook events, outbox, audit", () => {
      it("recordOnce stores an event once per (source, dedupeKey)", async () => {
        const { t, merchant } = await tenant();
        const first = await t.webhookEvents.recordOnce({ source: "telegram", dedupeKey: "u-1", payload: { update_id: 1 } });
        expect(first.duplicate).toBe(false);
        expect(first.event).toMatchObject({
          merchantId: merchant.id,
          source: "telegram",
          dedupeKey: "u-1",
          payload: { update_id: 1 },
          status: "received",
          error: null,
          processedAt: null,
        });
        const again = await t.webhookEvents.recordOnce({ source: "telegram", dedupeKey: "u-1", payload: { update_id: 1, retry: true } });
        expect(again).toEqual({ event: first.event, duplicate: true });
        const otherSource = await t.webhookEvents.recordOnce({ source: "shopify", dedupeKey: "u-1", payload: {} });
        expect(otherSource.duplicate).toBe(false);

        const raced = await Promise.all(
          Array.from({ length: 5 }, () => t.webhookEvents.recordOnce({ source: "salla", dedupeKey: "e", payload: {} })),
        );
        expect(raced.filter((r) => !r.duplicate)).toHaveLength(1);

        await t.webhookEvents.markProcessed(first.event.id);
        expect(await t.webhookEvents.get(first.event.id)).toMatchObject({ status: "processed", error: null });
        expect((await t.webhookEvents.get(first.event.id))?.processedAt).not.toBeNull();
        await t.webhookEvents.markFailed(otherSource.event.id, "bad payload");
        expect(await t.webhookEvents.get(otherSource.event.id)).toMatchObject({ status: "failed", error: "bad payload" });
        expect(await t.webhookEvents.get("missing")).toBeNull();
      });

      it("outbox lists pending events in order until published", async () => {
        const { t } = await tenant();
        const e1 = await t.outbox.add({ topic: "order.created", payload: { id: 1 } });
        const e2 = await t.outbox.add({ topic: "order.created", payload: { id: 2 } });
        expect(e1).toMatchObject({ topic: "order.created", payload: { id: 1 }, attempts: 0, publishedAt: null });
        expect((await t.outbox.listPending(10)).map((e) => e.id)).toEqual([e1.id, e2.id]);
        expect((await t.outbox.listPending(1)).map((e) => e.id)).toEqual([e1.id]);
        await t.outbox.markAttempt(e1.id);
        await t.outbox.markAttempt(e1.id);
        expect((await t.outbox.listPending(10))[0]?.attempts).toBe(2);
        await t.outbox.markPublished(e1.id);
        expect((await t.outbox.listPending(10)).map((e) => e.id)).toEqual([e2.id]);
      });

      it("audit log lists newest first", async () => {
        const { t, owner } = await tenant();
        const a1 = await t.audit.add({ actorId: owner.id, action: "user.login", ip: "127.0.0.1" });
        const a2 = await t.audit.add({ action: "channel.create", target: "ch-1", data: { type: "telegram" } });
        expect(a1).toMatchObject({ actorId: owner.id, action: "user.login", target: null, data: {}, ip: "127.0.0.1" });
        expect(a2).toMatchObject({ actorId: null, target: "ch-1", data: { type: "telegram" } });
        const { items } = await collectPages((p) => t.audit.list(p), 1);
        expect(items.map((x) => x.id)).toEqual([a2.id, a1.id]);
      });
    });

    describe("tenant isolation", () => {
      it("B's conversation search never returns A's conversations, customers or previews", async () => {
        const a = (await tenant("A")).t;
        const b = (await tenant("B")).t;
        const customer = await a.customers.create({ channel: "webchat", name: "Secret Shopper", email: "secret@shop.example", phone: "+15550001" });
        const conv = await a.conversations.create({ channel: "webchat", visitorId: "a-visitor", customerId: customer.id });
        await a.messages.append(conv.id, { role: "shopper", text: "my private question" });
        // A B conversation that points at A's customer id (a forged reference) must not match through it.
        const bConv = await b.conversations.create({ channel: "webchat", visitorId: "b-visitor", customerId: customer.id });
        for (const q of ["secret", "secret@shop.example", "+15550001", "private question", conv.id, "%", "_"]) {
          expect((await b.conversations.list({ q })).items.map((c) => c.id), q).toEqual([]);
          expect((await a.conversations.list({ q })).items.map((c) => c.id), q).toEqual(q === "%" || q === "_" ? [] : [conv.id]);
        }
        expect((await b.conversations.list({ q: bConv.id })).items.map((c) => c.id)).toEqual([bConv.id]);
      });

      it("merchant B can neither read, change nor list merchant A's records", async () => {
        const A = await tenant("A");
        const B = await tenant("B");
        const a = A.t;
        const b = B.t;

        const cat = await a.categories.ensure({ slug: "secret-cat" });
        const product = await a.products.create({ name: { en: "A only", ar: "" }, price: 5, stock: 3, externalId: "a-ext", categoryId: cat.id });
        const customer = await a.customers.create({ channel: "telegram", externalId: "a-tg", email: "a@shop.example", phone: "+1" });
        const conv = await a.conversations.create({ channel: "webchat", visitorId: "a-visitor", customerId: customer.id });
        const msg = await a.messages.append(conv.id, { role: "shopper", text: "hi", clientMessageId: "a-c1", status: "streaming" });
        await a.conversations.setBotState(conv.id, { secret: true });
        const order = await a.orders.create({ items: [item(product.id, 5, 1)], customerId: customer.id });
        const k = await a.knowledge.create({ title: "A policy", data: faq("q", "a") });
        const ch = await a.channels.create({ type: "telegram", name: "A tg", publicConfig: {}, secretsCiphertext: "a-secret" });
        const agent = await a.users.create({ email: uniqueEmail("a-agent"), name: "A agent", role: "agent", passwordHash: "h" });
        const token = await a.refreshTokens.create({ id: newId(), userId: agent.id, familyId: "a-fam", expiresAt: "2999-01-01T00:00:00.000Z" });
        const event = await a.webhookEvents.recordOnce({ source: "telegram", dedupeKey: "a-1", payload: {} });
        const outbox = await a.outbox.add({ topic: "t", payload: {} });
        await a.audit.add({ action: "a.secret" });
        await a.idempotency.begin("a-key", "h", 60);

        // reads
        expect(await b.products.get(product.id)).toBeNull();
        expect(await b.products.getByExternalId("a-ext")).toBeNull();
        expect(await b.categories.get(cat.id)).toBeNull();
        expect(await b.categories.getBySlug("secret-cat")).toBeNull();
        expect(await b.orders.get(order.id)).toBeNull();
        expect(await b.orders.getByNumber(order.number)).toBeNull();
        expect(await b.customers.get(customer.id)).toBeNull();
        expect(await b.customers.findByExternalId("telegram", "a-tg")).toBeNull();
        expect(await b.customers.findByContact({ email: "a@shop.example", phone: "+1" })).toBeNull();
        expect(await b.conversations.get(conv.id)).toBeNull();
        expect(await b.conversations.findOpenByVisitor("a-visitor")).toBeNull();
        expect(await b.conversations.findOpenByCustomer(customer.id, "webchat")).toBeNull();
        await expect(b.conversations.getBotState(conv.id)).rejects.toBeInstanceOf(NotFoundError);
        expect(await b.messages.get(msg.message.id)).toBeNull();
        expect(await b.messages.getByClientMessageId(conv.id, "a-c1")).toBeNull();
        expect(await b.messages.listAfter(conv.id, 0)).toEqual([]);
        expect(await b.messages.listLatest(conv.id, 10)).toEqual([]);
        expect((await b.messages.list(conv.id)).items).toEqual([]);
        expect(await b.messages.listStreaming()).toEqual([]);
        expect(await b.knowledge.get(k.id)).toBeNull();
        expect(await b.channels.get(ch.id)).toBeNull();
        expect(await b.channels.getSecrets(ch.id)).toBeNull();
        expect(await b.users.get(agent.id)).toBeNull();
        expect(await b.users.getCredentials(agent.id)).toBeNull();
        expect(await b.refreshTokens.get(token.id)).toBeNull();
        expect(await b.webhookEvents.get(event.event.id)).toBeNull();

        // writes
        expect(await b.products.update(product.id, { price: 0 })).toBeNull();
        expect(await b.products.reserveStock(product.id, 1)).toBe(false);
        expect(await b.products.remove(product.id)).toBe(false);
        expect(await b.categories.update(cat.id, { slug: "stolen" })).toBeNull();
        expect(await b.categories.remove(cat.id)).toBe(false);
        expect(await b.orders.updateStatus(order.id, "cancelled")).toBeNull();
        expect(await b.customers.update(customer.id, { name: "stolen" })).toBeNull();
        expect(await b.conversations.update(conv.id, { status: "closed" })).toBeNull();
        expect(await b.conversations.transition(conv.id, ["bot"], { status: "human" })).toBeNull();
        await expect(b.conversations.setBotState(conv.id, {})).rejects.toBeInstanceOf(NotFoundError);
        await expect(b.messages.append(conv.id, { role: "agent", text: "spoof" })).rejects.toBeInstanceOf(NotFoundError);
        expect(await b.messages.update(msg.message.id, { text: "spoof" })).toBeNull();
        expect(await b.knowledge.update(k.id, { title: "stolen" })).toBeNull();
        expect(await b.knowledge.remove(k.id)).toBe(false);
        expect(await b.channels.update(ch.id, { name: "stolen" })).toBeNull();
        expect(await b.channels.remove(ch.id)).toBe(false);
        expect(await b.users.update(agent.id, { role: "owner" })).toBeNull();
        expect(await b.users.remove(agent.id)).toBe(false);
        expect(await b.refreshTokens.markUsed(token.id)).toBe(false);
        expect(await b.refreshTokens.revokeFamily("a-fam")).toBe(0);
        expect(await b.refreshTokens.revokeAllForUser(agent.id)).toBe(0);
        await b.webhookEvents.markFailed(event.event.id, "spoof");
        await b.outbox.markPublished(outbox.id);
        await b.idempotency.release("a-key");
        expect((await b.webhookEvents.recordOnce({ source: "telegram", dedupeKey: "a-1", payload: {} })).duplicate).toBe(false);

        // lists never leak
        const bId = B.merchant.id;
        const onlyB = (records: { merchantId: string }[]) => records.every((r) => r.merchantId === bId);
        expect((await b.products.list({}, { limit: 100 })).items).toEqual([]);
        expect(await b.products.all()).toEqual([]);
        expect(await b.products.count()).toBe(0);
        expect((await b.categories.list()).items).toEqual([]);
        expect((await b.orders.list()).items).toEqual([]);
        expect(await b.orders.listCreatedBetween("2000-01-01T00:00:00.000Z", "2999-01-01T00:00:00.000Z")).toEqual([]);
        expect((await b.customers.list()).items).toEqual([]);
        expect((await b.conversations.list()).items).toEqual([]);
        expect(await b.conversations.listCreatedBetween("2000-01-01T00:00:00.000Z", "2999-01-01T00:00:00.000Z")).toEqual([]);
        expect(await b.messages.listCreatedBetween("2000-01-01T00:00:00.000Z", "2999-01-01T00:00:00.000Z")).toEqual([]);
        expect((await b.knowledge.list()).items).toEqual([]);
        expect(await b.knowledge.all()).toEqual([]);
        expect(await b.channels.list()).toEqual([]);
        const bUsers = (await b.users.list()).items;
        expect(bUsers.map((u) => u.id)).toEqual([B.owner.id]);
        expect(onlyB(bUsers)).toBe(true);
        expect(await b.outbox.listPending(100)).toEqual([]);
        expect(onlyB((await b.audit.list()).items)).toBe(true);
        expect((await b.audit.list()).items.map((x) => x.action)).not.toContain("a.secret");
        expect((await b.merchant.get()).id).toBe(bId);

        // A's records are untouched
        expect(await a.products.get(product.id)).toEqual(product);
        expect(await a.categories.get(cat.id)).toEqual(cat);
        expect(await a.orders.get(order.id)).toEqual(order);
        expect(await a.customers.get(customer.id)).toEqual(customer);
        const aConv = await a.conversations.get(conv.id);
        expect(aConv).toMatchObject({ status: "bot", lastSeq: 1 });
        expect(await a.conversations.getBotState(conv.id)).toEqual({ secret: true });
        expect(await a.messages.get(msg.message.id)).toEqual(msg.message);
        expect(await a.knowledge.get(k.id)).toEqual(k);
        expect(await a.channels.get(ch.id)).toEqual(ch);
        expect(await a.channels.getSecrets(ch.id)).toBe("a-secret");
        expect(await a.users.get(agent.id)).toEqual(agent);
        expect(await a.refreshTokens.get(token.id)).toEqual(token);
        expect(await a.webhookEvents.get(event.event.id)).toEqual(event.event);
        expect((await a.outbox.listPending(10)).map((e) => e.id)).toEqual([outbox.id]);
        expect(await a.idempotency.begin("a-key", "h", 60)).toEqual({ state: "in_flight" });
      });
    });

    describe("commerce connections and canned replies", () => {
      it("commerce connections: create, one per platform, secrets, list, update, lookup, remove", async () => {
        const { t, merchant } = await tenant();
        const shopify = await t.commerceConnections.create({
          platform: "shopify",
          publicConfig: { shopDomain: "demo.myshopify.com" },
          secretsCiphertext: "sealed-shopify",
        });
        expect(shopify).toMatchObject({
          merchantId: merchant.id,
          platform: "shopify",
          publicConfig: { shopDomain: "demo.myshopify.com" },
          status: "active",
          lastEventAt: null,
          lastError: null,
        });
        expect(JSON.stringify(shopify)).not.toContain("sealed-shopify");
        expect(await t.commerceConnections.get(shopify.id)).toEqual(shopify);
        expect(await t.commerceConnections.getByPlatform("shopify")).toEqual(shopify);
        expect(await t.commerceConnections.getByPlatform("zid")).toBeNull();
        expect(await t.commerceConnections.getSecrets(shopify.id)).toBe("sealed-shopify");
        await expect(
          t.commerceConnections.create({ platform: "shopify", publicConfig: {}, secretsCiphertext: "x" }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.lookup.commerceConnection(shopify.id)).toEqual({ merchantId: merchant.id, platform: "shopify" });
        expect(await store.lookup.commerceConnection("missing")).toBeNull();

        const updated = await t.commerceConnections.update(shopify.id, {
          status: "error",
          lastError: "bad hmac",
          lastEventAt: "2025-01-01T00:00:00.000Z",
          secretsCiphertext: "sealed-2",
        });
        expect(updated).toMatchObject({
          status: "error",
          lastError: "bad hmac",
          lastEventAt: "2025-01-01T00:00:00.000Z",
          publicConfig: { shopDomain: "demo.myshopify.com" },
        });
        expect(await t.commerceConnections.getSecrets(shopify.id)).toBe("sealed-2");
        const renamed = await t.commerceConnections.update(shopify.id, { publicConfig: { shopDomain: "x.myshopify.com" }, lastError: null });
        expect(renamed).toMatchObject({ publicConfig: { shopDomain: "x.myshopify.com" }, lastError: null, status: "error" });
        expect(await t.commerceConnections.update("missing", { status: "active" })).toBeNull();

        const salla = await t.commerceConnections.create({ platform: "salla", publicConfig: { merchantId: "1" }, secretsCiphertext: "s" });
        expect((await t.commerceConnections.list()).map((c) => c.id)).toEqual([shopify.id, salla.id]);
        expect(await t.commerceConnections.remove(shopify.id)).toBe(true);
        expect(await t.commerceConnections.remove(shopify.id)).toBe(false);
        expect(await store.lookup.commerceConnection(shopify.id)).toBeNull();
        // The platform is free again once its connection is gone.
        const again = await t.commerceConnections.create({ platform: "shopify", publicConfig: {}, secretsCiphertext: "s" });
        expect(again.id).not.toBe(shopify.id);
      });

      it("canned replies: unique shortcut per store, ordered by shortcut, update and remove", async () => {
        const { t, merchant } = await tenant();
        const thanks = await t.cannedReplies.create({ shortcut: "thanks", text: "Thank you!" });
        expect(thanks).toMatchObject({ merchantId: merchant.id, shortcut: "thanks", text: "Thank you!" });
        const hours = await t.cannedReplies.create({ shortcut: "hours", text: "We are open 9-5" });
        await expect(t.cannedReplies.create({ shortcut: "thanks", text: "dup" })).rejects.toBeInstanceOf(ConflictError);
        expect((await t.cannedReplies.list()).map((r) => r.shortcut)).toEqual(["hours", "thanks"]);
        expect(await t.cannedReplies.count()).toBe(2);
        expect(await t.cannedReplies.get(thanks.id)).toEqual(thanks);
        expect(await t.cannedReplies.getByShortcut("hours")).toEqual(hours);
        expect(await t.cannedReplies.getByShortcut("nope")).toBeNull();

        await delay(2);
        const edited = await t.cannedReplies.update(thanks.id, { text: "Thanks a lot!" });
        expect(edited).toMatchObject({ id: thanks.id, shortcut: "thanks", text: "Thanks a lot!", createdAt: thanks.createdAt });
        expect(edited!.updatedAt > thanks.updatedAt).toBe(true);
        await expect(t.cannedReplies.update(thanks.id, { shortcut: "hours" })).rejects.toBeInstanceOf(ConflictError);
        expect((await t.cannedReplies.get(thanks.id))?.shortcut).toBe("thanks");
        expect((await t.cannedReplies.update(thanks.id, { shortcut: "ty" }))?.shortcut).toBe("ty");
        expect(await t.cannedReplies.update("missing", { text: "x" })).toBeNull();
        expect(await t.cannedReplies.remove(hours.id)).toBe(true);
        expect(await t.cannedReplies.remove(hours.id)).toBe(false);
        expect((await t.cannedReplies.list()).map((r) => r.shortcut)).toEqual(["ty"]);
      });

      it("are isolated per merchant; the same platform and shortcut are free in every store", async () => {
        const A = await tenant("A");
        const B = await tenant("B");
        const conn = await A.t.commerceConnections.create({ platform: "zid", publicConfig: { storeId: "a" }, secretsCiphertext: "a-secret" });
        const reply = await A.t.cannedReplies.create({ shortcut: "hi", text: "A hello" });

        expect(await B.t.commerceConnections.get(conn.id)).toBeNull();
        expect(await B.t.commerceConnections.getByPlatform("zid")).toBeNull();
        expect(await B.t.commerceConnections.getSecrets(conn.id)).toBeNull();
        expect(await B.t.commerceConnections.list()).toEqual([]);
        expect(await B.t.commerceConnections.update(conn.id, { status: "disabled", secretsCiphertext: "stolen" })).toBeNull();
        expect(await B.t.commerceConnections.remove(conn.id)).toBe(false);
        expect(await B.t.cannedReplies.get(reply.id)).toBeNull();
        expect(await B.t.cannedReplies.getByShortcut("hi")).toBeNull();
        expect(await B.t.cannedReplies.list()).toEqual([]);
        expect(await B.t.cannedReplies.count()).toBe(0);
        expect(await B.t.cannedReplies.update(reply.id, { text: "stolen" })).toBeNull();
        expect(await B.t.cannedReplies.remove(reply.id)).toBe(false);

        const bConn = await B.t.commerceConnections.create({ platform: "zid", publicConfig: {}, secretsCiphertext: "b" });
        const bReply = await B.t.cannedReplies.create({ shortcut: "hi", text: "B hello" });
        expect(bConn.merchantId).toBe(B.merchant.id);
        expect(bReply.merchantId).toBe(B.merchant.id);

        expect(await A.t.commerceConnections.get(conn.id)).toEqual(conn);
        expect(await A.t.commerceConnections.getSecrets(conn.id)).toBe("a-secret");
        expect(await A.t.cannedReplies.get(reply.id)).toEqual(reply);
        expect((await A.t.cannedReplies.list()).map((r) => r.id)).toEqual([reply.id]);
      });
    });
  });
}
