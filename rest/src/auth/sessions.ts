// Login sessions: issue a token pair and persist its refresh token, rotate on refresh (the
// presented token is spent; a spent one coming back means it leaked, so the family dies).
import {
  UnauthorizedError,
  type IssuedPair,
  type SessionTokens,
  type Store,
  type TenantStore,
  type TokenService,
  type User,
} from "@kaleem/shared";

export function toSessionPair(pair: IssuedPair): SessionTokens {
  return { accessToken: pair.accessToken, refreshToken: pair.refreshToken, tokenType: "Bearer", expiresIn: pair.expiresIn };
}

export async function startSession(tokens: TokenService, tenant: TenantStore, user: User, familyId?: string): Promise<IssuedPair> {
  const pair = tokens.issuePair({ userId: user.id, merchantId: user.merchantId, role: user.role }, familyId);
  await tenant.refreshTokens.create({
    id: pair.refreshTokenId,
    userId: user.id,
    familyId: pair.familyId,
    expiresAt: pair.refreshExpiresAt,
  });
  return pair;
}

export type RefreshOutcome =
  | { ok: true; pair: IssuedPair; user: User; tenant: TenantStore }
  | { ok: false; reused: boolean; tenant: TenantStore | null; userId: string | null; familyId: string | null };

/** Spends `refreshToken` and issues the next pair of its family. */
export async function rotateSession(tokens: TokenService, store: Store, refreshToken: string): Promise<RefreshOutcome> {
  let claims;
  try {
    claims = tokens.verifyRefresh(refreshToken);
  } catch (err) {
    if (err instanceof UnauthorizedError) return { ok: false, reused: false, tenant: null, userId: null, familyId: null };
    throw err;
  }
  const tenant = store.forMerchant(claims.merchantId);
  const fail = (reused: boolean): RefreshOutcome => ({ ok: false, reused, tenant, userId: claims.userId, familyId: claims.familyId });
  const record = await tenant.refreshTokens.get(claims.tokenId);
  if (!record || record.userId !== claims.userId || record.familyId !== claims.familyId) return fail(false);
  if (record.revokedAt) return fail(false);
  if (!(await tenant.refreshTokens.markUsed(record.id))) {
    await tenant.refreshTokens.revokeFamily(record.familyId);
    return fail(true);
  }
  const user = await tenant.users.get(record.userId);
  if (!user) return fail(false);
  const pair = await startSession(tokens, tenant, user, record.familyId);
  // A second presentation of the same token (a reuse) may have revoked the family between our
  // spending it and storing its successor, and that revocation did not cover the successor, which
  // did not exist yet. The spent token was revoked with the family either way: if it was, the
  // successor dies too and nobody gets a pair.
  if ((await tenant.refreshTokens.get(record.id))?.revokedAt) {
    await tenant.refreshTokens.revokeFamily(record.familyId);
    return fail(true);
  }
  return { ok: true, pair, user, tenant };
}
