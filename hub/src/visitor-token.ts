// Visitor tokens: the widget's identity for one shopper on one store. Signed by the server
// (HMAC-SHA256 with config.secrets.visitorTokenSecret) so a client cannot pick another visitor's
// id, and bound to the merchant so a token from one store is worthless on another.
import { hmacSha256, newId, safeEqual } from "@kaleem/shared";
import { z } from "zod";

const claimsSchema = z.object({ v: z.literal(1), m: z.string().min(1), vid: z.string().min(1), iat: z.number().int() });
export interface VisitorClaims {
  merchantId: string;
  visitorId: string;
  issuedAt: number;
}

export class VisitorTokens {
  constructor(private readonly secret: string) {}

  issue(merchantId: string, visitorId: string = `v_${newId()}`): { token: string; claims: VisitorClaims } {
    const iat = Math.floor(Date.now() / 1000);
    const body = Buffer.from(JSON.stringify({ v: 1, m: merchantId, vid: visitorId, iat })).toString("base64url");
    return { token: `${body}.${this.sign(body)}`, claims: { merchantId, visitorId, issuedAt: iat } };
  }

  /** The claims of a token this server signed, or null. */
  verify(token: string): VisitorClaims | null {
    const dot = token.indexOf(".");
    if (dot <= 0 || token.length > 2000) return null;
    const body = token.slice(0, dot);
    if (!safeEqual(this.sign(body), token.slice(dot + 1))) return null;
    try {
      const claims = claimsSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
      return claims.success ? { merchantId: claims.data.m, visitorId: claims.data.vid, issuedAt: claims.data.iat } : null;
    } catch {
      return null;
    }
  }

  private sign(body: string): string {
    return hmacSha256(`kaleem-visitor:${this.secret}`, body, "base64").replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  }
}
