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
