// Store contract, accounts: createMerchant (a tenant and its owner in one step), merchant
// settings, the widget-key lookup, ping. Every other repository suite builds on this one.
import { describe, expect, it } from "vitest";
import { ConflictError } from "../../../errors.js";
import { newId } from "../../../ids.js";
import { DEFAULT_GREETING, DEFAULT_HANDOFF_ORDER_VALUE, DEFAULT_MAX_OPEN_COD_ORDERS, DEFAULT_MAX_ORDER_QUANTITY, DEFAULT_MAX_ORDER_VALUE } from "../../../store/defaults.js";
import { uniqueEmail, type StoreHarness } from "./harness.js";

export function accountsStoreTests(h: StoreHarness): void {
  const { tenant } = h;

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
      expect(await h.store.lookup.merchantIds()).toContain(merchant.id);
    });

    it("two merchants get different widget keys and identity secrets", async () => {
      const a = await tenant();
      const b = await tenant();
      expect(a.merchant.widget.key).not.toBe(b.merchant.widget.key);
      expect(a.merchant.widget.identitySecret).not.toBe(b.merchant.widget.identitySecret);
      expect(await h.store.lookup.merchantByWidgetKey(a.merchant.widget.key)).toBe(a.merchant.id);
      expect(await h.store.lookup.merchantByWidgetKey("wk_nope")).toBeNull();
    });

    it("createMerchant keeps the caller's choices over the defaults", async () => {
      const { merchant } = await h.store.createMerchant(
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

    it("a taken widget key is a ConflictError and leaves no merchant or owner behind", async () => {
      const { merchant } = await tenant();
      const before = (await h.store.lookup.merchantIds()).length;
      const email = uniqueEmail("dup");
      await expect(
        h.store.createMerchant({ name: "Dup", widget: { key: merchant.widget.key } }, { email, name: "X", role: "owner", passwordHash: "h" }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect((await h.store.lookup.merchantIds()).length).toBe(before);
      expect(await h.store.lookup.usersByEmail(email, 10)).toEqual([]);
    });

    it("an owner email already used by another merchant starts a separate account", async () => {
      const { email, owner } = await tenant();
      const second = await h.store.createMerchant({ name: "Second shop" }, { email: email.toUpperCase(), name: "X", role: "owner", passwordHash: "h" });
      expect(second.owner.id).not.toBe(owner.id);
      expect((await h.store.lookup.usersByEmail(email, 10)).map((s) => s.userId)).toEqual([owner.id, second.owner.id]);
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
      expect(await h.store.lookup.merchantByWidgetKey(updated.widget.key)).toBe(merchant.id);
      expect(await h.store.lookup.merchantByWidgetKey(merchant.widget.key)).toBeNull();
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
      await expect(h.store.ping()).resolves.toBeUndefined();
    });

    it("a tenant scope reads and changes its own merchant only", async () => {
      const A = await tenant("A");
      const B = await tenant("B");
      expect((await B.t.merchant.get()).id).toBe(B.merchant.id);
      await B.t.merchant.update({ name: "B renamed", bot: { handoffKeywords: ["agent"] } });
      expect(await A.t.merchant.get()).toEqual(A.merchant);
      expect(await h.store.lookup.merchantIds()).toEqual(expect.arrayContaining([A.merchant.id, B.merchant.id]));
    });
  });
}
