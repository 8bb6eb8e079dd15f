// Store contract, customers (shoppers known by channel and external id, or by contact).
import { describe, expect, it } from "vitest";
import { collectPages, type StoreHarness } from "./harness.js";

export function customersStoreTests(h: StoreHarness): void {
  const { tenant } = h;

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

    it("findOrCreateByExternalId: one customer per channel identity, also when raced; channel facts fill empty fields only", async () => {
      const a = await tenant();
      const b = await tenant();
      const raced = await Promise.all(
        Array.from({ length: 8 }, () => a.t.customers.findOrCreateByExternalId("whatsapp", "966500000009", { name: "Noura", phone: "+966500000009" })),
      );
      expect(new Set(raced.map((r) => r.customer.id)).size).toBe(1);
      expect(raced.filter((r) => r.created)).toHaveLength(1);
      const id = raced[0]!.customer.id;
      expect(raced[0]!.customer).toMatchObject({ channel: "whatsapp", externalId: "966500000009", name: "Noura", phone: "+966500000009" });
      // An agent's edit stands; what was still unknown is filled.
      await a.t.customers.update(id, { name: "Noura A.", phone: null });
      const again = await a.t.customers.findOrCreateByExternalId("whatsapp", "966500000009", { name: "Noura", phone: "+966500000009", email: "n@shop.example" });
      expect(again).toMatchObject({ created: false, customer: { id, name: "Noura A.", phone: "+966500000009", email: "n@shop.example" } });
      // The same id on another channel, or in another store, is someone else.
      expect((await a.t.customers.findOrCreateByExternalId("telegram", "966500000009", {})).created).toBe(true);
      expect((await b.t.customers.findOrCreateByExternalId("whatsapp", "966500000009", {})).created).toBe(true);
    });

    it("merchant B can neither read, change nor list merchant A's customers", async () => {
      const a = (await tenant("A")).t;
      const b = (await tenant("B")).t;
      const customer = await a.customers.create({ channel: "telegram", externalId: "a-tg", email: "a@shop.example", phone: "+1" });
      expect(await b.customers.get(customer.id)).toBeNull();
      expect(await b.customers.findByExternalId("telegram", "a-tg")).toBeNull();
      expect(await b.customers.findByContact({ email: "a@shop.example", phone: "+1" })).toBeNull();
      expect(await b.customers.update(customer.id, { name: "stolen" })).toBeNull();
      expect((await b.customers.list()).items).toEqual([]);
      expect(await a.customers.get(customer.id)).toEqual(customer);
    });
  });
}
