// /widget: shoppers (web widget, mobile SDK). A socket acts for one visitor of one merchant and
// can only reach that visitor's conversations.
import {
  hmacSha256,
  rooms,
  safeEqual,
  UnauthorizedError,
  ValidationError,
  widgetAuthSchema,
  widgetClientEvents,
  type WidgetClientToServerEvents,
} from "@kaleem/shared";
import { eventBinder, eventNames } from "./ack.js";
import { checkProtocol, HandshakeRefused, toConnectError } from "./handshake.js";
import type { HubContext, WidgetNamespace, WidgetSocket } from "./context.js";
import { guardEvents } from "./guard.js";
import { originAllowed, originVerdict } from "./origin.js";

const EVENTS = eventNames(widgetClientEvents);
const VISITOR_TOKEN = Symbol("visitorToken");
type WithToken = WidgetSocket & { [VISITOR_TOKEN]?: string };

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
    void socket.join(rooms.widgetKey(socket.data.merchantId, (socket.handshake.auth as { widgetKey: string }).widgetKey));
    socket.on("disconnect", () => ctx.metrics.connected.dec({ namespace: "widget" }));
    guardEvents(socket, "widget", EVENTS, ctx);
    registerWidgetEvents(socket, ctx);
  });
}

async function authenticate(socket: WidgetSocket, ctx: HubContext): Promise<void> {
  const auth = widgetAuthSchema.safeParse(socket.handshake.auth);
  if (!auth.success) throw new UnauthorizedError("widgetKey is required");
  checkProtocol(auth.data.protocol);
  const merchantId = await ctx.store.lookup.merchantByWidgetKey(auth.data.widgetKey);
  if (!merchantId) throw new UnauthorizedError("Unknown widget key");
  const verdict = originVerdict(socket.request);
  const origin = verdict?.origin ?? null;
  const merchant = await ctx.store.forMerchant(merchantId).merchant.get();
  // The query key passed allowRequest; the auth key must be the same store's, and its allow-list
  // must accept the origin too (a page cannot borrow another store's allow-list).
  if (origin !== null && !originAllowed(origin, merchant.widget.allowedOrigins)) throw new HandshakeRefused("origin_not_allowed", "Origin not allowed");
  if (verdict?.widgetMerchantId && verdict.widgetMerchantId !== merchantId) throw new UnauthorizedError("Widget key mismatch");

  const claims = auth.data.visitorToken ? ctx.visitorTokens.verify(auth.data.visitorToken) : null;
  const valid = claims !== null && claims.merchantId === merchantId;
  if (origin === null && !valid && !merchant.widget.allowApps) {
    throw new UnauthorizedError("A visitor token is required for connections without an Origin");
  }
  let visitorId: string;
  let token: string;
  if (valid && claims) {
    visitorId = claims.visitorId;
    token = auth.data.visitorToken!;
  } else {
    const issued = ctx.visitorTokens.issue(merchantId);
    visitorId = issued.claims.visitorId;
    token = issued.token;
  }
  socket.data = { merchantId, visitorId, conversationId: null };
  (socket as WithToken)[VISITOR_TOKEN] = token;
}

function registerWidgetEvents(socket: WidgetSocket, ctx: HubContext): void {
  const { conversations } = ctx;
  const bind = eventBinder<WidgetClientToServerEvents, typeof widgetClientEvents>(widgetClientEvents, ctx.logger);
  const m = () => socket.data.merchantId;
  const own = (conversationId: string) => conversations.getForVisitor(m(), socket.data.visitorId, conversationId);
  const joinConversation = async (conversationId: string) => {
    await socket.join(rooms.conversationShopper(m(), conversationId));
    socket.data.conversationId = conversationId;
  };

  bind(socket, "conversation:open", async (p) => {
    const opened = await conversations.openForVisitor(m(), socket.data.visitorId, { locale: p.locale, pageUrl: p.pageUrl }, (c) => joinConversation(c.id));
    const tenant = conversations.tenant(m());
    const merchant = await tenant.merchant.get();
    return {
      conversationId: opened.conversationId,
      visitorToken: (socket as WithToken)[VISITOR_TOKEN] ?? "",
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
      },
      agentName: opened.agentName ?? null,
    };
  });

  bind(socket, "conversation:resume", async (p) => {
    await own(p.conversationId);
    // Join before reading: whatever is emitted from now on reaches us; what came before is read.
    await joinConversation(p.conversationId);
    ctx.metrics.resumes.inc({ namespace: "widget" });
    return conversations.resume(m(), p.conversationId, p.afterSeq, "shopper");
  });

  bind(socket, "message:send", async (p) => {
    await own(p.conversationId);
    if (socket.data.conversationId !== p.conversationId) await joinConversation(p.conversationId);
    const { message } = await conversations.shopperSend(m(), p.conversationId, { clientMessageId: p.clientMessageId, text: p.text });
    return { message };
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
    await own(p.conversationId);
    const c = await conversations.requestHuman(m(), p.conversationId, "shopper", "shopper asked for a person");
    return { status: c.status };
  });

  bind(socket, "identify", async (p) => {
    const conversationId = socket.data.conversationId;
    if (!conversationId) throw new ValidationError("Open a conversation before identifying");
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
      (await tenant.customers.create({ channel: "webchat", externalId: socket.data.visitorId, name: p.name ?? null, email: contact.email ?? null, phone: contact.phone ?? null }));
    await tenant.conversations.update(conversationId, { customerId: customer.id });
    return { customerId: customer.id };
  });
}
