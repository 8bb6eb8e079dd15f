// Visitor tokens: the widget's identity for one shopper on one store. Signed by the server
// (HMAC-SHA256 with config.secrets.visitorTokenSecret) so a client cannot pick another visitor's
// id; bound to the merchant and to the widget key it was issued under, so a token is worthless on
// another store and after the key is rotated; valid for a lifetime that open/resume renew as it
// ages (sliding); and stamped with the visitor's token generation, which identify moves on, so
// tokens issued before an identification stop working (the store keeps the generation).
import { hmacSha256, newId, safeEqual } from "@kaleem/shared";
import { z } from "zod";

const claimsSchema = z.object({
  v: z.literal(2),
  m: z.string().min(1),
  vid: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
  gen: z.number().int().nonnegative(),
  wk: z.string().min(1),
});

export interface VisitorClaims {
  merchantId: string;
  visitorId: string;
  /** Epoch seconds. */
  issuedAt: number;
  expiresAt: number;
  generation: number;
}

/** Why a presented token does not count (the shopper is then treated as a new visitor, or refused without an Origin). */
export type VisitorTokenProblem = "invalid" | "expired" | "other_store" | "rotated_key";
export type VisitorTokenVerdict = { ok: true; claims: VisitorClaims } | { ok: false; problem: VisitorTokenProblem };

export interface VisitorTokenOptions {
  ttlSeconds: number;
  /** Epoch milliseconds (tests move the clock). */
  now?: () => number;
}

/** Widget keys whose tag is remembered (oldest dropped first). */
const KEY_TAGS_MAX = 1_000;

export class VisitorTokens {
  private readonly now: () => number;
  private readonly keyTags = new Map<string, string>();
  constructor(
    private readonly secret: string,
    private readonly options: VisitorTokenOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  issue(
    merchantId: string,
    widgetKey: string,
    visitor: { visitorId?: string; generation?: number } = {},
  ): { token: string; claims: VisitorClaims } {
    const claims = this.claims(merchantId, visitor);
    return { token: this.tokenFor(claims, widgetKey), claims };
  }

  /** Fresh claims (a lifetime from now), not yet signed. */
  claims(merchantId: string, visitor: { visitorId?: string; generation?: number } = {}): VisitorClaims {
    const iat = Math.floor(this.now() / 1000);
    return {
      merchantId,
      visitorId: visitor.visitorId ?? `v_${newId()}`,
      issuedAt: iat,
      expiresAt: iat + this.options.ttlSeconds,
      generation: visitor.generation ?? 0,
    };
  }

  /**
   * The signed token of these claims under this widget key. The same claims always give the same
   * token, so a holder of the claims need not keep the token string too (idle widget sockets).
   */
  tokenFor(claims: VisitorClaims, widgetKey: string): string {
    const body = Buffer.from(
      JSON.stringify({ v: 2, m: claims.merchantId, vid: claims.visitorId, iat: claims.issuedAt, exp: claims.expiresAt, gen: claims.generation, wk: this.keyTag(widgetKey) }),
    ).toString("base64url");
    return `${body}.${this.sign(body)}`;
  }

  /** Checks a token against the store and widget key it is presented to. */
  verify(token: string, expected: { merchantId: string; widgetKey: string }): VisitorTokenVerdict {
    const dot = token.indexOf(".");
    if (dot <= 0 || token.length > 2000) return { ok: false, problem: "invalid" };
    const body = token.slice(0, dot);
    if (!safeEqual(this.sign(body), token.slice(dot + 1))) return { ok: false, problem: "invalid" };
    let parsed: z.infer<typeof claimsSchema>;
    try {
      const result = claimsSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
      if (!result.success) return { ok: false, problem: "invalid" };
      parsed = result.data;
    } catch {
      return { ok: false, problem: "invalid" };
    }
    if (parsed.m !== expected.merchantId) return { ok: false, problem: "other_store" };
    if (!safeEqual(parsed.wk, this.keyTag(expected.widgetKey))) return { ok: false, problem: "rotated_key" };
    // A token from the future (clock skew aside) was not issued by this server's clock: refuse it too.
    const now = Math.floor(this.now() / 1000);
    if (parsed.exp <= now || parsed.iat > now + 300 || parsed.exp - parsed.iat > this.options.ttlSeconds) return { ok: false, problem: "expired" };
    return { ok: true, claims: { merchantId: parsed.m, visitorId: parsed.vid, issuedAt: parsed.iat, expiresAt: parsed.exp, generation: parsed.gen } };
  }

  /** Sliding renewal: a token past half of its lifetime is replaced by a fresh one. */
  needsRenewal(claims: VisitorClaims): boolean {
    return claims.expiresAt - Math.floor(this.now() / 1000) < this.options.ttlSeconds / 2;
  }

  /** Names the widget key without revealing it (the token is readable by its holder). */
  private keyTag(widgetKey: string): string {
    // Every issue and verify needs it, and a store has one key at a time: remembered, bounded.
    let tag = this.keyTags.get(widgetKey);
    if (tag === undefined) {
      tag = hmacSha256(`kaleem-visitor-key:${this.secret}`, widgetKey, "base64").slice(0, 16);
      if (this.keyTags.size >= KEY_TAGS_MAX) this.keyTags.delete(this.keyTags.keys().next().value!);
      this.keyTags.set(widgetKey, tag);
    }
    return tag;
  }

  private sign(body: string): string {
    return hmacSha256(`kaleem-visitor:${this.secret}`, body, "base64").replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  }
}
