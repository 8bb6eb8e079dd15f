import {
  asMerchantId,
  ConflictError,
  hashPassword,
  merchantSchema,
  plainName,
  RateLimitedError,
  UnauthorizedError,
  userSchema,
  verifyPassword,
} from "@kaleem/shared";
import { z } from "zod";
import { rotateSession, startSession, toSessionPair } from "../auth/sessions.js";
import { defineRoute, type AnyRoute } from "../http/route.js";
import { emailSchema, passwordSchema, publicMerchant } from "./schemas.js";
import { auditAction } from "./support.js";

const sessionSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal("Bearer"),
  expiresIn: z.number().int(),
});
const publicMerchantSchema = merchantSchema.extend({ widget: merchantSchema.shape.widget.omit({ identitySecret: true }) });

// A fixed hash checked when the email is unknown, so that "no such user" takes as long as
// "wrong password" and the response time does not reveal which emails exist.
let dummyHash: Promise<string> | null = null;
const getDummyHash = () => (dummyHash ??= hashPassword("kaleem-timing-equalizer"));

export const authRoutes: AnyRoute[] = [
  defineRoute({
    method: "post",
    path: "/auth/signup",
    summary: "Create a store (merchant) and its owner account",
    tag: "auth",
    auth: false,
    rateLimit: "auth",
    body: z.object({ storeName: plainName().min(1).max(120), email: emailSchema, password: passwordSchema }),
    responses: {
      201: {
        description: "Store and owner created",
        schema: sessionSchema.extend({ merchant: publicMerchantSchema, user: userSchema }),
      },
      409: { description: "Email already registered" },
    },
    async handler({ body, services, ip }) {
      const { store } = services.deps;
      const passwordHash = await hashPassword(body.password);
      let created;
      try {
        created = await store.createMerchant({ name: body.storeName }, { email: body.email, name: body.storeName, role: "owner", passwordHash });
      } catch (err) {
        if (err instanceof ConflictError) throw new ConflictError("This email is already registered");
        throw err;
      }
      const tenant = store.forMerchant(asMerchantId(created.merchant.id));
      const pair = await startSession(services.tokens, tenant, created.owner);
      await tenant.audit.add({ actorId: created.owner.id, action: "auth.signup", target: created.owner.id, data: { email: body.email }, ip });
      return { status: 201, body: { merchant: publicMerchant(created.merchant), user: created.owner, ...toSessionPair(pair) } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/auth/login",
    summary: "Log in with email and password",
    tag: "auth",
    auth: false,
    rateLimit: "auth",
    body: z.object({ email: emailSchema, password: z.string().min(1).max(200) }),
    responses: {
      200: { description: "Logged in", schema: sessionSchema.extend({ user: userSchema }) },
      401: { description: "Wrong email or password" },
    },
    async handler({ body, services, ip, ctx }) {
      const { store } = services.deps;
      const throttle = services.loginThrottle;
      const verdict = await throttle.attempt(body.email);
      if (!verdict.allowed) {
        throw new RateLimitedError(verdict.retryAfterSeconds, "Too many failed sign-ins for this account; try again later");
      }
      const scope = await store.lookup.userByEmail(body.email);
      if (!scope) {
        await verifyPassword(body.password, await getDummyHash());
        ctx.state.log.info({ event: "login_failed", reason: "unknown_email" }, "login failed");
        throw new UnauthorizedError("Invalid email or password");
      }
      const tenant = store.forMerchant(scope.merchantId);
      const credentials = await tenant.users.getCredentials(scope.userId);
      const ok = credentials !== null && (await verifyPassword(body.password, credentials.passwordHash));
      if (!credentials || !ok) {
        await tenant.audit.add({ actorId: scope.userId, action: "auth.login_failed", target: scope.userId, data: { email: body.email }, ip });
        if (throttle.locksNow(verdict)) await throttle.recordLock(tenant, scope.userId, body.email, ip, ctx.state.log);
        throw new UnauthorizedError("Invalid email or password");
      }
      await throttle.succeeded(body.email);
      const pair = await startSession(services.tokens, tenant, credentials.user);
      await tenant.audit.add({ actorId: scope.userId, action: "auth.login", target: scope.userId, data: {}, ip });
      return { body: { user: credentials.user, ...toSessionPair(pair) } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/auth/refresh",
    summary: "Exchange a refresh token for a new pair (the presented token is spent)",
    tag: "auth",
    auth: false,
    rateLimit: "auth",
    body: z.object({ refreshToken: z.string().min(1).max(4096) }),
    responses: {
      200: { description: "New token pair", schema: sessionSchema },
      401: { description: "Invalid, expired, revoked or already used refresh token (reuse revokes the whole family)" },
    },
    async handler({ body, services, ip }) {
      const outcome = await rotateSession(services.tokens, services.deps.store, body.refreshToken);
      if (!outcome.ok) {
        if (outcome.reused && outcome.tenant) {
          await outcome.tenant.audit.add({
            actorId: outcome.userId,
            action: "auth.refresh_reuse",
            target: outcome.userId,
            data: { familyId: outcome.familyId },
            ip,
          });
        }
        throw new UnauthorizedError(outcome.reused ? "Refresh token was already used; the session has been revoked" : "Invalid refresh token");
      }
      return { body: toSessionPair(outcome.pair) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/auth/logout",
    summary: "Revoke the access token (and the refresh token's family when given)",
    tag: "auth",
    auth: true,
    rateLimit: "auth",
    body: z.object({ refreshToken: z.string().min(1).max(4096).optional() }),
    responses: { 204: { description: "Logged out" } },
    async handler({ body, caller, services, ip }) {
      await services.tokens.revokeAccess(caller.claims);
      if (body.refreshToken) {
        try {
          const refresh = services.tokens.verifyRefresh(body.refreshToken);
          // Only the caller's own sessions: a stolen refresh token of someone else is not ours to kill.
          if (refresh.userId === caller.user.id && refresh.merchantId === caller.claims.merchantId) {
            await caller.store.refreshTokens.revokeFamily(refresh.familyId);
          }
        } catch (err) {
          if (!(err instanceof UnauthorizedError)) throw err;
        }
      }
      services.deps.realtime?.sessionRevoked(caller.claims.tokenId);
      await auditAction(caller, ip, "auth.logout", caller.user.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: "get",
    path: "/me",
    summary: "The logged-in user and their store",
    tag: "auth",
    auth: true,
    responses: { 200: { description: "Current user", schema: z.object({ user: userSchema, merchant: publicMerchantSchema }) } },
    async handler({ caller }) {
      const merchant = await caller.store.merchant.get();
      return { body: { user: caller.user, merchant: publicMerchant(merchant) } };
    },
  }),
];

export { publicMerchantSchema };
