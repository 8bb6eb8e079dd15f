import { describe, expect, it } from "vitest";
import { ConflictError, hmacSha256, NotFoundError } from "@kaleem/shared";
import { z } from "zod";
import { splitArgs, toAckError } from "./ack.js";
import { normalizeOrigin, originAllowed } from "./origin.js";
import { SocketRateLimit } from "./rate-limit.js";
import { VisitorTokens } from "./visitor-token.js";

describe("visitor tokens", () => {
  const TTL = 30 * 86400;
  let now = Date.UTC(2030, 0, 1);
  const tokens = new VisitorTokens("s".repeat(40), { ttlSeconds: TTL, now: () => now });
  const store = { merchantId: "m1", widgetKey: "wk_1" };

  it("round-trips merchant, visitor and generation, with a lifetime", () => {
    const { token, claims } = tokens.issue("m1", "wk_1", { generation: 2 });
    expect(tokens.verify(token, store)).toEqual({ ok: true, claims });
    expect(claims.visitorId).toMatch(/^v_/);
    expect(claims).toMatchObject({ generation: 2, expiresAt: claims.issuedAt + TTL });
  });

  it("rejects tampering, other secrets, other stores, a rotated widget key and garbage", () => {
    const { token } = tokens.issue("m1", "wk_1", { visitorId: "v_1" });
    const [body, sig] = token.split(".");
    const claims = JSON.parse(Buffer.from(body!, "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, vid: "v_2" })).toString("base64url");
    expect(tokens.verify(`${forged}.${sig}`, store)).toEqual({ ok: false, problem: "invalid" });
    expect(tokens.verify(`${body}.${sig}x`, store)).toEqual({ ok: false, problem: "invalid" });
    expect(new VisitorTokens("t".repeat(40), { ttlSeconds: TTL, now: () => now }).verify(token, store)).toEqual({ ok: false, problem: "invalid" });
    expect(tokens.verify(token, { merchantId: "m2", widgetKey: "wk_1" })).toEqual({ ok: false, problem: "other_store" });
    expect(tokens.verify(token, { merchantId: "m1", widgetKey: "wk_rotated" })).toEqual({ ok: false, problem: "rotated_key" });
    for (const junk of ["", ".", "abc", "a.b.c", `${body}.`]) expect(tokens.verify(junk, store).ok).toBe(false);
  });

  it("expires after its lifetime; tokens of the old format or from 2001 are refused", () => {
    const { token } = tokens.issue("m1", "wk_1");
    now += (TTL - 1) * 1000;
    expect(tokens.verify(token, store).ok).toBe(true);
    now += 2000;
    expect(tokens.verify(token, store)).toEqual({ ok: false, problem: "expired" });
    // The first format (no lifetime, no key) signed with the same secret, issued in 2001.
    const sign = (b: string) => hmacSha256(`kaleem-visitor:${"s".repeat(40)}`, b, "base64").replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    const v1 = Buffer.from(JSON.stringify({ v: 1, m: "m1", vid: "v_old", iat: 978307200 })).toString("base64url");
    expect(tokens.verify(`${v1}.${sign(v1)}`, store)).toEqual({ ok: false, problem: "invalid" });
    const wk = hmacSha256(`kaleem-visitor-key:${"s".repeat(40)}`, "wk_1", "base64").slice(0, 16);
    const ancient = Buffer.from(JSON.stringify({ v: 2, m: "m1", vid: "v_old", iat: 978307200, exp: 978307200 + TTL, gen: 0, wk })).toString("base64url");
    expect(tokens.verify(`${ancient}.${sign(ancient)}`, store)).toEqual({ ok: false, problem: "expired" });
    // A lifetime longer than the one configured now counts as expired too.
    const long = Buffer.from(JSON.stringify({ v: 2, m: "m1", vid: "v_long", iat: now / 1000, exp: now / 1000 + TTL * 10, gen: 0, wk })).toString("base64url");
    expect(tokens.verify(`${long}.${sign(long)}`, store)).toEqual({ ok: false, problem: "expired" });
  });

  it("signs the same claims to the same token, so a socket can keep the claims alone", () => {
    const { token, claims } = tokens.issue("m1", "wk_1", { generation: 1 });
    expect(tokens.tokenFor(claims, "wk_1")).toBe(token);
    const fresh = tokens.claims("m1", { visitorId: "v_9" });
    expect(tokens.verify(tokens.tokenFor(fresh, "wk_1"), store)).toEqual({ ok: true, claims: fresh });
    expect(tokens.verify(tokens.tokenFor(fresh, "wk_other"), store)).toEqual({ ok: false, problem: "rotated_key" });
  });

  it("asks for renewal once half the lifetime has passed (sliding)", () => {
    const { claims } = tokens.issue("m1", "wk_1");
    now += (TTL / 2 - 60) * 1000;
    expect(tokens.needsRenewal(claims)).toBe(false);
    now += 120 * 1000;
    expect(tokens.needsRenewal(claims)).toBe(true);
  });
});

describe("socket rate limit", () => {
  it("allows the budget, then limits, then flags flooding; a new window resets", () => {
    const limit = new SocketRateLimit(3, 1000, 2);
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limit.hit(t0))).toEqual(["ok", "ok", "ok"]);
    expect([4, 5, 6].map(() => limit.hit(t0))).toEqual(["limited", "limited", "limited"]);
    expect(limit.hit(t0)).toBe("flood");
    expect(limit.retryAfterSeconds(t0 + 100)).toBe(1);
    expect(limit.hit(t0 + 1000)).toBe("ok");
  });
});

describe("origins", () => {
  it("compares normalized origins exactly", () => {
    expect(normalizeOrigin("HTTPS://Shop.Example:443/path")).toBe("https://shop.example");
    expect(normalizeOrigin("javascript:alert(1)")).toBeNull();
    expect(originAllowed("https://shop.example", ["https://shop.example/"])).toBe(true);
    expect(originAllowed("https://shop.example.evil.com", ["https://shop.example"])).toBe(false);
    expect(originAllowed("http://shop.example", ["https://shop.example"])).toBe(false);
    expect(originAllowed("null", ["https://shop.example"])).toBe(false);
    // A frozen list (the cached profile's) is normalized once; a list that can change is read each time.
    const frozen = Object.freeze(["https://Shop.Example/"]);
    expect([originAllowed("https://shop.example", frozen), originAllowed("https://other.example", frozen)]).toEqual([true, false]);
    const editable = ["https://shop.example"];
    expect(originAllowed("https://shop.example", editable)).toBe(true);
    editable[0] = "https://other.example";
    expect(originAllowed("https://shop.example", editable)).toBe(false);
  });
});

describe("acks", () => {
  it("splits payload and ack whatever the client sent", () => {
    const fn = () => {};
    expect(splitArgs([{ a: 1 }, fn])).toEqual({ payload: { a: 1 }, ack: fn });
    expect(splitArgs([fn])).toEqual({ payload: undefined, ack: fn });
    expect(splitArgs([{ a: 1 }])).toEqual({ payload: { a: 1 }, ack: null });
    expect(splitArgs([])).toEqual({ payload: undefined, ack: null });
  });
  it("maps errors to protocol codes without leaking internals", () => {
    expect(toAckError(new NotFoundError("Conversation"))).toEqual({ code: "not_found", message: "Conversation not found" });
    expect(toAckError(new ConflictError("busy")).code).toBe("conflict");
    const tooLong = z.object({ t: z.string().max(2) }).safeParse({ t: "abc" });
    expect(toAckError(tooLong.error).code).toBe("payload_too_large");
    expect(toAckError(new Error("db password is hunter2"))).toEqual({ code: "internal", message: "Something went wrong" });
  });
});
