// /widget: shoppers (web widget, mobile SDK). A socket acts for one visitor of one merchant and
// can only reach that visitor's conversations. Opening the widget creates no conversation: the
// visitor's first message (or asking for a person) does.
import {
  asMerchantId,
  clientAddress,
  hmacSha256,
  rooms,
  safeEqual,
  UnauthorizedError,
  ValidationError,
  widgetAuthSchema,
  widgetClientEvents,
  type Conversation,
  type VisitorContext,
  type WidgetClientToServerEvents,
} from "@kaleem/shared";
import { eventNames, eventRouter } from "./ack.js";
import { checkProtocol, HandshakeRefused, toConnectError } from "./handshake.js";
import type { HubContext, WidgetNamespace, WidgetSocket } from "./context.js";
import { guardEvents } from "./guard.js";
import { originAllowed, originVerdict, takeJudgedWidget } from "./origin.js";
import type { VisitorClaims } from "./visitor-token.js";

const EVENTS = eventNames(widgetClientEvents);

/** What the hub keeps of a widget socket besides socket.data: its token, address and page. */
interface WidgetSession {
  widgetKey: string;
  /**
   * The token the client presented, while it counts as it is (the handshake holds that string
   * anyway); null when the hub issued the claims: their token is signed again when handed back
   * (the same claims give the same token), so an idle socket keeps no second copy of it.
   */
  token: string | null;
  claims: VisitorClaims;
  ip: string;
  context: VisitorContext;
  /** A visitor id issued by this very handshake: nobody can have blocked or identified it yet. */
  freshVisitor: boolean;
}
const sessions = new WeakMap<WidgetSocket, WidgetSession>();
const sessionOf = (socket: WidgetSocket): WidgetSession => {
  const session = sessions.get(socket);
  if (!session) throw new UnauthorizedError("Not authenticated");
  return session;
};

export function setupWidgetNamespace(ns: WidgetNamespace, ctx: HubContext): void {
  // Shared by every socket of the namespace: an idle shopper socket holds one guard and no
  // listener or closure per event (connection density, BENCHMARKS.md row 4).
  const events = widgetEvents(ns, ctx);
  const disconnected = () => ctx.metrics.connected.dec({ namespace: "widget" });
  ns.use((socket, next) => {
    authenticate(socket, ctx)
      .then(() => next())
      .catch((err: unknown) => {
        const refusal = toConnectError(err);
        ctx.metrics.rejected.inc({ namespace: "widget", reason: refusal.data.code });
        next(refusal);
      });
  });
  ns.on("connection", (socket) => {
    ctx.metrics.connected.inc({ namespace: "widget" });
    const { merchantId, visitorId } = socket.data;
    const session = sessionOf(socket);
    void socket.join([
      rooms.widgetKey(merchantId, session.widgetKey),
      rooms.visitor(merchantId, visitorId),
      rooms.visitorGeneration(merchantId, visitorId, session.claims.generation),
    ]);
    // A key rotation, a block or an identify that landed between the handshake's checks and this
    // join disconnected rooms this socket was not in yet: check again now that it is.
    void revalidate(socket, ctx).catch((err: unknown) => ctx.logger.warn({ err }, "widget session re-check failed"));
    socket.on("disconnect", disconnected);
    guardEvents(socket, "widget", EVENTS, ctx, events);
  });
}

/** Closes a just-connected shopper socket whose key, visitor or token generation ended while it was being admitted. */
async function revalidate(socket: WidgetSocket, ctx: HubContext): Promise<void> {
  const { merchantId, visitorId } = socket.data;
  const session = sessionOf(socket);
  const keyOwner = await ctx.store.lookup.merchantByWidgetKey(session.widgetKey);
  const visitor = keyOwner === merchantId && !session.freshVisitor ? await ctx.store.forMerchant(keyOwner).visitors.get(visitorId) : null;
  const ended = keyOwner !== merchantId || !!visitor?.blockedAt || (visitor !== null && session.claims.generation < visitor.tokenGeneration);
  if (ended && !socket.disconnected) socket.disconnect(true);
}

async function authenticate(socket: WidgetSocket, ctx: HubContext): Promise<void> {
  const auth = widgetAuthSchema.safeParse(socket.handshake.auth);
  if (!auth.success) throw new UnauthorizedError("widgetKey is required");
  checkProtocol(auth.data.protocol);
  const ip = clientAddress(socket.request, ctx.config.http.trustProxyHops);
  // The address is counted before anything is looked up, so unknown keys cost a flood its budget too.
  await ctx.widgetLimits.hitAddress("connects", ip);
  const verdict = originVerdict(socket.request);
  // The handshake read this very key and its merchant moments ago (same HTTP request): reuse them
  // (handed over once: the request lives as long as the socket, the merchant need not).
  const handedOver = takeJudgedWidget(socket.request);
  const judged = verdict && handedOver && verdict.widgetMerchantId !== null && handedOver.key === auth.data.widgetKey ? handedOver : null;
  const merchantId = judged ? asMerchantId(verdict!.widgetMerchantId!) : await ctx.store.lookup.merchantByWidgetKey(auth.data.widgetKey);
  if (!merchantId) throw new UnauthorizedError("Unknown widget key");
  // Every handshake was judged by the engine middleware; a missing verdict fails closed.
  if (!verdict) throw new HandshakeRefused("origin_not_allowed", "Origin not checked");
  const origin = verdict.origin;
  const tenant = ctx.store.forMerchant(merchantId);
  const merchant = judged ? judged.merchant : await ctx.merchantProfiles.get(merchantId);
  // The query key's allow-list was read at the handshake; the auth key must be the same store's,
  // and its allow-list must accept the origin too (a page cannot borrow another store's allow-list).
  if (origin !== null && !originAllowed(origin, merchant.widget.allowedOrigins)) throw new HandshakeRefused("origin_not_allowed", "Origin not allowed");
  if (verdict.widgetMerchantId && verdict.widgetMerchantId !== merchantId) throw new UnauthorizedError("Widget key mismatch");
  // No Origin is an app (or any program): only stores that allow apps take those, token or not.
  if (origin === null && !merchant.widget.allowApps) {
    throw new HandshakeRefused("origin_not_allowed", "This store does not accept connections without an Origin (apps are not enabled in its widget settings)");
  }
  await ctx.widgetLimits.hitStore("connects", merchantId);

  let claims: VisitorClaims | null = null;
  if (auth.data.visitorToken) {
    const checked = ctx.visitorTokens.verify(auth.data.visitorToken, { merchantId, widgetKey: auth.data.widgetKey });
    if (checked.ok) claims = checked.claims;
  }
  if (claims) {
    const visitor = await tenant.visitors.get(claims.visitorId);
    if (visitor?.blockedAt) throw new HandshakeRefused("visitor_blocked", "This visitor has been blocked by the store");
    // Identify started a newer generation: this token was issued before it and no longer counts.
    if (visitor && claims.generation < visitor.tokenGeneration) claims = null;
  }
  const freshVisitor = claims === null;
  let token: string | null = null;
  if (claims && !ctx.visitorTokens.needsRenewal(claims)) {
    token = auth.data.visitorToken!;
  } else {
    // A fresh visitor, or the same one with a renewed lifetime (signed when first handed back).
    claims = ctx.visitorTokens.claims(merchantId, claims ? { visitorId: claims.visitorId, generation: claims.generation } : {});
  }
  socket.data = { merchantId, visitorId: claims.visitorId, conversationId: null };
  sessions.set(socket, { widgetKey: auth.data.widgetKey, token, claims, ip, context: {}, freshVisitor });
}

const merchantOf = (socket: WidgetSocket) => socket.data.merchantId;
const visitorOf = (socket: WidgetSocket) => socket.data.visitorId;
const own = (socket: WidgetSocket, ctx: HubContext, conversationId: string) => ctx.conversations.getForVisitor(merchantOf(socket), visitorOf(socket), conversationId);

async function joinConversation(socket: WidgetSocket, conversationId: string): Promise<void> {
  await socket.join(rooms.conversationShopper(merchantOf(socket), conversationId));
  socket.data.conversationId = conversationId;
}

/** The token to hand back: the one the socket holds, renewed once it passed half its lifetime. */
function currentToken(socket: WidgetSocket, ctx: HubContext): string {
  const session = sessionOf(socket);
  if (ctx.visitorTokens.needsRenewal(session.claims)) {
    session.claims = ctx.visitorTokens.claims(merchantOf(socket), { visitorId: visitorOf(socket), generation: session.claims.generation });
    session.token = null;
  }
  return session.token ?? ctx.visitorTokens.tokenFor(session.claims, session.widgetKey);
}

/** The conversation a message or a request for a person goes to: the one named, the open one, or a new one. */
async function conversationFor(ns: WidgetNamespace, socket: WidgetSocket, ctx: HubContext, named: string | null | undefined): Promise<string> {
  const m = merchantOf(socket);
  const visitorId = visitorOf(socket);
  if (named) {
    await own(socket, ctx, named);
    if (socket.data.conversationId !== named) await joinConversation(socket, named);
    return named;
  }
  if (socket.data.conversationId) return socket.data.conversationId;
  const session = sessionOf(socket);
  const { conversation, created } = await ctx.conversations.startForVisitor(m, visitorId, session.context, () => ctx.widgetLimits.hit("conversations", session.ip, m));
  await joinConversation(socket, conversation.id);
  // The visitor's other sockets (tabs, other nodes) follow the conversation they now have.
  if (created) ns.in(rooms.visitor(m, visitorId)).socketsJoin(rooms.conversationShopper(m, conversation.id));
  return conversation.id;
}

/**
 * Rotation on identify: this socket moves to the new token generation and every socket still on
 * an older one (a token copied before the shopper identified) is disconnected on every node; the
 * shopper's own other tabs reconnect with the new token from their shared storage.
 */
async function rotate(socket: WidgetSocket, ctx: HubContext, generation: number): Promise<string> {
  const m = merchantOf(socket);
  const visitorId = visitorOf(socket);
  const session = sessionOf(socket);
  const previous = session.claims.generation;
  const issued = ctx.visitorTokens.issue(m, session.widgetKey, { visitorId, generation });
  session.token = null;
  session.claims = issued.claims;
  await socket.leave(rooms.visitorGeneration(m, visitorId, previous));
  await socket.join(rooms.visitorGeneration(m, visitorId, generation));
  for (let g = previous; g < generation; g++) ctx.emitter.disconnectRoom("widget", rooms.visitorGeneration(m, visitorId, g));
  return issued.token;
}

/** The namespace's handlers, built once: each gets the socket it runs for (no per-socket closures). */
function widgetEvents(ns: WidgetNamespace, ctx: HubContext) {
  const { conversations } = ctx;
  return eventRouter<WidgetClientToServerEvents, typeof widgetClientEvents, WidgetSocket>(widgetClientEvents, ctx.logger, {
    "conversation:open": async (socket, p) => {
      const session = sessionOf(socket);
      session.context = { locale: p.locale, pageUrl: p.pageUrl };
      const opened = await conversations.openForVisitor(merchantOf(socket), visitorOf(socket), session.context, (c: Conversation) => joinConversation(socket, c.id));
      const merchant = await ctx.merchantProfiles.get(asMerchantId(merchantOf(socket)));
      return {
        conversationId: opened.conversationId,
        visitorToken: currentToken(socket, ctx),
        messages: opened.messages,
        lastSeq: opened.lastSeq,
        status: opened.status,
        streaming: opened.streaming,
        settings: {
          storeName: merchant.name,
          color: merchant.widget.color,
          greeting: merchant.widget.greeting,
          languages: merchant.widget.languages,
          defaultLocale: merchant.defaultLocale,
          arabicDigits: merchant.bot.arabicDigits,
        },
        agentName: opened.agentName ?? null,
      };
    },

    "conversation:resume": async (socket, p) => {
      await own(socket, ctx, p.conversationId);
      // Join before reading: whatever is emitted from now on reaches us; what came before is read.
      await joinConversation(socket, p.conversationId);
      ctx.metrics.resumes.inc({ namespace: "widget" });
      return { ...(await conversations.resume(merchantOf(socket), p.conversationId, p.afterSeq, "shopper")), visitorToken: currentToken(socket, ctx) };
    },

    "message:send": async (socket, p) => {
      const m = merchantOf(socket);
      const session = sessionOf(socket);
      await ctx.widgetLimits.hit("messages", session.ip, m);
      const conversationId = await conversationFor(ns, socket, ctx, p.conversationId);
      // Each upload is checked (sniffed, stripped, within quota) the first time a message names it;
      // the same send again gets the same parts, and the message itself dedupes on clientMessageId.
      const parts = p.attachments ? await ctx.attachments.claim(m, { visitorId: visitorOf(socket) }, conversationId, p.attachments.map((a) => a.uploadId)) : undefined;
      const { message } = await conversations.shopperSend(m, conversationId, { clientMessageId: p.clientMessageId, text: p.text, ...(parts ? { parts } : {}) }, { bounded: true });
      return { message };
    },

    "upload:create": async (socket, p) => {
      const session = sessionOf(socket);
      // An upload costs what a message costs from the same address and store.
      await ctx.widgetLimits.hit("messages", session.ip, merchantOf(socket));
      return ctx.attachments.createUpload(merchantOf(socket), { visitorId: visitorOf(socket) }, p);
    },

    "attachment:link": async (socket, p) => {
      await own(socket, ctx, p.conversationId);
      return ctx.attachments.link(merchantOf(socket), p.conversationId, p.key, "shopper");
    },

    "typing": async (socket, p) => {
      await own(socket, ctx, p.conversationId);
      ctx.emitter.toInbox(rooms.conversationWatchers(merchantOf(socket), p.conversationId), "typing", {
        conversationId: p.conversationId,
        isTyping: p.isTyping,
        role: "shopper",
        name: null,
        agentId: null,
      });
      return null;
    },

    "message:read": async (socket, p) => {
      await own(socket, ctx, p.conversationId);
      await conversations.markRead(merchantOf(socket), p.conversationId, "shopper", p.seq);
      return null;
    },

    "conversation:human": async (socket, p) => {
      const conversationId = await conversationFor(ns, socket, ctx, p.conversationId);
      const c = await conversations.requestHuman(merchantOf(socket), conversationId, "shopper", "shopper asked for a person");
      return { status: c.status, conversationId };
    },

    "identify": async (socket, p) => {
      const key = p.email ?? p.phone;
      if (!key) throw new ValidationError("email or phone is required");
      const visitorId = visitorOf(socket);
      const tenant = conversations.tenant(merchantOf(socket));
      const merchant = await tenant.merchant.get();
      if (!safeEqual(hmacSha256(merchant.widget.identitySecret, key), p.signature.toLowerCase())) {
        throw new UnauthorizedError("Invalid identity signature");
      }
      // Only the signed field identifies: a phone sent next to a signed email is the caller's claim,
      // and looking it up would hand them whichever customer owns that phone.
      const contact = p.email ? { email: p.email } : { phone: key };
      const customer =
        (await tenant.customers.findByContact(contact)) ??
        (await tenant.customers.create({ channel: "webchat", externalId: visitorId, name: p.name ?? null, email: contact.email ?? null, phone: contact.phone ?? null }));
      // Before the first message there is no conversation yet: the visitor record carries the link to it.
      const conversationId = socket.data.conversationId ?? (await tenant.conversations.findOpenByVisitor(visitorId))?.id ?? null;
      if (conversationId) await tenant.conversations.update(conversationId, { customerId: customer.id });
      const visitor = await tenant.visitors.identify(visitorId, customer.id);
      return { customerId: customer.id, visitorToken: await rotate(socket, ctx, visitor.tokenGeneration) };
    },
  });
}
