// Store contract, conversations and messages: per-conversation seqs with no gaps under
// concurrency, idempotent appends by clientMessageId, compare-and-set state changes, search,
// the summary fields the inbox lists. Uses customers (a conversation belongs to one).
import { describe, expect, it } from "vitest";
import { conversationSummaries } from "../../../conversation/summary.js";
import { NotFoundError } from "../../../errors.js";
import type { TenantStore } from "../../../ports/store.js";
import { ALL_TIME, collectPages, delay, type StoreHarness } from "./harness.js";

export function conversationsStoreTests(h: StoreHarness): void {
  const { tenant, conversationOf } = h;

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

    it("findOrCreateOpenByCustomer gives a channel customer one open conversation, also when raced", async () => {
      const { t } = await tenant();
      const { customer } = await t.customers.findOrCreateByExternalId("telegram", "tg-42", { name: "Ali" });
      const raced = await Promise.all(
        Array.from({ length: 8 }, () => t.conversations.findOrCreateOpenByCustomer(customer.id, { channel: "telegram", channelId: "ch-1" })),
      );
      expect(new Set(raced.map((r) => r.conversation.id)).size).toBe(1);
      expect(raced.filter((r) => r.created)).toHaveLength(1);
      expect(raced[0]!.conversation).toMatchObject({ channel: "telegram", channelId: "ch-1", customerId: customer.id, status: "bot" });
      // Another channel of the same customer record is another conversation; a closed one is not reused.
      expect((await t.conversations.findOrCreateOpenByCustomer(customer.id, { channel: "whatsapp", channelId: "ch-2" })).created).toBe(true);
      await t.conversations.update(raced[0]!.conversation.id, { status: "closed" });
      const next = await t.conversations.findOrCreateOpenByCustomer(customer.id, { channel: "telegram", channelId: "ch-1" });
      expect(next.created).toBe(true);
    });

    it("remembers provider message ids of a sent message and finds it by them, in its own store only", async () => {
      const a = await tenant();
      const b = await tenant();
      const conv = await h.conversationOf(a.t);
      const { message } = await a.t.messages.append(conv.id, { role: "bot", text: "hello" });
      await a.t.messages.linkProviderMessage(message.id, "wamid.1");
      await a.t.messages.linkProviderMessage(message.id, "wamid.2");
      await a.t.messages.linkProviderMessage(message.id, "wamid.1");
      expect((await a.t.messages.findByProviderMessageId("wamid.2"))?.id).toBe(message.id);
      expect(await a.t.messages.findByProviderMessageId("wamid.9")).toBeNull();
      expect(await b.t.messages.findByProviderMessageId("wamid.1")).toBeNull();
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

    it("q searches the customer's name (a part), email and phone (whole, any format), the preview and the id prefix", async () => {
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
      // Emails and phones are sealed at rest and found by keyed hash: whole, in any case or format.
      expect(await ids({ q: "LAYLA.H@shop.example" })).toEqual([c1.id]);
      expect(await ids({ q: "0551234567" })).toEqual([c1.id]);
      expect(await ids({ q: "+966 55 123 4567" })).toEqual([c1.id]);
      expect(await ids({ q: "layla.h@shop" })).toEqual([]);
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

    it("listSummariesJson is list's page as the inbox lists it: each conversation with its customer's name, no sealed detail", async () => {
      const { t } = await tenant();
      const other = (await tenant("Other")).t;
      const named = await t.customers.create({ channel: "whatsapp", name: 'Layla "L" Haddad', email: "layla@shop.example", phone: "+966551234567" });
      const arabic = await t.customers.create({ channel: "telegram", name: "فاطمة الزهراء", email: "fatima@shop.example" });
      const nameless = await t.customers.create({ channel: "telegram", externalId: "tg-1", phone: "+15550002" });
      const foreign = await other.customers.create({ channel: "webchat", name: "Another Store's Shopper" });
      const c1 = await t.conversations.create({ channel: "whatsapp", customerId: named.id });
      await t.messages.append(c1.id, { role: "shopper", text: 'a "quoted" \\ needle\n' });
      const c2 = await t.conversations.create({ channel: "telegram", customerId: arabic.id, status: "human" });
      await t.conversations.update(c2.id, { assigneeId: "ag-1", labels: ["vip", "ج"], pageUrl: "https://shop.example/p?a=1" });
      await t.conversations.create({ channel: "telegram", customerId: nameless.id });
      // A second conversation of the same customer, and one pointing at another store's customer (a forged reference).
      await t.conversations.create({ channel: "whatsapp", customerId: named.id, status: "closed" });
      await t.conversations.create({ channel: "webchat", visitorId: "v-forged", customerId: foreign.id });
      for (let i = 0; i < 3; i++) await conversationOf(t);

      const expected = async (filter: Parameters<TenantStore["conversations"]["list"]>[0], page: { limit: number; cursor: string | null }) => {
        const typed = await t.conversations.list(filter, page);
        return { items: await conversationSummaries(t, typed.items), nextCursor: typed.nextCursor };
      };
      for (const filter of [{}, { status: "human" as const }, { assigneeId: "ag-1" }, { channel: "whatsapp" as const }, { customerId: named.id }, { q: "layla" }, { q: "needle" }, { q: "فاطمه" }, { q: "layla@shop.example" }]) {
        let cursor: string | null = null;
        let pages = 0;
        do {
          const json = await t.conversations.listSummariesJson(filter, { limit: 3, cursor });
          const page = JSON.parse(json.text) as { items: unknown[]; nextCursor: string | null };
          expect(page, JSON.stringify(filter)).toEqual(await expected(filter, { limit: 3, cursor }));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor && pages < 20);
        expect(cursor).toBeNull();
      }
      const all = await t.conversations.listSummariesJson({}, { limit: 100 });
      const names = (JSON.parse(all.text) as { items: Array<{ id: string; customerName: string | null }> }).items.map((c) => [c.id, c.customerName]);
      expect(names).toContainEqual([c1.id, 'Layla "L" Haddad']);
      expect(names).toContainEqual([c2.id, "فاطمة الزهراء"]);
      expect(names.filter(([, name]) => name === "Another Store's Shopper")).toEqual([]);
      // Contact details are neither opened nor copied sealed into the list.
      for (const secret of ["layla@shop.example", "+966551234567", "fatima@shop.example", "+15550002", "pii1."]) expect(all.text).not.toContain(secret);
      expect(JSON.parse((await other.conversations.listSummariesJson()).text)).toEqual({ items: [], nextCursor: null });
      await expect(t.conversations.listSummariesJson({}, { cursor: "bm9wZQ" })).rejects.toThrow();
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

    it("a conditional update changes only a message in the expected status; the system lists streams of every tenant", async () => {
      const { t, merchant } = await tenant();
      const other = await tenant();
      const conv = await conversationOf(t);
      const streaming = (await t.messages.append(conv.id, { role: "bot", text: "", status: "streaming" })).message;
      const elsewhere = (await other.t.messages.append((await conversationOf(other.t)).id, { role: "bot", text: "", status: "streaming" })).message;
      const listed = await h.system.messages.listStreaming({ olderThanMs: 0, limit: 1000 });
      expect(listed).toContainEqual({ merchantId: merchant.id, conversationId: conv.id, id: streaming.id });
      expect(listed).toContainEqual({ merchantId: other.merchant.id, conversationId: elsewhere.conversationId, id: elsewhere.id });
      expect((await h.system.messages.listStreaming({ olderThanMs: 60_000, limit: 1000 })).map((m) => m.id)).not.toContain(streaming.id);

      const finished = await t.messages.update(streaming.id, { text: "the whole answer", status: "complete" });
      // A sweeper arriving late changes nothing and sees what is there.
      const late = await t.messages.update(streaming.id, { text: "the wh", status: "stopped" }, { ifStatus: "streaming" });
      expect(late).toEqual(finished);
      expect(await t.messages.get(streaming.id)).toMatchObject({ text: "the whole answer", status: "complete" });
      expect((await h.system.messages.listStreaming({ olderThanMs: 0, limit: 1000 })).map((m) => m.id)).not.toContain(streaming.id);
      // In the expected status it applies.
      expect(await other.t.messages.update(elsewhere.id, { text: "cut", status: "stopped" }, { ifStatus: "streaming" })).toMatchObject({ text: "cut", status: "stopped" });
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

    it("merchant B can neither read, change nor list merchant A's conversations and messages", async () => {
      const a = (await tenant("A")).t;
      const b = (await tenant("B")).t;
      const customer = await a.customers.create({ channel: "telegram", externalId: "a-tg" });
      const conv = await a.conversations.create({ channel: "webchat", visitorId: "a-visitor", customerId: customer.id });
      const msg = await a.messages.append(conv.id, { role: "shopper", text: "hi", clientMessageId: "a-c1", status: "streaming" });
      await a.conversations.setBotState(conv.id, { secret: true });

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

      expect(await b.conversations.update(conv.id, { status: "closed" })).toBeNull();
      expect(await b.conversations.transition(conv.id, ["bot"], { status: "human" })).toBeNull();
      await expect(b.conversations.setBotState(conv.id, {})).rejects.toBeInstanceOf(NotFoundError);
      await expect(b.messages.append(conv.id, { role: "agent", text: "spoof" })).rejects.toBeInstanceOf(NotFoundError);
      expect(await b.messages.update(msg.message.id, { text: "spoof" })).toBeNull();

      expect((await b.conversations.list()).items).toEqual([]);
      expect(await b.conversations.listCreatedBetween(...ALL_TIME)).toEqual([]);
      expect(await b.messages.listCreatedBetween(...ALL_TIME)).toEqual([]);

      expect(await a.conversations.get(conv.id)).toMatchObject({ status: "bot", lastSeq: 1 });
      expect(await a.conversations.getBotState(conv.id)).toEqual({ secret: true });
      expect(await a.messages.get(msg.message.id)).toEqual(msg.message);
    });
  });
}
