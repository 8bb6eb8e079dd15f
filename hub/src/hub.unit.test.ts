import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "@kaleem/shared";
import { z } from "zod";
import { splitArgs, toAckError } from "./ack.js";
import { normalizeOrigin, originAllowed } from "./origin.js";
import { SocketRateLimit } from "./rate-limit.js";
import { VisitorTokens } from "./visitor-token.js";

describe("visitor tokens", () => {
  const tokens = new VisitorTokens("s".repeat(40));
  it("round-trips merchant and visitor ids", () => {
    const { token, claims } = tokens.issue("m1");
    expect(tokens.verify(token)).toEqual(claims);
    expect(claims.visitorId).toMatch(/^v_/);
  });
  it("rejects tampering, other secrets and garbage", () => {
    const { token } = tokens.issue("m1", "v_1");
    const [body, sig] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ v: 1, m: "m2", vid: "v_1", iat: 1 })).toString("base64url");
    expect(tokens.verify(`${forged}.${sig}`)).toBeNull();
    expect(tokens.verify(`${body}.${sig}x`)).toBeNull();
    expect(new VisitorTokens("t".repeat(40)).verify(token)).toBeNull();
    for (const junk of ["", ".", "abc", "a.b.c", `${body}.`]) expect(tokens.verify(junk)).toBeNull();
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
