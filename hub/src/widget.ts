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
import { eventBinder, eventNames } from "./ack.js";
import { checkProtocol, HandshakeRefused, toConnectError } from "./handshake.js";
import type { HubContext, WidgetNamespace, WidgetSocket } from "./context.js";
import { guardEvents } from "./guard.js";
import { originAllowed, originVerdict } from "./origin.js";
import type { VisitorClaims } from "./visitor-token.js";

const EVENTS = eventNames(widgetClientEvents);

/** What the hub keeps of a widget socket besides socket.data: its token, address and page. */
interface WidgetSession {
  widgetKey: string;
  token: string;
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
    socket.on("disconnect", () => ctx.metrics.connected.dec({ namespace: "widget" }));
    guardEvents(socket, "widget", EVENTS, ctx);
    registerWidgetEvents(ns, socket, ctx);
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
  // The handshake read this very key and its merchant moments ago (same HTTP request): reuse them.
  const judged = verdict?.widget && verdict.widgetMerchantId !== null && verdict.widget.key === auth.data.widgetKey ? verdict.widget : null;
  const merchantId = judged ? asMerchantId(verdict!.widgetMerchantId!) : await ctx.store.lookup.merchantByWidgetKey(auth.data.widgetKey);
  if (!merchantId) throw new UnauthorizedError("Unknown widget key");
  // Every handshake was judged by the engine middleware; a missing verdict fails closed.
  if (!verdict) throw new HandshakeRefused("origin_not_allowed", "Origin not checked");
  const origin = verdict.origin;
  const tenant = ctx.store.forMerchant(merchantId);
  const merchant = judged ? judged.merchant : await ctx.merchantProfiles.get(merchantId);
  // Used once: the request (and so the verdict) lives as long as the socket, the merchant need not.
  delete verdict.widget;
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
  let token: string;
  if (claims && !ctx.visitorTokens.needsRenewal(claims)) {
    token = auth.data.visitorToken!;
  } else {
    // A fresh visitor, or the same one with a renewed lifetime.
    const issued = ctx.visitorTokens.issue(merchantId, auth.data.widgetKey, claims ? { visitorId: claims.visitorId, generation: claims.generation } : {});
    token = issued.token;
    claims = issued.claims;
  }
  socket.data = { merchantId, visitorId: claims.visitorId, conversationId: null };
  sessions.set(socket, { widgetKey: auth.data.widgetKey, token, claims, ip, context: {}, freshVisitor });
}

function registerWidgetEvents(ns: WidgetNamespace, socket: WidgetSocket, ctx: HubContext): void {
  const { conversations } = ctx;
  const bind = eventBinder<WidgetClientToServerEvents, typeof widgetClientEvents>(widgetClientEvents, ctx.logger);
  const m = () => socket.data.merchantId;
  const visitorId = () => socket.data.visitorId;
  const own = (conversationId: string) => conversations.getForVisitor(m(), visitorId(), conversationId);
  const joinConversation = async (conversationId: string) => {
    await socket.join(rooms.conversationShopper(m(), conversationId));
    socket.data.conversationId = conversationId;
  };

  /** The token to hand back: the one the socket holds, renewed once it passed half its lifetime. */
  const currentToken = (): string => {
    const session = sessionOf(socket);
    if (ctx.visitorTokens.needsRenewal(session.claims)) {
      const issued = ctx.visitorTokens.issue(m(), session.widgetKey, { visitorId: visitorId(), generation: session.claims.generation });
      session.token = issued.token;
      session.claims = issued.claims;
    }
    return session.token;
  };

  /** The conversation a message or a request for a person goes to: the one named, the open one, or a new one. */
  const conversationFor = async (named: string | null | undefined): Promise<string> => {
    if (named) {
      await own(named);
      if (socket.data.conversationId !== named) await joinConversation(named);
      return named;
    }
    if (socket.data.conversationId) return socket.data.conversationId;
    const session = sessionOf(socket);
    const { conversation, created } = await conversations.startForVisitor(m(), visitorId(), session.context, () =>
      ctx.widgetLimits.hit("conversations", session.ip, m()),
    );
    await joinConversation(conversation.id);
    // The visitor's other sockets (tabs, other nodes) follow the conversation they now have.
    if (created) ns.in(rooms.visitor(m(), visitorId())).socketsJoin(rooms.conversationShopper(m(), conversation.id));
    return conversation.id;
  };

  bind(socket, "conversation:open", async (p) => {
    const session = sessionOf(socket);
    session.context = { locale: p.locale, pageUrl: p.pageUrl };
    const opened = await conversations.openForVisitor(m(), visitorId(), session.context, (c: Conversation) => joinConversation(c.id));
    const merchant = await ctx.merchantProfiles.get(asMerchantId(m()));
    return {
      conversationId: opened.conversationId,
      visitorToken: currentToken(),
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
  });

  bind(socket, "conversation:resume", async (p) => {
    await own(p.conversationId);
    // Join before reading: whatever is emitted from now on reaches us; what came before is read.
    await joinConversation(p.conversationId);
    ctx.metrics.resumes.inc({ namespace: "widget" });
    return { ...(await conversations.resume(m(), p.conversationId, p.afterSeq, "shopper")), visitorToken: currentToken() };
  });

  bind(socket, "message:send", async (p) => {
    const session = sessionOf(socket);
    await ctx.widgetLimits.hit("messages", session.ip, m());
    const conversationId = await conversationFor(p.conversationId);
    // Each upload is checked (sniffed, stripped, within quota) the first time a message names it;
    // the same send again gets the same parts, and the message itself dedupes on clientMessageId.
    const parts = p.attachments ? await ctx.attachments.claim(m(), { visitorId: visitorId() }, conversationId, p.attachments.map((a) => a.uploadId)) : undefined;
    const { message } = await conversations.shopperSend(m(), conversationId, { clientMessageId: p.clientMessageId, text: p.text, ...(parts ? { parts } : {}) }, { bounded: true });
    return { message };
  });

  bind(socket, "upload:create", async (p) => {
    const session = sessionOf(socket);
    // An upload costs what a message costs from the same address and store.
    await ctx.widgetLimits.hit("messages", session.ip, m());
    return ctx.attachments.createUpload(m(), { visitorId: visitorId() }, p);
  });

  bind(socket, "attachment:link", async (p) => {
    await own(p.conversationId);
    return ctx.attachments.link(m(), p.conversationId, p.key, "shopper");
  });

  bind(socket, "typing", async (p) => {
    await own(p.conversationId);
    ctx.emitter.toInbox(rooms.conversationWatchers(m(), p.conversationId), "typing", {
      conversationId: p.conversationId,
      isTyping: p.isTyping,
      role: "shopper",
      name: null,
      agentId: null,
    });
    return null;
  });

  bind(socket, "message:read", async (p) => {
    await own(p.conversationId);
    await conversations.markRead(m(), p.conversationId, "shopper", p.seq);
    return null;
  });

  bind(socket, "conversation:human", async (p) => {
    const conversationId = await conversationFor(p.conversationId);
    const c = await conversations.requestHuman(m(), conversationId, "shopper", "shopper asked for a person");
    return { status: c.status, conversationId };
  });

  bind(socket, "identify", async (p) => {
    const key = p.email ?? p.phone;
    if (!key) throw new ValidationError("email or phone is required");
    const tenant = conversations.tenant(m());
    const merchant = await tenant.merchant.get();
    if (!safeEqual(hmacSha256(merchant.widget.identitySecret, key), p.signature.toLowerCase())) {
      throw new UnauthorizedError("Invalid identity signature");
    }
    // Only the signed field identifies: a phone sent next to a signed email is the caller's claim,
    // and looking it up would hand them whichever customer owns that phone.
    const contact = p.email ? { email: p.email } : { phone: key };
    const customer =
      (await tenant.customers.findByContact(contact)) ??
      (await tenant.customers.create({ channel: "webchat", externalId: visitorId(), name: p.name ?? null, email: contact.email ?? null, phone: contact.phone ?? null }));
    // Before the first message there is no conversation yet: the visitor record carries the link to it.
    const conversationId = socket.data.conversationId ?? (await tenant.conversations.findOpenByVisitor(visitorId()))?.id ?? null;
    if (conversationId) await tenant.conversations.update(conversationId, { customerId: customer.id });
    const visitor = await tenant.visitors.identify(visitorId(), customer.id);
    return { customerId: customer.id, visitorToken: await rotate(visitor.tokenGeneration) };
  });

  /**
   * Rotation on identify: this socket moves to the new token generation and every socket still on
   * an older one (a token copied before the shopper identified) is disconnected on every node; the
   * shopper's own other tabs reconnect with the new token from their shared storage.
   */
  const rotate = async (generation: number): Promise<string> => {
    const session = sessionOf(socket);
    const previous = session.claims.generation;
    const issued = ctx.visitorTokens.issue(m(), session.widgetKey, { visitorId: visitorId(), generation });
    session.token = issued.token;
    session.claims = issued.claims;
    await socket.leave(rooms.visitorGeneration(m(), visitorId(), previous));
    await socket.join(rooms.visitorGeneration(m(), visitorId(), generation));
    for (let g = previous; g < generation; g++) ctx.emitter.disconnectRoom("widget", rooms.visitorGeneration(m(), visitorId(), g));
    return issued.token;
  };
}
