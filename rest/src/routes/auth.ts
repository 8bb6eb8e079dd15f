import {
  AppError,
  asMerchantId,
  ConflictError,
  hashPassword,
  idSchema,
  loginResponseSchema,
  meResponseSchema,
  plainName,
  publicBaseUrl,
  RateLimitedError,
  sendInBackground,
  sessionTokensSchema,
  signupAcceptedSchema,
  signupResponseSchema,
  UnauthorizedError,
  ValidationError,
  verifyPassword,
  type MerchantId,
  type Store,
  type StoreChoice,
} from "@kaleem/shared";
import { z } from "zod";
import { rotateSession, startSession, toSessionPair } from "../auth/sessions.js";
import { openSignup, sealSignup, SIGNUP_LINK_TTL_SECONDS } from "../auth/signup-token.js";
import { defineRoute, type AnyRoute, type RestServices } from "../http/route.js";
import { emailSchema, passwordSchema, publicMerchant } from "./schemas.js";
import { auditAction } from "./support.js";

/** Accounts one sign-in checks at most (one address may belong to several stores). */
export const MAX_ACCOUNTS_PER_EMAIL = 20;

/** The password opens accounts in several stores: the client asks which one and sends merchantId. */
export class StoreChoiceRequiredError extends AppError {
  constructor(stores: StoreChoice[]) {
    super("store_choice_required", 409, "This email and password open several stores; choose one", { stores });
  }
}


// A fixed hash checked when the email is unknown, so that "no such user" takes as long as
// "wrong password" and the response time does not reveal which emails exist.
let dummyHash: Promise<string> | null = null;
const getDummyHash = () => (dummyHash ??= hashPassword("kaleem-timing-equalizer"));

export const authRoutes: AnyRoute[] = [
  defineRoute({
    method: "post",
    path: "/auth/signup",
    summary: "Start creating a store: a confirmation link is emailed to the address (the answer is the same for every address)",
    tag: "auth",
    auth: false,
    rateLimit: "auth",
    body: z.object({ storeName: plainName().min(1).max(120), email: emailSchema, password: passwordSchema }),
    responses: {
      202: { description: "Confirmation email sent; the store is created when its link is opened", schema: signupAcceptedSchema },
    },
    async handler({ body, services, ctx }) {
      const { config, store } = services.deps;
      // The same work and the same answer whether or not the address already has accounts, so the
      // answer tells nobody which addresses exist; only the mailbox learns that.
      const passwordHash = await hashPassword(body.password);
      const token = sealSignup(config, { storeName: body.storeName, email: body.email, passwordHash });
      const log = ctx.state.log;
      // After answering: looking up the address's stores must not show in the response time.
      void storeNamesFor(store, body.email)
        .then((existingStores) => sendInBackground(services.mailer, log, signupEmail(services, body.email, body.storeName, token, existingStores)))
        .catch((err: unknown) => log.warn({ err }, "signup email not prepared"));
      log.info({ event: "signup_requested" }, "signup confirmation sent");
      return {
        status: 202,
        body: {
          status: "confirmation_sent" as const,
          email: body.email,
          message: `Check your inbox: we sent a link to ${body.email}. Open it within 24 hours to create your store.`,
        },
      };
    },
  }),
  defineRoute({
    method: "post",
    path: "/auth/signup/confirm",
    summary: "Open the emailed signup link: creates the store and its owner and signs in",
    tag: "auth",
    auth: false,
    rateLimit: "auth",
    body: z.object({ token: z.string().min(1).max(8192) }),
    responses: {
      201: {
        description: "Store and owner created",
        schema: signupResponseSchema,
      },
      400: { description: "The link is invalid or has expired" },
      409: { description: "The link was already used: the store exists, sign in" },
    },
    async handler({ body, services, ip }) {
      const { config, store } = services.deps;
      const signup = openSignup(config, body.token);
      if (!signup) throw new ValidationError("This link is invalid or has expired; sign up again", [{ path: "token", message: "invalid or expired" }]);
      let created;
      try {
        created = await store.createMerchant(
          { name: signup.storeName, widget: { key: signup.widgetKey } },
          { email: signup.email, name: signup.storeName, role: "owner", passwordHash: signup.passwordHash },
        );
      } catch (err) {
        if (err instanceof ConflictError) throw new ConflictError("This link was already used: your store exists, sign in");
        throw err;
      }
      const tenant = store.forMerchant(asMerchantId(created.merchant.id));
      const pair = await startSession(services.tokens, tenant, created.owner);
      await tenant.audit.add({ actorId: created.owner.id, action: "auth.signup", target: created.owner.id, data: { email: signup.email }, ip });
      return { status: 201, body: { merchant: publicMerchant(created.merchant), user: created.owner, ...toSessionPair(pair) } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/auth/login",
    summary: "Log in with email and password (merchantId picks the store when the password opens several)",
    tag: "auth",
    auth: false,
    rateLimit: "auth",
    body: z.object({ email: emailSchema, password: z.string().min(1).max(200), merchantId: idSchema.optional() }),
    responses: {
      200: { description: "Logged in", schema: loginResponseSchema },
      401: { description: "Wrong email or password" },
      409: { description: "store_choice_required: the password opens several stores (details.stores); send merchantId" },
      429: { description: "Too many failed sign-ins for this account (or from this address); see Retry-After" },
    },
    async handler({ body, services, ip, ctx }) {
      const { store } = services.deps;
      const throttle = services.loginThrottle;
      const verdict = await throttle.attempt(body.email);
      if (!verdict.allowed) {
        throw new RateLimitedError(verdict.retryAfterSeconds, "Too many failed sign-ins for this account; try again later");
      }
      const scopes = (await store.lookup.usersByEmail(body.email, MAX_ACCOUNTS_PER_EMAIL)).filter(
        (scope) => body.merchantId === undefined || scope.merchantId === body.merchantId,
      );
      if (scopes.length === 0) {
        await verifyPassword(body.password, await getDummyHash());
        ctx.state.log.info({ event: "login_failed", reason: "unknown_email" }, "login failed");
        throw new UnauthorizedError("Invalid email or password");
      }
      // In parallel (scrypt runs off the event loop): the time taken says little about how many
      // stores the address belongs to.
      const checked = await Promise.all(
        scopes.map(async (scope) => {
          const tenant = store.forMerchant(scope.merchantId);
          const credentials = await tenant.users.getCredentials(scope.userId);
          const ok = credentials !== null && (await verifyPassword(body.password, credentials.passwordHash));
          return { scope, tenant, credentials, ok };
        }),
      );
      const opened = checked.filter((c) => c.ok && c.credentials);
      if (opened.length === 0) {
        for (const { scope, tenant } of checked) {
          await tenant.audit.add({ actorId: scope.userId, action: "auth.login_failed", target: scope.userId, data: { email: body.email }, ip });
          if (throttle.locksNow(verdict)) await throttle.recordLock(tenant, scope.userId, body.email, ip, ctx.state.log);
        }
        throw new UnauthorizedError("Invalid email or password");
      }
      await throttle.succeeded(body.email);
      if (opened.length > 1) {
        const stores = await Promise.all(opened.map(async ({ tenant, scope }) => ({ merchantId: scope.merchantId, name: (await tenant.merchant.get()).name })));
        throw new StoreChoiceRequiredError(stores);
      }
      const { tenant, scope, credentials } = opened[0]!;
      const pair = await startSession(services.tokens, tenant, credentials!.user);
      await tenant.audit.add({ actorId: scope.userId, action: "auth.login", target: scope.userId, data: {}, ip });
      return { body: { user: credentials!.user, ...toSessionPair(pair) } };
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
      200: { description: "New token pair", schema: sessionTokensSchema },
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
    responses: { 200: { description: "Current user", schema: meResponseSchema } },
    async handler({ caller }) {
      const merchant = await caller.store.merchant.get();
      return { body: { user: caller.user, merchant: publicMerchant(merchant) } };
    },
  }),
];


/** Names of the stores this address already signs in to (told only to the mailbox). */
async function storeNamesFor(store: Store, email: string): Promise<string[]> {
  const scopes = await store.lookup.usersByEmail(email, MAX_ACCOUNTS_PER_EMAIL);
  return Promise.all(scopes.map(async ({ merchantId }: { merchantId: MerchantId }) => (await store.forMerchant(merchantId).merchant.get()).name));
}

function signupEmail(services: RestServices, to: string, storeName: string, token: string, existingStores: string[]) {
  const base = publicBaseUrl(services.deps.config);
  // The token rides in the fragment: browsers never send it to a server, so it stays out of logs.
  const link = `${base}/dashboard/confirm#token=${token}`;
  const hours = Math.round(SIGNUP_LINK_TTL_SECONDS / 3600);
  const already =
    existingStores.length > 0
      ? `\n\nThis address already signs in to: ${existingStores.join(", ")}. If you meant one of those, just sign in at ${base}/dashboard/ ` +
        `(no need to open the link). Opening it creates another, separate store.`
      : "";
  return {
    kind: "signup_confirm" as const,
    to,
    subject: `Confirm your new Kaleem store "${storeName}"`,
    text: `Open this link within ${hours} hours to create the store "${storeName}" and sign in:\n\n${link}${already}\n\nIf you did not sign up, ignore this email: nothing is created.`,
  };
}
