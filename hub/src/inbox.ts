// /inbox: agents. A socket acts for one user of one merchant (access JWT, blacklist checked) and
// can only reach that merchant's conversations; every lookup goes through the tenant's store.
import {
  channelAttachmentRefusal,
  UnsupportedFileError,
  type AttachmentPart,
  inboxAuthSchema,
  inboxClientEvents,
  rooms,
  UnauthorizedError,
  type InboxClientToServerEvents,
  type PresenceEntry,
} from "@kaleem/shared";
import { eventBinder, eventNames } from "./ack.js";
import { checkProtocol, HandshakeRefused, toConnectError } from "./handshake.js";
import type { HubContext, InboxNamespace, InboxSocket } from "./context.js";
import { guardEvents } from "./guard.js";
import { originVerdict } from "./origin.js";

const EVENTS = eventNames(inboxClientEvents);
/** setTimeout's ceiling; longer token lifetimes are re-checked by the next connect anyway. */
const MAX_TIMER_MS = 2_147_000_000;

export interface InboxRuntime {
  /** Refreshes presence entries of this node's agent sockets (heartbeat). */
  heartbeat(): Promise<void>;
  /**
   * Resolves once the presence updates already started (an agent socket's connect or disconnect)
   * have ended: the hub's close waits for them, so none publishes on a Redis connection closed after it.
   */
  settled(): Promise<void>;
}

export function setupInboxNamespace(ns: InboxNamespace, ctx: HubContext): InboxRuntime {
  const watching = new Map<string, Set<string>>();
  const entry = (s: InboxSocket): PresenceEntry => ({ merchantId: s.data.merchantId, agentId: s.data.userId, name: s.data.name, socketId: s.id });
  const broadcastPresence = async (merchantId: string) => {
    ctx.emitter.toInbox(rooms.inbox(merchantId), "presence", await ctx.presence.snapshot(merchantId));
  };
  const inFlight = new Set<Promise<void>>();
  const track = (update: Promise<void>) => {
    inFlight.add(update);
    void update.finally(() => inFlight.delete(update));
  };

  ns.use((socket, next) => {
    authenticate(socket, ctx)
      .then(() => next())
      .catch((err: unknown) => {
        const refusal = toConnectError(err);
        ctx.metrics.rejected.inc({ namespace: "inbox", reason: refusal.data.code });
        next(refusal);
      });
  });

  ns.on("connection", (socket) => {
    ctx.metrics.connected.inc({ namespace: "inbox" });
    const { merchantId, userId, tokenId } = socket.data;
    void socket.join([rooms.inbox(merchantId), rooms.agent(merchantId, userId), rooms.token(tokenId)]);
    // A logout, password change or removal that landed between the handshake's checks and this
    // join disconnected the session's rooms before this socket was in them: check again now that
    // it is, so such a socket is closed instead of living on until its token expires.
    void revalidate(socket, ctx).catch((err: unknown) => ctx.logger.warn({ err }, "inbox session re-check failed"));
    watching.set(socket.id, new Set());
    const expiry = setTimeout(() => {
      socket.emit("session:revoked", { reason: "expired" });
      socket.disconnect(true);
    }, Math.min(MAX_TIMER_MS, Math.max(0, tokenExpiry.get(socket)! * 1000 - Date.now())));
    expiry.unref();
    track(ctx.presence.online(entry(socket)).then(() => broadcastPresence(merchantId)).catch((err: unknown) => ctx.logger.warn({ err }, "presence update failed")));

    socket.on("disconnect", () => {
      clearTimeout(expiry);
      watching.delete(socket.id);
      ctx.metrics.connected.dec({ namespace: "inbox" });
      track(ctx.presence.offline(entry(socket)).then(() => broadcastPresence(merchantId)).catch(() => {}));
    });
    guardEvents(socket, "inbox", EVENTS, ctx);
    registerInboxEvents(socket, ctx, watching, entry, broadcastPresence);
  });

  return {
    async heartbeat() {
      for (const socket of ns.sockets.values()) {
        await ctx.presence.online(entry(socket));
        for (const conversationId of watching.get(socket.id) ?? []) await ctx.presence.setViewing(entry(socket), conversationId, true);
      }
    },
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

const tokenExpiry = new WeakMap<InboxSocket, number>();

/** Closes a just-connected socket whose session ended while it was being admitted. */
async function revalidate(socket: InboxSocket, ctx: HubContext): Promise<void> {
  const auth = inboxAuthSchema.safeParse(socket.handshake.auth);
  let valid = auth.success;
  if (auth.success) {
    try {
      const claims = await ctx.tokens.verifyAccess(auth.data.token);
      valid = (await ctx.store.forMerchant(claims.merchantId).users.get(claims.userId)) !== null;
    } catch (err) {
      if (!(err instanceof UnauthorizedError)) throw err;
      valid = false;
    }
  }
  if (valid || socket.disconnected) return;
  socket.emit("session:revoked", { reason: "revoked" });
  socket.disconnect(true);
}

async function authenticate(socket: InboxSocket, ctx: HubContext): Promise<void> {
  const verdict = originVerdict(socket.request);
  // Every handshake was judged by the engine middleware; a missing verdict fails closed.
  if (!verdict?.inboxOk) throw new HandshakeRefused("origin_not_allowed", "Origin not allowed");
  const auth = inboxAuthSchema.safeParse(socket.handshake.auth);
  if (!auth.success) throw new UnauthorizedError("token is required");
  checkProtocol(auth.data.protocol);
  const claims = await ctx.tokens.verifyAccess(auth.data.token);
  const user = await ctx.store.forMerchant(claims.merchantId).users.get(claims.userId);
  if (!user) throw new UnauthorizedError("User no longer exists");
  socket.data = { merchantId: claims.merchantId, userId: user.id, name: user.name, role: user.role, tokenId: claims.tokenId };
  tokenExpiry.set(socket, claims.exp);
}

function registerInboxEvents(
  socket: InboxSocket,
  ctx: HubContext,
  watching: Map<string, Set<string>>,
  entry: (s: InboxSocket) => PresenceEntry,
  broadcastPresence: (merchantId: string) => Promise<void>,
): void {
  const { conversations } = ctx;
  const m = () => socket.data.merchantId;
  const agent = () => ({ userId: socket.data.userId, name: socket.data.name });
  const bind = eventBinder<InboxClientToServerEvents, typeof inboxClientEvents>(inboxClientEvents, ctx.logger);

  bind(socket, "conversation:watch", async (p) => {
    const result = await conversations.watch(m(), p.conversationId, async (c) => {
      await socket.join(rooms.conversationWatchers(m(), c.id));
    });
    watching.get(socket.id)?.add(p.conversationId);
    await ctx.presence.setViewing(entry(socket), p.conversationId, true);
    await broadcastPresence(m());
    return result;
  });

  bind(socket, "conversation:unwatch", async (p) => {
    // Another store's id is as unknown here as everywhere (no probing by the answer).
    await conversations.get(m(), p.conversationId);
    await socket.leave(rooms.conversationWatchers(m(), p.conversationId));
    if (watching.get(socket.id)?.delete(p.conversationId)) {
      await ctx.presence.setViewing(entry(socket), p.conversationId, false);
      await broadcastPresence(m());
    }
    return null;
  });

  bind(socket, "conversation:resume", async (p) => {
    await conversations.get(m(), p.conversationId);
    await socket.join(rooms.conversationWatchers(m(), p.conversationId));
    watching.get(socket.id)?.add(p.conversationId);
    ctx.metrics.resumes.inc({ namespace: "inbox" });
    return conversations.resume(m(), p.conversationId, p.afterSeq, "agent");
  });

  bind(socket, "conversation:takeover", async (p) => ({ conversation: await conversations.takeover(m(), agent(), p.conversationId) }));
  bind(socket, "conversation:release", async (p) => ({ conversation: await conversations.release(m(), agent(), p.conversationId) }));
  bind(socket, "conversation:close", async (p) => ({ conversation: await conversations.close(m(), agent(), p.conversationId) }));
  bind(socket, "conversation:reopen", async (p) => ({ conversation: await conversations.reopen(m(), agent(), p.conversationId) }));
  bind(socket, "conversation:assign", async (p) => ({
    conversation: await conversations.assign(m(), agent(), p.conversationId, p.agentId),
  }));

  bind(socket, "message:send", async (p) => {
    // The conversation is checked first: an upload is only ever claimed into one of this merchant's.
    let parts: AttachmentPart[] | undefined;
    if (p.attachments) {
      const conversation = await conversations.get(m(), p.conversationId);
      parts = await ctx.attachments.claim(m(), { userId: socket.data.userId }, p.conversationId, p.attachments.map((a) => a.uploadId));
      // A channel that cannot carry a file says so now, to the agent, rather than at delivery.
      const refusal = parts.map((part) => channelAttachmentRefusal(conversation.channel, part)).find((r) => r !== null);
      if (refusal) {
        await ctx.attachments.release(m(), { userId: socket.data.userId }, p.conversationId, p.attachments.map((a) => a.uploadId));
        throw new UnsupportedFileError(refusal);
      }
    }
    const { message } = await conversations.agentSend(m(), agent(), p.conversationId, { clientMessageId: p.clientMessageId, text: p.text, ...(parts ? { parts } : {}) });
    return { message };
  });

  bind(socket, "upload:create", async (p) => {
    const { conversationId, ...file } = p;
    await conversations.get(m(), conversationId);
    return ctx.attachments.createUpload(m(), { userId: socket.data.userId }, file);
  });

  bind(socket, "note:add", async (p) => {
    const { message } = await conversations.addNote(m(), agent(), p.conversationId, { clientMessageId: p.clientMessageId, text: p.text });
    return { message };
  });

  bind(socket, "typing", async (p) => {
    await conversations.get(m(), p.conversationId);
    const event = { conversationId: p.conversationId, isTyping: p.isTyping, role: "agent" as const, name: socket.data.name, agentId: socket.data.userId };
    ctx.emitter.toWidget(rooms.conversationShopper(m(), p.conversationId), "typing", event);
    ctx.emitter.toInbox(rooms.conversationWatchers(m(), p.conversationId), "typing", event);
    await ctx.presence.setTyping(entry(socket), p.conversationId, p.isTyping);
    await broadcastPresence(m());
    return null;
  });

  bind(socket, "message:read", async (p) => {
    await conversations.markRead(m(), p.conversationId, "agent", p.seq);
    return null;
  });

  bind(socket, "presence:get", async () => ctx.presence.snapshot(m()));
}
