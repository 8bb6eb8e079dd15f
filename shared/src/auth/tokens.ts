// JWT access and refresh tokens, shared by REST (issues, verifies) and the hub (verifies agents'
// access tokens on /inbox). HS256 is pinned on verify, issuer and audience are checked, and a
// `typ` claim plus separate secrets keep access and refresh tokens from standing in for each other.
import { createSecretKey, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { z } from "zod";
import { roleSchema, type Role } from "../contracts/domain.js";
import type { Config } from "../config.js";
import { UnauthorizedError } from "../errors.js";
import { newId } from "../ids.js";
import type { TokenBlacklist } from "../ports/kv.js";
import { asMerchantId, type MerchantId } from "../ports/store.js";

const ALGORITHM = "HS256" as const;

export interface TokenSubject {
  userId: string;
  merchantId: string;
  role: Role;
}

export interface AccessClaims {
  merchantId: MerchantId;
  userId: string;
  role: Role;
  tokenId: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export interface RefreshClaims {
  merchantId: MerchantId;
  userId: string;
  tokenId: string;
  familyId: string;
  exp: number;
}

export interface IssuedPair {
  accessToken: string;
  accessTokenId: string;
  accessExpiresAt: string;
  refreshToken: string;
  refreshTokenId: string;
  refreshExpiresAt: string;
  familyId: string;
  /** Seconds until the access token expires (OAuth's expires_in). */
  expiresIn: number;
}

const commonClaims = {
  sub: z.string().min(1),
  mid: z.string().min(1),
  jti: z.string().min(1),
  exp: z.number().int(),
};
const accessPayloadSchema = z.object({ ...commonClaims, typ: z.literal("access"), role: roleSchema, iat: z.number().int() });
const refreshPayloadSchema = z.object({ ...commonClaims, typ: z.literal("refresh"), fam: z.string().min(1) });
type AccessPayload = z.output<typeof accessPayloadSchema>;

/** How many verified access tokens are remembered (oldest dropped first): a few per active session. */
export const VERIFIED_ACCESS_TOKENS = 2048;

export class TokenService {
  private readonly auth: Config["auth"];
  // KeyObjects built once: given a string, jsonwebtoken first tries to parse it as a PEM public
  // key (and fails) on every call, ~340 µs per verify against ~8 µs with a ready KeyObject.
  private readonly accessSecret: KeyObject;
  private readonly refreshSecret: KeyObject;
  /**
   * Access tokens whose signature and claims were checked, by their exact text, until they expire.
   * A dashboard sends the same token with every request for its lifetime, and the HMAC and the
   * JSON decoding (twice in jsonwebtoken) are most of what authenticating it costs. A token's
   * text decides its claims, and the keys never change in a process, so the check gives the same
   * answer every time but one: expiry, which is checked again on every hit. The blacklist is not
   * cached: revocation is asked on every request.
   */
  private readonly verified = new Map<string, AccessPayload>();

  constructor(
    config: Pick<Config, "auth" | "secrets">,
    private readonly blacklist: TokenBlacklist,
  ) {
    this.auth = config.auth;
    this.accessSecret = createSecretKey(Buffer.from(config.secrets.jwtAccessSecret, "utf8"));
    this.refreshSecret = createSecretKey(Buffer.from(config.secrets.jwtRefreshSecret, "utf8"));
  }

  /** Signs a new access token and a refresh token (in `familyId`, or a new family). Does not persist. */
  issuePair(subject: TokenSubject, familyId: string = newId()): IssuedPair {
    const now = Math.floor(Date.now() / 1000);
    const accessTokenId = newId();
    const refreshTokenId = newId();
    const accessExp = now + this.auth.accessTtlSeconds;
    const refreshExp = now + this.auth.refreshTtlSeconds;
    const accessToken = jwt.sign(
      { typ: "access", mid: subject.merchantId, role: subject.role, iat: now, exp: accessExp },
      this.accessSecret,
      { algorithm: ALGORITHM, issuer: this.auth.issuer, audience: this.auth.audience, subject: subject.userId, jwtid: accessTokenId },
    );
    const refreshToken = jwt.sign(
      { typ: "refresh", mid: subject.merchantId, fam: familyId, iat: now, exp: refreshExp },
      this.refreshSecret,
      { algorithm: ALGORITHM, issuer: this.auth.issuer, audience: this.auth.audience, subject: subject.userId, jwtid: refreshTokenId },
    );
    return {
      accessToken,
      accessTokenId,
      accessExpiresAt: new Date(accessExp * 1000).toISOString(),
      refreshToken,
      refreshTokenId,
      refreshExpiresAt: new Date(refreshExp * 1000).toISOString(),
      familyId,
      expiresIn: this.auth.accessTtlSeconds,
    };
  }

  /** Verifies an access token, including the logout blacklist. Throws UnauthorizedError. */
  async verifyAccess(token: string): Promise<AccessClaims> {
    const p = this.verifiedAccess(token);
    const [revoked, cutOff] = await Promise.all([this.blacklist.isRevoked(p.jti), this.blacklist.subjectRevokedBefore(p.sub)]);
    if (revoked) throw new UnauthorizedError("Access token has been revoked");
    if (cutOff !== null && p.iat < cutOff) throw new UnauthorizedError("Access token has been revoked (the password changed)");
    return { merchantId: asMerchantId(p.mid), userId: p.sub, role: p.role, tokenId: p.jti, exp: p.exp };
  }

  private verifiedAccess(token: string): AccessPayload {
    const known = this.verified.get(token);
    // jsonwebtoken's rule: expired from the second `exp` names on. An expired one is checked afresh (and refused).
    if (known && Math.floor(Date.now() / 1000) < known.exp) return known;
    if (known) this.verified.delete(token);
    const payload = accessPayloadSchema.safeParse(this.decode(token, this.accessSecret));
    if (!payload.success) throw new UnauthorizedError("Invalid access token");
    if (this.verified.size >= VERIFIED_ACCESS_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, payload.data);
    return payload.data;
  }

  /** Verifies a refresh token's signature and claims. Whether it is spent is the store's business. */
  verifyRefresh(token: string): RefreshClaims {
    const payload = refreshPayloadSchema.safeParse(this.decode(token, this.refreshSecret));
    if (!payload.success) throw new UnauthorizedError("Invalid refresh token");
    const p = payload.data;
    return { merchantId: asMerchantId(p.mid), userId: p.sub, tokenId: p.jti, familyId: p.fam, exp: p.exp };
  }

  /**
   * Ends every access token already issued to this user (password change). Tokens issued from the
   * next second on are accepted, so the user can sign in again at once.
   */
  async revokeUserSessions(userId: string): Promise<void> {
    await this.blacklist.revokeSubjectBefore(userId, Math.floor(Date.now() / 1000) + 1, this.auth.accessTtlSeconds + 1);
  }

  /** Blacklists an access token for the rest of its lifetime. */
  async revokeAccess(claims: Pick<AccessClaims, "tokenId" | "exp">): Promise<void> {
    const remaining = claims.exp - Math.floor(Date.now() / 1000);
    if (remaining > 0) await this.blacklist.revoke(claims.tokenId, remaining + 1);
  }

  private decode(token: string, secret: KeyObject): unknown {
    if (typeof token !== "string" || token.length === 0 || token.length > 4096) throw new UnauthorizedError("Invalid token");
    try {
      return jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer: this.auth.issuer, audience: this.auth.audience });
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) throw new UnauthorizedError("Token expired");
      throw new UnauthorizedError("Invalid token");
    }
  }
}
