// Store contract, users and refresh tokens: agents and their credentials, unique emails across
// merchants, the rotating refresh tokens (single use, family revocation).
import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../../errors.js";
import { newId } from "../../../ids.js";
import { collectPages, uniqueEmail, type StoreHarness } from "./harness.js";

export function usersStoreTests(h: StoreHarness): void {
  const { tenant } = h;

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

    it("emails are unique within a merchant, may repeat across merchants, and are looked up case-insensitively", async () => {
      const a = await tenant();
      const b = await tenant();
      const email = uniqueEmail("shared");
      const inA = await a.t.users.create({ email, name: "A", role: "agent", passwordHash: "h" });
      await expect(
        a.t.users.create({ email: email.toUpperCase(), name: "A2", role: "agent", passwordHash: "h" }),
      ).rejects.toBeInstanceOf(ConflictError);
      // Another store inviting the same person is not told the address exists elsewhere.
      const inB = await b.t.users.create({ email: email.toUpperCase(), name: "B", role: "agent", passwordHash: "h" });
      expect(await h.store.lookup.usersByEmail(`  ${email.toUpperCase()} `, 10)).toEqual([
        { merchantId: a.merchant.id, userId: inA.id },
        { merchantId: b.merchant.id, userId: inB.id },
      ]);
      expect(await h.store.lookup.usersByEmail(email, 1)).toEqual([{ merchantId: a.merchant.id, userId: inA.id }]);
      expect(await h.store.lookup.usersByEmail("nobody@example.com", 10)).toEqual([]);
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
      expect(await h.store.lookup.refreshToken(token.id)).toEqual({ merchantId: merchant.id, userId: owner.id });
      expect(await h.store.lookup.refreshToken("missing")).toBeNull();
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

    it("merchant B can neither read, change nor list merchant A's users and tokens", async () => {
      const A = await tenant("A");
      const B = await tenant("B");
      const a = A.t;
      const b = B.t;
      const agent = await a.users.create({ email: uniqueEmail("a-agent"), name: "A agent", role: "agent", passwordHash: "h" });
      const token = await a.refreshTokens.create({ id: newId(), userId: agent.id, familyId: "a-fam", expiresAt: "2999-01-01T00:00:00.000Z" });

      expect(await b.users.get(agent.id)).toBeNull();
      expect(await b.users.getCredentials(agent.id)).toBeNull();
      expect(await b.refreshTokens.get(token.id)).toBeNull();
      expect(await b.users.update(agent.id, { role: "owner" })).toBeNull();
      expect(await b.users.remove(agent.id)).toBe(false);
      expect(await b.refreshTokens.markUsed(token.id)).toBe(false);
      expect(await b.refreshTokens.revokeFamily("a-fam")).toBe(0);
      expect(await b.refreshTokens.revokeAllForUser(agent.id)).toBe(0);
      const bUsers = (await b.users.list()).items;
      expect(bUsers.map((u) => u.id)).toEqual([B.owner.id]);
      expect(bUsers.every((u) => u.merchantId === B.merchant.id)).toBe(true);

      expect(await a.users.get(agent.id)).toEqual(agent);
      expect(await a.refreshTokens.get(token.id)).toEqual(token);
    });
  });
}
