// Forged and misused JWTs for the attack suites (SECURITY.md, "Attacks tried"): REST and the /inbox
// handshake run the same list, so a case added here is tried on both. Every token is built by hand
// (header, payload and signature assembled here) rather than through the JWT library the server
// uses, so a library default cannot make a forgery and its check agree by accident.
import { createHmac } from "node:crypto";

export interface JwtSecrets {
  accessSecret: string;
  refreshSecret: string;
  issuer: string;
  audience: string;
}

export interface ForgedToken {
  name: string;
  token: string;
}

const b64url = (value: unknown): string => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** Assembles a JWT: `alg` in the header decides the HMAC (HS256/384/512); "none" leaves it unsigned. */
export function craftJwt(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string | null): string {
  const signingInput = `${b64url(header)}.${b64url(payload)}`;
  if (secret === null) return `${signingInput}.`;
  const alg = String(header.alg);
  const hash = alg === "HS512" ? "sha512" : alg === "HS384" ? "sha384" : "sha256";
  return `${signingInput}.${createHmac(hash, secret).update(signingInput).digest("base64url")}`;
}

/** The payload part of a token, decoded (tokens are signed, not encrypted). */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

function tampered(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, , signature] = token.split(".");
  const payload = jwtPayload(token);
  const before = JSON.stringify(payload);
  change(payload);
  // A "tampered" token identical to the genuine one would be accepted and prove nothing.
  if (JSON.stringify(payload) === before) throw new Error("the tampering changed nothing");
  return `${header}.${b64url(payload)}.${signature}`;
}

/**
 * Tokens that must not be accepted where an access token is expected. `genuine` is a real pair
 * issued to the victim; `otherMerchantId` a store the attacker would like to reach.
 */
export function forgedAccessTokens(s: JwtSecrets, genuine: { accessToken: string; refreshToken: string }, otherMerchantId: string): ForgedToken[] {
  const real = jwtPayload(genuine.accessToken);
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...real, iat: now, exp: now + 600, iss: s.issuer, aud: s.audience };
  const hs256 = { alg: "HS256", typ: "JWT" };
  return [
    { name: "alg none, unsigned", token: craftJwt({ alg: "none", typ: "JWT" }, claims, null) },
    { name: "alg None (mixed case), unsigned", token: craftJwt({ alg: "None", typ: "JWT" }, claims, null) },
    { name: "alg none with the genuine signature kept", token: `${b64url({ alg: "none", typ: "JWT" })}.${genuine.accessToken.split(".").slice(1).join(".")}` },
    { name: "signature stripped", token: `${genuine.accessToken.split(".").slice(0, 2).join(".")}.` },
    { name: "signed with a wrong key", token: craftJwt(hs256, claims, "not-the-server-secret-0123456789abcdef") },
    { name: "signed with an empty key", token: craftJwt(hs256, claims, "") },
    { name: "HS512 with the right key (algorithm not pinned)", token: craftJwt({ alg: "HS512", typ: "JWT" }, claims, s.accessSecret) },
    { name: "HS384 with the right key (algorithm not pinned)", token: craftJwt({ alg: "HS384", typ: "JWT" }, claims, s.accessSecret) },
    { name: "RS256 header over an HMAC (algorithm confusion)", token: craftJwt({ alg: "RS256", typ: "JWT" }, claims, s.accessSecret) },
    { name: "expired an hour ago", token: craftJwt(hs256, { ...claims, iat: now - 7200, exp: now - 3600 }, s.accessSecret) },
    { name: "not valid yet (nbf in an hour)", token: craftJwt(hs256, { ...claims, nbf: now + 3600 }, s.accessSecret) },
    { name: "wrong audience", token: craftJwt(hs256, { ...claims, aud: "someone-else" }, s.accessSecret) },
    { name: "wrong issuer", token: craftJwt(hs256, { ...claims, iss: "https://evil.example" }, s.accessSecret) },
    { name: "no audience or issuer", token: craftJwt(hs256, { ...claims, aud: undefined, iss: undefined }, s.accessSecret) },
    { name: "refresh token used as access", token: genuine.refreshToken },
    { name: "access claims signed with the refresh secret", token: craftJwt(hs256, claims, s.refreshSecret) },
    { name: "typ refresh signed with the access secret", token: craftJwt(hs256, { ...claims, typ: "refresh", fam: "f" }, s.accessSecret) },
    { name: "no typ claim", token: craftJwt(hs256, { ...claims, typ: undefined }, s.accessSecret) },
    { name: "tampered payload: role changed", token: tampered(genuine.accessToken, (p) => (p.role = p.role === "owner" ? "admin" : "owner")) },
    { name: "tampered payload: another user", token: tampered(genuine.accessToken, (p) => (p.sub = `${String(p.sub)}x`)) },
    { name: "tampered payload: another store", token: tampered(genuine.accessToken, (p) => (p.mid = otherMerchantId)) },
    { name: "tampered payload: lifetime extended", token: tampered(genuine.accessToken, (p) => (p.exp = now + 86_400 * 365)) },
    { name: "not a JWT", token: "definitely-not-a-jwt" },
    { name: "two parts only", token: genuine.accessToken.split(".").slice(0, 2).join(".") },
    { name: "oversized (8 KiB)", token: craftJwt(hs256, { ...claims, pad: "x".repeat(8192) }, s.accessSecret) },
  ];
}

/** Tokens that must not be accepted by the refresh endpoint. */
export function forgedRefreshTokens(s: JwtSecrets, genuine: { accessToken: string; refreshToken: string }): ForgedToken[] {
  const real = jwtPayload(genuine.refreshToken);
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...real, jti: `forged-${now}`, iat: now, exp: now + 600, iss: s.issuer, aud: s.audience };
  const hs256 = { alg: "HS256", typ: "JWT" };
  return [
    { name: "access token used as refresh", token: genuine.accessToken },
    { name: "alg none, unsigned", token: craftJwt({ alg: "none", typ: "JWT" }, claims, null) },
    { name: "signed with a wrong key", token: craftJwt(hs256, claims, "not-the-server-secret-0123456789abcdef") },
    { name: "signed with the access secret", token: craftJwt(hs256, claims, s.accessSecret) },
    { name: "HS512 with the right key", token: craftJwt({ alg: "HS512", typ: "JWT" }, claims, s.refreshSecret) },
    { name: "expired", token: craftJwt(hs256, { ...claims, iat: now - 7200, exp: now - 3600 }, s.refreshSecret) },
    { name: "wrong audience", token: craftJwt(hs256, { ...claims, aud: "someone-else" }, s.refreshSecret) },
    { name: "wrong issuer", token: craftJwt(hs256, { ...claims, iss: "https://evil.example" }, s.refreshSecret) },
    { name: "tampered payload: another family", token: tampered(genuine.refreshToken, (p) => (p.fam = "another-family")) },
    { name: "tampered payload: another user", token: tampered(genuine.refreshToken, (p) => (p.sub = "another-user")) },
    // Correctly signed with the real secret but never issued (no row): minted with a leaked secret
    // would be game over anyway; this proves the store, not only the signature, is consulted.
    { name: "well signed but never issued", token: craftJwt(hs256, claims, s.refreshSecret) },
  ];
}
