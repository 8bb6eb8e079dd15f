import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { storeContract, testStoreCrypto } from "@kaleem/shared/testing";
import { StoreUnavailableError } from "../../errors.js";
import { asMerchantId } from "../../ports/store.js";
import { migrate, migrations } from "./migrations.js";
import { openSqliteStore } from "./store.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-sqlite-"));
let fileCounter = 0;
const tempFile = () => path.join(dir, `store-${++fileCounter}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract("sqlite (temp file)", () => openSqliteStore({ crypto: testStoreCrypto(), file: tempFile() }));
storeContract("sqlite (:memory:)", () => openSqliteStore({ crypto: testStoreCrypto(), file: ":memory:" }));

const owner = (email: string) => ({ email, name: "Owner", role: "owner" as const, passwordHash: "h" });

describe("sqlite store specifics", () => {
  it("migration 4 rebuilds users (emails unique per merchant) without losing refresh tokens or their foreign key", async () => {
    const file = tempFile();
    const old = new Database(file);
    migrate(old, migrations.filter((m) => m.version <= 3));
    const now = new Date().toISOString();
    old.exec(`INSERT INTO merchants (id, name, currency, default_locale, widget_key, widget, bot, next_order_number, created_at, updated_at)
      VALUES ('m1', 'Old', 'SAR', 'en', 'wk_old', '{}', '{}', 1001, '${now}', '${now}')`);
    old.exec(`INSERT INTO users (id, merchant_id, email, name, role, password_hash, created_at, updated_at)
      VALUES ('u1', 'm1', 'old@example.com', 'Old', 'owner', 'h', '${now}', '${now}')`);
    old.exec(`INSERT INTO refresh_tokens (id, merchant_id, user_id, family_id, expires_at, created_at) VALUES ('r1', 'm1', 'u1', 'f1', '${now}', '${now}')`);
    old.close();

    const store = await openSqliteStore({ crypto: testStoreCrypto(), file });
    try {
      const tenant = store.forMerchant(asMerchantId("m1"));
      expect(await tenant.refreshTokens.get("r1")).toMatchObject({ userId: "u1", familyId: "f1" });
      expect(await store.lookup.usersByEmail("old@example.com", 10)).toEqual([{ merchantId: "m1", userId: "u1" }]);
    } finally {
      await store.close();
    }
    const db = new Database(file);
    try {
      expect(db.pragma("foreign_key_check")).toEqual([]);
      const refs = db.pragma("foreign_key_list(refresh_tokens)") as Array<{ table: string; from: string }>;
      expect(refs.find((r) => r.from === "user_id")?.table).toBe("users");
      // Still enforced and still cascading: removing the user takes its tokens along.
      db.pragma("foreign_keys = ON");
      db.exec("DELETE FROM users WHERE id = 'u1'");
      expect(db.prepare("SELECT count(*) AS n FROM refresh_tokens").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it("uses WAL, foreign keys and a busy timeout", async () => {
    const file = tempFile();
    const store = await openSqliteStore({ crypto: testStoreCrypto(), file });
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });

  it("records each migration once; reopening applies nothing and keeps the data", async () => {
    const file = tempFile();
    const first = await openSqliteStore({ crypto: testStoreCrypto(), file });
    const { merchant } = await first.createMerchant({ name: "Persisted" }, owner("persist@example.com"));
    const t = first.forMerchant(asMerchantId(merchant.id));
    const conv = await t.conversations.create({ channel: "webchat", visitorId: "v" });
    await t.messages.append(conv.id, { role: "shopper", text: "before reopen" });
    await first.close();

    const second = await openSqliteStore({ crypto: testStoreCrypto(), file });
    await openSqliteStore({ crypto: testStoreCrypto(), file }).then((s) => s.close());
    try {
      const again = second.forMerchant(asMerchantId(merchant.id));
      expect((await again.merchant.get()).name).toBe("Persisted");
      expect(await second.lookup.usersByEmail("persist@example.com", 10)).toHaveLength(1);
      const { message } = await again.messages.append(conv.id, { role: "bot", text: "after reopen" });
      expect(message.seq).toBe(2);
    } finally {
      await second.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare("SELECT version FROM schema_migrations ORDER BY version").all() as { version: number }[];
      expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    } finally {
      db.close();
    }
  });

  it("a full disk (max_page_count reached) refuses writes with StoreUnavailableError and leaves no partial rows; reads go on", async () => {
    const file = tempFile();
    const setup = await openSqliteStore({ crypto: testStoreCrypto(), file });
    const { merchant } = await setup.createMerchant({ name: "Full" }, owner("full@example.com"));
    const m = asMerchantId(merchant.id);
    const product = await setup.forMerchant(m).products.create({ name: { en: "Kaftan", ar: "قفطان" }, price: 120, stock: 5 });
    const conversationId = (await setup.forMerchant(m).conversations.create({ channel: "webchat", visitorId: "v-full" })).id;
    await setup.close();

    // The cap is the file's size now (SQLite never sets it lower): any growth fails as on a full disk.
    const store = await openSqliteStore({ crypto: testStoreCrypto(), file, maxPageCount: 1 });
    try {
      const t = store.forMerchant(m);
      const big = "x".repeat(3_000);
      let refused: unknown = null;
      let stored = 0;
      for (let i = 0; i < 2_000 && refused === null; i++) {
        try {
          await t.messages.append(conversationId, { role: "shopper", text: big, clientMessageId: `fill-${i}` });
          stored += 1;
        } catch (err) {
          refused = err;
        }
      }
      expect(refused).toBeInstanceOf(StoreUnavailableError);
      expect(refused).toMatchObject({ code: "unavailable", status: 503, fault: "full" });
      // The refused append left nothing: the stored messages are exactly the acknowledged ones, gap-free.
      const messages = await t.messages.listAfter(conversationId, 0, 5_000);
      expect(messages).toHaveLength(stored);
      expect(messages.map((x) => x.seq)).toEqual(Array.from({ length: stored }, (_, i) => i + 1));
      expect((await t.conversations.get(conversationId))?.lastSeq).toBe(stored);

      // An order with stock reservation is one transaction: refused whole, stock untouched.
      const order = { items: [{ productId: product.id, name: big.repeat(20), price: 120, quantity: 2 }], reserveStock: true, contact: { name: big } };
      await expect(t.orders.create(order)).rejects.toBeInstanceOf(StoreUnavailableError);
      expect((await t.products.get(product.id))?.stock).toBe(5);
      expect((await t.orders.list()).items).toEqual([]);
      await store.ping();
    } finally {
      await store.close();
    }
  });

  it("ping fails once the store is closed", async () => {
    const store = await openSqliteStore({ crypto: testStoreCrypto(), file: ":memory:" });
    await store.ping();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });

  it("every tenant query plan filters by merchant_id through an index", async () => {
    const file = tempFile();
    const store = await openSqliteStore({ crypto: testStoreCrypto(), file });
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      const plan = (sql: string) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(" | ");
      expect(plan("SELECT * FROM messages WHERE merchant_id = 'm' AND conversation_id = 'c' AND seq > 3 ORDER BY seq")).toMatch(
        /USING INDEX messages_seq/,
      );
      expect(
        plan("SELECT * FROM products WHERE merchant_id = 'm' AND status = 'active' AND category_id = 'c' AND price >= 1"),
      ).toMatch(/USING INDEX products_listing/);
      expect(plan("SELECT * FROM conversations WHERE merchant_id = 'm' ORDER BY activity_at DESC, id DESC LIMIT 5")).toMatch(
        /USING INDEX conversations_activity/,
      );
      expect(plan("SELECT * FROM orders WHERE merchant_id = 'm' ORDER BY created_at DESC, id DESC LIMIT 5")).toMatch(
        /USING INDEX orders_recent/,
      );
    } finally {
      db.close();
    }
  });
});

describe("sqlite store across processes", () => {
  const helper = fileURLToPath(new URL("./append-worker.test-helpers.ts", import.meta.url));

  function runWorker(args: string[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", helper, ...args], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (b: Buffer) => (out += b.toString()));
      child.stderr.on("data", (b: Buffer) => (err += b.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        if (code === 0) resolve(JSON.parse(out) as number[]);
        else reject(new Error(`worker exited with ${code}: ${err}`));
      });
    });
  }

  it("writers in separate processes share one gap-free seq and never oversell stock", async () => {
    const file = tempFile();
    const store = await openSqliteStore({ crypto: testStoreCrypto(), file });
    let merchantId: string;
    let conversationId: string;
    let productId: string;
    try {
      const { merchant } = await store.createMerchant({ name: "Multi" }, owner("multi@example.com"));
      merchantId = merchant.id;
      const t = store.forMerchant(asMerchantId(merchant.id));
      conversationId = (await t.conversations.create({ channel: "webchat" })).id;
      productId = (await t.products.create({ name: { en: "P", ar: "" }, price: 1, stock: 150 })).id;
    } finally {
      await store.close();
    }

    const perWorker = 80;
    const labels = ["w1", "w2", "w3"];
    const results = await Promise.all(
      labels.map((label) =>
        runWorker([file, merchantId, conversationId, productId, String(perWorker), label]),
      ),
    );
    const all = results.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: perWorker * labels.length }, (_, i) => i + 1));

    const reopened = await openSqliteStore({ crypto: testStoreCrypto(), file });
    try {
      const t = reopened.forMerchant(asMerchantId(merchantId));
      expect((await t.conversations.get(conversationId))?.lastSeq).toBe(perWorker * labels.length);
      expect((await t.products.get(productId))?.stock).toBe(0);
    } finally {
      await reopened.close();
    }
  });
});

describe("customer contact details at rest", () => {
  const KEY_A = "rotation-key-a-0123456789abcdefghijklmnopqrstuvwxyz";
  const KEY_B = "rotation-key-b-0123456789abcdefghijklmnopqrstuvwxyz";
  /** Every text value in every table of the file, as a thief with the file would read it. */
  const rawText = (file: string): string => {
    const raw = new Database(file, { readonly: true });
    try {
      const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
      return tables.map(({ name }) => JSON.stringify(raw.prepare(`SELECT * FROM "${name}"`).all())).join("\n");
    } finally {
      raw.close();
    }
  };
  const seedOne = async (file: string, key: string) => {
    const store = await openSqliteStore({ crypto: testStoreCrypto(key), file });
    const { merchant } = await store.createMerchant({ name: "Sealed Shop" }, owner(`sealed-${Date.now()}@example.com`));
    const t = store.forMerchant(asMerchantId(merchant.id));
    const customer = await t.customers.create({ channel: "webchat", name: "Reem", email: "Reem.Private@Example.com", phone: "0551239876" });
    const order = await t.orders.create({ items: [{ productId: "p", name: "Lamp", price: 10, quantity: 1 }], contact: { name: "Reem", phone: "+966 55 123 9876", email: "reem.private@example.com" } });
    const { integrationSecrets } = await import("../../integration-secrets.js");
    const sealedSecret = integrationSecrets({ secrets: { encryptionKey: key }, previousEncryptionKeys: [] }).seal({ botToken: "123:secret-bot-token" });
    const channel = await t.channels.create({ type: "telegram", name: "TG", publicConfig: {}, secretsCiphertext: sealedSecret });
    await store.close();
    return { merchantId: merchant.id, customerId: customer.id, orderId: order.id, channelId: channel.id };
  };

  it("keeps emails and phones out of the file in the clear, and still finds customers and orders by them", async () => {
    const file = tempFile();
    const ids = await seedOne(file, KEY_A);
    const text = rawText(file);
    for (const plain of ["Reem.Private", "reem.private", "551239876", "0551239876"]) expect(text, plain).not.toContain(plain);
    const store = await openSqliteStore({ crypto: testStoreCrypto(KEY_A), file });
    try {
      const t = store.forMerchant(asMerchantId(ids.merchantId));
      expect((await t.customers.get(ids.customerId))).toMatchObject({ email: "Reem.Private@Example.com", phone: "+966551239876" });
      expect((await t.customers.findByContact({ email: " reem.private@EXAMPLE.com " }))?.id).toBe(ids.customerId);
      expect((await t.customers.findByContact({ phone: "+966 55 123 9876" }))?.id).toBe(ids.customerId);
      expect((await t.orders.get(ids.orderId))?.contact).toEqual({ name: "Reem", phone: "+966551239876", email: "reem.private@example.com" });
      expect((await t.orders.list({ q: "0551239876" })).items.map((o) => o.id)).toEqual([ids.orderId]);
      // The same detail seals differently each time (random nonce), so equal ciphertexts reveal nothing.
      const again = await t.customers.create({ channel: "webchat", email: "Reem.Private@Example.com" });
      const raw = new Database(file, { readonly: true });
      const rows = raw.prepare("SELECT email, email_hash FROM customers WHERE id IN (?, ?)").all(ids.customerId, again.id) as Array<{ email: string; email_hash: string }>;
      raw.close();
      expect(rows[0]!.email).not.toBe(rows[1]!.email);
      expect(rows[0]!.email_hash).toBe(rows[1]!.email_hash);
    } finally {
      await store.close();
    }
  });

  it("rotates the key: opened with a new key and the old one as previous, every row is resealed; then the old key can go", async () => {
    const file = tempFile();
    const ids = await seedOne(file, KEY_A);
    const sealedUnder = (key: string) => testStoreCrypto(key).pii.currentPrefix;
    expect(rawText(file)).toContain(sealedUnder(KEY_A));

    const rotated = await openSqliteStore({ crypto: testStoreCrypto(KEY_B, [KEY_A]), file });
    await rotated.close();
    const text = rawText(file);
    expect(text).not.toContain(sealedUnder(KEY_A));
    expect(text).toContain(sealedUnder(KEY_B));

    // The old key is gone from the configuration: everything still reads, look-ups still find.
    const store = await openSqliteStore({ crypto: testStoreCrypto(KEY_B), file });
    try {
      const t = store.forMerchant(asMerchantId(ids.merchantId));
      expect((await t.customers.get(ids.customerId))?.email).toBe("Reem.Private@Example.com");
      expect((await t.customers.findByContact({ phone: "0551239876" }))?.id).toBe(ids.customerId);
      expect((await t.orders.list({ q: "reem.private@example.com" })).items.map((o) => o.id)).toEqual([ids.orderId]);
      const { integrationSecrets } = await import("../../integration-secrets.js");
      const sealed = await t.channels.getSecrets(ids.channelId);
      expect(integrationSecrets({ secrets: { encryptionKey: KEY_B }, previousEncryptionKeys: [] }).open(sealed!)).toEqual({ botToken: "123:secret-bot-token" });
    } finally {
      await store.close();
    }
    // A key that never sealed them cannot open them: a clear error, not garbage.
    await expect(openSqliteStore({ crypto: testStoreCrypto("some-unrelated-key-0123456789abcdefghijkl"), file })).rejects.toThrow(/ENCRYPTION_KEYS_PREVIOUS/);
  });

  it("seals the details of rows written before sealing existed when the store opens", async () => {
    const file = tempFile();
    const ids = await seedOne(file, KEY_A);
    const raw = new Database(file);
    raw.prepare("UPDATE customers SET email = 'legacy@example.com', email_hash = NULL, phone = '+966500000001', phone_hash = NULL WHERE id = ?").run(ids.customerId);
    raw.close();
    expect(rawText(file)).toContain("legacy@example.com");
    const store = await openSqliteStore({ crypto: testStoreCrypto(KEY_A), file });
    try {
      expect(rawText(file)).not.toContain("legacy@example.com");
      expect((await store.forMerchant(asMerchantId(ids.merchantId)).customers.findByContact({ email: "LEGACY@example.com" }))?.id).toBe(ids.customerId);
    } finally {
      await store.close();
    }
  });
});
