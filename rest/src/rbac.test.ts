import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let owner: Session;
beforeAll(async () => {
  t = await startTestRest();
  owner = await t.signup("RBAC");
});
afterAll(async () => t?.close());

async function invite(token: string, role: "agent" | "admin", password?: string) {
  const email = `${role}-${Math.random().toString(36).slice(2)}@example.com`;
  const res = await t.request("POST", "/api/v1/team", { token, body: { email, name: `A ${role}`, role, ...(password && { password }) } });
  return { res, email };
}
async function login(email: string, password: string): Promise<string> {
  const res = await t.request("POST", "/api/v1/auth/login", { body: { email, password } });
  expect(res.status).toBe(200);
  return res.body.accessToken;
}

describe("team and roles", () => {
  it("invites an agent with a generated password that is returned once and works", async () => {
    const { res, email } = await invite(owner.token, "agent");
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email, role: "agent", merchantId: owner.merchantId });
    expect(typeof res.body.password).toBe("string");
    const token = await login(email, res.body.password);
    const me = await t.request("GET", "/api/v1/me", { token });
    expect(me.body.user.role).toBe("agent");
    const list = await t.request("GET", "/api/v1/team", { token: owner.token });
    expect(list.body.items.map((u: { email: string }) => u.email)).toContain(email);
    expect(JSON.stringify(list.body)).not.toMatch(/passwordHash|scrypt\$/);
  });

  it("denies agents team, settings, audit and catalog management (403)", async () => {
    const { res, email } = await invite(owner.token, "agent", "agent-password-1");
    const agent = await login(email, "agent-password-1");
    const denied: Array<[string, string, unknown?]> = [
      ["POST", "/api/v1/team", { email: "x@example.com", name: "x" }],
      ["PATCH", `/api/v1/team/${res.body.user.id}`, { name: "me" }],
      ["DELETE", `/api/v1/team/${owner.userId}`],
      ["GET", "/api/v1/settings/widget"],
      ["PATCH", "/api/v1/settings/widget", { color: "#000000" }],
      ["POST", "/api/v1/settings/widget/rotate-key"],
      ["POST", "/api/v1/settings/widget/identity-secret"],
      ["GET", "/api/v1/settings/bot"],
      ["PATCH", "/api/v1/settings/bot", { lowConfidence: "handoff" }],
      ["GET", "/api/v1/audit"],
      ["POST", "/api/v1/products", { name: { en: "x" }, price: 1 }],
      ["POST", "/api/v1/knowledge", { title: "t", data: { kind: "faq", faq: { question: { en: "q" }, answer: { en: "a" } } } }],
    ];
    for (const [method, path, body] of denied) {
      const r = await t.request(method, path, { token: agent, ...(body !== undefined && { body }) });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe("forbidden");
    }
    // ...but may read the catalog, the inbox and orders.
    for (const path of ["/api/v1/products", "/api/v1/conversations", "/api/v1/orders", "/api/v1/knowledge", "/api/v1/categories"]) {
      expect((await t.request("GET", path, { token: agent })).status, path).toBe(200);
    }
  });

  it("lets agents read the team as id, name and role only (to assign conversations), managers in full", async () => {
    const { res, email } = await invite(owner.token, "agent", "agent-password-5");
    const agent = await login(email, "agent-password-5");
    const asAgent = await t.request("GET", "/api/v1/team", { token: agent });
    expect(asAgent.status).toBe(200);
    const members = asAgent.body.items as Array<Record<string, unknown>>;
    expect(members.find((m) => m.id === owner.userId)).toEqual({ id: owner.userId, name: expect.any(String), role: "owner" });
    expect(members.find((m) => m.id === res.body.user.id)).toEqual({ id: res.body.user.id, name: "A agent", role: "agent" });
    for (const member of members) expect(Object.keys(member).sort()).toEqual(["id", "name", "role"]);
    const text = JSON.stringify(asAgent.body);
    expect(text).not.toContain(email);
    expect(text).not.toContain(owner.email.toLowerCase());
    // Paging works the same for them.
    const firstPage = await t.request("GET", "/api/v1/team?limit=1", { token: agent });
    expect(firstPage.body.items).toHaveLength(1);
    expect(typeof firstPage.body.nextCursor).toBe("string");

    const asOwner = await t.request("GET", "/api/v1/team", { token: owner.token });
    expect(asOwner.body.items.find((m: { id: string }) => m.id === res.body.user.id)).toMatchObject({ email, merchantId: owner.merchantId, createdAt: expect.any(String) });
  });

  it("lets only the owner create and manage admins", async () => {
    const { res: adminRes, email: adminEmail } = await invite(owner.token, "admin", "admin-password-1");
    expect(adminRes.status).toBe(201);
    const admin = await login(adminEmail, "admin-password-1");

    expect((await invite(admin, "admin")).res.status).toBe(403);
    const { res: agentRes } = await invite(admin, "agent");
    expect(agentRes.status).toBe(201);
    const agentId = agentRes.body.user.id;

    // An admin cannot promote an agent to admin; the owner can, and it is audited.
    expect((await t.request("PATCH", `/api/v1/team/${agentId}`, { token: admin, body: { role: "admin" } })).status).toBe(403);
    const promoted = await t.request("PATCH", `/api/v1/team/${agentId}`, { token: owner.token, body: { role: "admin" } });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe("admin");
    // Now an admin, it is out of the other admin's reach.
    expect((await t.request("DELETE", `/api/v1/team/${agentId}`, { token: admin })).status).toBe(403);

    const audit = await t.request("GET", "/api/v1/audit", { token: owner.token });
    const change = audit.body.items.find((a: { action: string; target: string }) => a.action === "team.role_changed" && a.target === agentId);
    expect(change.data).toEqual({ from: "agent", to: "admin" });
    expect(change.actorId).toBe(owner.userId);
  });

  it("never lets anyone change the owner's role or remove the owner", async () => {
    const { email } = await invite(owner.token, "admin", "admin-password-2");
    const admin = await login(email, "admin-password-2");
    for (const token of [owner.token, admin]) {
      const demote = await t.request("PATCH", `/api/v1/team/${owner.userId}`, { token, body: { role: "agent" } });
      expect(demote.status).toBe(403);
      const remove = await t.request("DELETE", `/api/v1/team/${owner.userId}`, { token });
      expect(remove.status).toBe(403);
    }
    // The body cannot smuggle in the owner role either.
    const { res } = await invite(owner.token, "agent");
    const sneaky = await t.request("PATCH", `/api/v1/team/${res.body.user.id}`, { token: owner.token, body: { role: "owner" } });
    expect(sneaky.status).toBe(400);
    const me = await t.request("GET", "/api/v1/me", { token: owner.token });
    expect(me.body.user.role).toBe("owner");
  });

  it("a removed member's token stops working at once", async () => {
    const { res, email } = await invite(owner.token, "agent", "agent-password-3");
    const agent = await login(email, "agent-password-3");
    expect((await t.request("GET", "/api/v1/me", { token: agent })).status).toBe(200);
    const removed = await t.request("DELETE", `/api/v1/team/${res.body.user.id}`, { token: owner.token });
    expect(removed.status).toBe(204);
    expect((await t.request("GET", "/api/v1/me", { token: agent })).status).toBe(401);
    expect((await t.request("DELETE", `/api/v1/team/${res.body.user.id}`, { token: owner.token })).status).toBe(404);
  });

  it("a demotion takes effect before the token expires", async () => {
    const { res, email } = await invite(owner.token, "admin", "admin-password-4");
    const admin = await login(email, "admin-password-4");
    expect((await t.request("GET", "/api/v1/audit", { token: admin })).status).toBe(200);
    await t.request("PATCH", `/api/v1/team/${res.body.user.id}`, { token: owner.token, body: { role: "agent" } });
    expect((await t.request("GET", "/api/v1/audit", { token: admin })).status).toBe(403);
  });
});

describe("password changes", () => {
  it("end the member's refresh sessions and access tokens", async () => {
    const { res, email } = await invite(owner.token, "agent", "agent-password-9");
    const login1 = await t.request("POST", "/api/v1/auth/login", { body: { email, password: "agent-password-9" } });
    const changed = await t.request("PATCH", `/api/v1/team/${res.body.user.id}`, { token: owner.token, body: { password: "new-password-99" } });
    expect(changed.status).toBe(200);
    expect((await t.request("POST", "/api/v1/auth/refresh", { body: { refreshToken: login1.body.refreshToken } })).status).toBe(401);
    // The access token issued before the change no longer opens anything.
    expect((await t.request("GET", "/api/v1/me", { token: login1.body.accessToken })).status).toBe(401);
    expect((await t.request("POST", "/api/v1/auth/login", { body: { email, password: "agent-password-9" } })).status).toBe(401);
    // Tokens issued from the next second on are accepted: wait for that second, then sign in.
    await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
    const login2 = await t.request("POST", "/api/v1/auth/login", { body: { email, password: "new-password-99" } });
    expect(login2.status).toBe(200);
    expect((await t.request("GET", "/api/v1/me", { token: login2.body.accessToken })).status).toBe(200);
  });
});
