import { asMerchantId } from "@kaleem/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";
import { MAX_CANNED_REPLIES } from "./routes/canned-replies.js";

let t: TestRest;
let owner: Session;
let agentToken: string;

beforeAll(async () => {
  t = await startTestRest();
  owner = await t.signup("Canned");
  const email = `agent-${Date.now()}@example.com`;
  await t.request("POST", "/api/v1/team", { token: owner.token, body: { email, name: "Agent", role: "agent", password: "agent-password-1" } });
  agentToken = (await t.request("POST", "/api/v1/auth/login", { body: { email, password: "agent-password-1" } })).body.accessToken;
});
afterAll(async () => t?.close());

describe("canned replies API", () => {
  it("creates, lists by shortcut, updates and deletes", async () => {
    const created = await t.request("POST", "/api/v1/canned-replies", {
      token: owner.token,
      body: { shortcut: "/Shipping", text: "  Delivery takes 2-4 days.  " },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      shortcut: "shipping",
      text: "Delivery takes 2-4 days.",
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    await t.request("POST", "/api/v1/canned-replies", { token: owner.token, body: { shortcut: "hello_ar", text: "أهلاً وسهلاً! كيف أقدر أساعدك؟" } });
    const list = await t.request("GET", "/api/v1/canned-replies", { token: owner.token });
    expect(list.body.items.map((r: { shortcut: string }) => r.shortcut)).toEqual(["hello_ar", "shipping"]);
    expect(list.body.items[0].text).toBe("أهلاً وسهلاً! كيف أقدر أساعدك؟");

    const id = created.body.id;
    const patched = await t.request("PATCH", `/api/v1/canned-replies/${id}`, { token: owner.token, body: { shortcut: "delivery" } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, shortcut: "delivery", text: "Delivery takes 2-4 days." });
    expect((await t.request("DELETE", `/api/v1/canned-replies/${id}`, { token: owner.token })).status).toBe(204);
    expect((await t.request("DELETE", `/api/v1/canned-replies/${id}`, { token: owner.token })).status).toBe(404);
    expect((await t.request("PATCH", `/api/v1/canned-replies/${id}`, { token: owner.token, body: { text: "x" } })).status).toBe(404);

    const audit = await t.request("GET", "/api/v1/audit?limit=100", { token: owner.token });
    const actions = audit.body.items.filter((a: { target: string }) => a.target === id).map((a: { action: string }) => a.action);
    expect(actions.sort()).toEqual(["canned_reply.create", "canned_reply.delete", "canned_reply.update"]);
  });

  it("rejects a taken shortcut with 409, on create and on rename", async () => {
    const a = await t.request("POST", "/api/v1/canned-replies", { token: owner.token, body: { shortcut: "thanks", text: "Thank you!" } });
    const b = await t.request("POST", "/api/v1/canned-replies", { token: owner.token, body: { shortcut: "bye", text: "Bye!" } });
    const dup = await t.request("POST", "/api/v1/canned-replies", { token: owner.token, body: { shortcut: "THANKS", text: "again" } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toContain("/thanks");
    const rename = await t.request("PATCH", `/api/v1/canned-replies/${b.body.id}`, { token: owner.token, body: { shortcut: "thanks" } });
    expect(rename.status).toBe(409);
    expect((await t.request("GET", "/api/v1/canned-replies", { token: owner.token })).body.items.find((r: { id: string }) => r.id === a.body.id).text).toBe(
      "Thank you!",
    );
  });

  it("validates shortcut and text", async () => {
    const bad: Array<[unknown, string]> = [
      [{ shortcut: "has space", text: "x" }, "shortcut"],
      [{ shortcut: "a".repeat(33), text: "x" }, "shortcut"],
      [{ shortcut: "", text: "x" }, "shortcut"],
      [{ shortcut: "émoji", text: "x" }, "shortcut"],
      [{ shortcut: "ok", text: "   " }, "text"],
      [{ shortcut: "ok", text: "x".repeat(2001) }, "text"],
      [{ shortcut: "ok", text: "x", merchantId: "other" }, ""],
    ];
    for (const [body, p] of bad) {
      const res = await t.request("POST", "/api/v1/canned-replies", { token: owner.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path), JSON.stringify(body)).toContain(p);
    }
    const longest = await t.request("POST", "/api/v1/canned-replies", { token: owner.token, body: { shortcut: "a".repeat(32), text: "x".repeat(2000) } });
    expect(longest.status).toBe(201);
  });

  it("lets agents read and add replies, but not change or delete them", async () => {
    const mine = await t.request("POST", "/api/v1/canned-replies", { token: agentToken, body: { shortcut: "agent-made", text: "From an agent" } });
    expect(mine.status).toBe(201);
    const list = await t.request("GET", "/api/v1/canned-replies", { token: agentToken });
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { shortcut: string }) => r.shortcut)).toContain("agent-made");
    expect((await t.request("PATCH", `/api/v1/canned-replies/${mine.body.id}`, { token: agentToken, body: { text: "changed" } })).status).toBe(403);
    expect((await t.request("DELETE", `/api/v1/canned-replies/${mine.body.id}`, { token: agentToken })).status).toBe(403);
    expect((await t.request("PATCH", `/api/v1/canned-replies/${mine.body.id}`, { token: owner.token, body: { text: "edited by owner" } })).status).toBe(200);
  });

  it("keeps merchants apart: 404 on another store's reply, same shortcut allowed there", async () => {
    const other = await t.signup("Other");
    const own = await t.request("POST", "/api/v1/canned-replies", { token: owner.token, body: { shortcut: "private", text: "A only" } });
    expect((await t.request("PATCH", `/api/v1/canned-replies/${own.body.id}`, { token: other.token, body: { text: "stolen" } })).status).toBe(404);
    expect((await t.request("DELETE", `/api/v1/canned-replies/${own.body.id}`, { token: other.token })).status).toBe(404);
    expect((await t.request("GET", "/api/v1/canned-replies", { token: other.token })).body.items).toEqual([]);
    expect((await t.request("POST", "/api/v1/canned-replies", { token: other.token, body: { shortcut: "private", text: "B" } })).status).toBe(201);
    const mine = await t.request("GET", "/api/v1/canned-replies", { token: owner.token });
    expect(mine.body.items.find((r: { id: string }) => r.id === own.body.id).text).toBe("A only");
  });

  it(`caps a store at ${MAX_CANNED_REPLIES} replies (422)`, async () => {
    const full = await t.signup("Full");
    const tenant = t.store.forMerchant(asMerchantId(full.merchantId));
    for (let i = 0; i < MAX_CANNED_REPLIES; i += 1) await tenant.cannedReplies.create({ shortcut: `r${i}`, text: "x" });
    const res = await t.request("POST", "/api/v1/canned-replies", { token: full.token, body: { shortcut: "one-more", text: "x" } });
    expect(res.status).toBe(422);
    expect((await t.request("GET", "/api/v1/canned-replies", { token: full.token })).body.items).toHaveLength(MAX_CANNED_REPLIES);
  });
});
