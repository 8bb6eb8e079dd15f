import { asMerchantId, type TenantStore } from "@kaleem/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let s: Session;
let tenant: TenantStore;
beforeAll(async () => {
  t = await startTestRest();
  s = await t.signup("Inbox");
  tenant = t.store.forMerchant(asMerchantId(s.merchantId));
});
afterAll(async () => t?.close());

describe("conversations", () => {
  it("lists with filters and pages messages by seq", async () => {
    const web = await tenant.conversations.create({ channel: "webchat", visitorId: "v1" });
    const tg = await tenant.conversations.create({ channel: "telegram", status: "waiting_human" });
    await tenant.conversations.update(tg.id, { assigneeId: s.userId, status: "human" });
    for (let i = 1; i <= 5; i++) await tenant.messages.append(web.id, { role: i % 2 ? "shopper" : "bot", text: `message ${i}` });

    const api = (path: string) => t.request("GET", `/api/v1${path}`, { token: s.token });
    const all = await api("/conversations");
    expect(all.body.items.map((c: { id: string }) => c.id).sort()).toEqual([web.id, tg.id].sort());
    expect((await api("/conversations?channel=telegram")).body.items.map((c: { id: string }) => c.id)).toEqual([tg.id]);
    expect((await api("/conversations?status=human")).body.items.map((c: { id: string }) => c.id)).toEqual([tg.id]);
    expect((await api("/conversations?assignee=me")).body.items.map((c: { id: string }) => c.id)).toEqual([tg.id]);
    expect((await api("/conversations?status=lost")).status).toBe(400);

    const one = await api(`/conversations/${web.id}`);
    expect(one.body).toMatchObject({ id: web.id, lastSeq: 5, channel: "webchat" });

    const first = await api(`/conversations/${web.id}/messages?limit=2`);
    expect(first.body.items.map((m: { seq: number }) => m.seq)).toEqual([1, 2]);
    const second = await api(`/conversations/${web.id}/messages?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.items.map((m: { seq: number }) => m.seq)).toEqual([3, 4]);
    // A message appended while paging shows up at the end, in order.
    await tenant.messages.append(web.id, { role: "agent", text: "message 6" });
    const third = await api(`/conversations/${web.id}/messages?limit=2&cursor=${encodeURIComponent(second.body.nextCursor)}`);
    expect(third.body.items.map((m: { seq: number; text: string }) => [m.seq, m.text])).toEqual([
      [5, "message 5"],
      [6, "message 6"],
    ]);
    expect((await api("/conversations/nope")).status).toBe(404);
  });
});

describe("conversation search (q)", () => {
  it("finds conversations by the shopper's name, email, phone, last message and id prefix, with the tab filters", async () => {
    const owner = await t.signup("Search");
    const store = t.store.forMerchant(asMerchantId(owner.merchantId));
    const nora = await store.customers.create({ channel: "whatsapp", name: "Nora Al-Amri", email: "nora@example.com", phone: "+966501112233" });
    const byName = await store.conversations.create({ channel: "whatsapp", customerId: nora.id });
    const byText = await store.conversations.create({ channel: "webchat", visitorId: "v-search", status: "waiting_human" });
    await store.messages.append(byText.id, { role: "shopper", text: "هل الفستان الأخضر متوفر بمقاس ٣٨؟" });
    const other = await store.conversations.create({ channel: "webchat", visitorId: "v-other" });
    await store.messages.append(other.id, { role: "shopper", text: "unrelated" });

    const search = async (query: string) => {
      const res = await t.request("GET", `/api/v1/conversations?${query}`, { token: owner.token });
      expect(res.status, query).toBe(200);
      return res.body.items.map((c: { id: string }) => c.id);
    };
    expect(await search("q=NORA")).toEqual([byName.id]);
    // Emails and phones are sealed at rest: found whole (any case, any phone format), not by a part.
    expect(await search("q=Nora%40Example.com")).toEqual([byName.id]);
    expect(await search("q=0501112233")).toEqual([byName.id]);
    expect(await search("q=nora%40example")).toEqual([]);
    // Arabic: hamza-on-alef and Arabic-Indic digits fold.
    expect(await search(`q=${encodeURIComponent("الاخضر")}`)).toEqual([byText.id]);
    expect(await search("q=38")).toEqual([byText.id]);
    expect(await search(`q=${byText.id.slice(0, 20)}`)).toEqual([byText.id]);
    expect(await search(`q=${encodeURIComponent("%")}`)).toEqual([]);
    // Combined with the tab's filters.
    expect(await search(`status=waiting_human&q=${encodeURIComponent("الأخضر")}`)).toEqual([byText.id]);
    expect(await search(`status=bot&q=${encodeURIComponent("الأخضر")}`)).toEqual([]);
    expect((await search("q=")).sort()).toEqual([byName.id, byText.id, other.id].sort());
    const tooLong = await t.request("GET", `/api/v1/conversations?q=${"x".repeat(201)}`, { token: owner.token });
    expect(tooLong.status).toBe(400);
    // Each row carries the shopper's name, as the inbox socket's summaries do (a reload shows the same names).
    const all = await t.request("GET", "/api/v1/conversations", { token: owner.token });
    expect(Object.fromEntries(all.body.items.map((c: { id: string; customerName: string | null }) => [c.id, c.customerName]))).toEqual({
      [byName.id]: "Nora Al-Amri",
      [byText.id]: null,
      [other.id]: null,
    });
  });
});

describe("customers", () => {
  it("any team member reads a shopper's record; unknown ids are 404", async () => {
    const owner = await t.signup("Customers");
    const store = t.store.forMerchant(asMerchantId(owner.merchantId));
    const customer = await store.customers.create({ channel: "telegram", name: "Sara", email: "sara@example.com", phone: "+966500000000", externalId: "tg-42" });
    const invited = await t.request("POST", "/api/v1/team", {
      token: owner.token,
      body: { email: `agent-${Date.now()}@example.com`, name: "Agent", role: "agent", password: "agent-password-1" },
    });
    const login = await t.request("POST", "/api/v1/auth/login", { body: { email: invited.body.user.email, password: "agent-password-1" } });
    for (const token of [owner.token, login.body.accessToken as string]) {
      const res = await t.request("GET", `/api/v1/customers/${customer.id}`, { token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...customer });
    }
    const missing = await t.request("GET", "/api/v1/customers/nope", { token: owner.token });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
    expect((await t.request("GET", `/api/v1/customers/${customer.id}`)).status).toBe(401);
  });
});
