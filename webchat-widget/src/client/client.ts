// The Kaleem shopper client: protocol v1 over Socket.IO for the web widget and mobile apps.
// Keeps the visitor token (renewed by the server as it ages), opens or continues the conversation —
// a new visitor has none until their first message creates it — sends with client message ids until
// acknowledged, applies streaming deltas by offset and resumes from the store after every reconnect.
import { io, type Socket, type ManagerOptions, type SocketOptions } from "socket.io-client";
import {
  AckRequestError,
  ConversationThread,
  MAX_MESSAGE_TEXT,
  PROTOCOL_VERSION,
  RETRYABLE_ERROR_CODES,
  WIDGET_NAMESPACE,
  LOAD_BALANCING_QUERY,
  widgetFire,
  widgetRequest,
  type AckDataOf,
  type AckedEventOf,
  type AckError,
  type EventPayloadOf,
  type ThreadMessage,
} from "@kaleem/shared/client";
import type {
  AttachmentLink,
  ConversationOpenResult,
  ConversationStatus,
  Locale,
  Message,
  MessageDelta,
  PublicWidgetSettings,
  ReadEvent,
  ResumeResult,
  ShopperConversationView,
  StreamingPartial,
  TypingEvent,
  UploadTicket,
  WidgetClientToServerEvents,
  WidgetServerToClientEvents,
} from "@kaleem/shared/contracts";
import { Emitter } from "./emitter.js";
import { storageKeys } from "./keys.js";
import { cancel, later, microtask, randomId, type TimerId } from "./runtime.js";

/** Visitor token persistence: localStorage in browsers, AsyncStorage (or similar) in apps. */
export interface KaleemStorage {
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  set(key: string, value: string | null): void | Promise<void>;
}

export interface KaleemClientOptions {
  /** Origin of the Kaleem server, e.g. `https://chat.example.com`. */
  url: string;
  /** The merchant's public widget key. */
  widgetKey: string;
  storage?: KaleemStorage;
  locale?: Locale;
  /** Page the shopper is on (shown to agents). */
  pageUrl?: string;
  /** Passed to socket.io-client (e.g. `{ transports: ["websocket"] }` in React Native). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /** How long to wait for an acknowledgement before retrying (ms). */
  ackTimeoutMs?: number;
  /** Connect immediately (default true). */
  autoConnect?: boolean;
}

export type ConnectionStatus = "idle" | "connecting" | "connected" | "reconnecting" | "offline" | "closed";

export interface KaleemState {
  connection: ConnectionStatus;
  /** True once the widget is open and the history (if any) is loaded. */
  ready: boolean;
  /** Null until the visitor's first message (or request for a person) creates the conversation. */
  conversationId: string | null;
  status: ConversationStatus | null;
  agentName: string | null;
  settings: PublicWidgetSettings | null;
  /** Ordered by seq; unsent messages last. */
  messages: ClientMessage[];
  /** Who is typing on the store's side, if anyone. */
  typing: { role: "agent" | "bot"; name: string | null } | null;
  /** Bot/agent messages the shopper has not seen. */
  unread: number;
}

export type MessageOrigin = "history" | "live";

export interface KaleemClientEvents {
  state: [KaleemState];
  /** A message appeared or changed (finished streaming, was acknowledged, was read). */
  message: [ClientMessage, MessageOrigin];
  /** Streaming text grew: `text` is the whole text so far. */
  delta: [{ messageId: string; text: string; appended: string }];
  typing: [KaleemState["typing"]];
  status: [{ status: ConversationStatus | null; agentName: string | null }];
  connection: [ConnectionStatus];
  unread: [number];
  /**
   * The widget is open and up to date (first time, or again after a new conversation was started).
   * `conversationId` is null for a visitor who has not written yet.
   */
  ready: [{ conversationId: string | null }];
  error: [AckError];
}

/** What a refused or unanswered request rejects with (`code`: the server's error code, `timeout`, `not_ready`). */
export const KaleemClientError = AckRequestError;
export type KaleemClientError = AckRequestError;
/** A message as the client holds it (seq null until the server assigns one). */
export type ClientMessage = ThreadMessage;

export interface KaleemClient {
  getState(): KaleemState;
  on<K extends keyof KaleemClientEvents>(event: K, fn: (...args: KaleemClientEvents[K]) => void): () => void;
  off<K extends keyof KaleemClientEvents>(event: K, fn: (...args: KaleemClientEvents[K]) => void): void;
  connect(): void;
  /**
   * Sends a message; returns its client message id once queued (delivery shows in state). With
   * `attachments` (uploads already PUT, see createUpload) the text may be empty.
   */
  send(text: string, attachments?: ReadonlyArray<{ uploadId: string }>): string;
  /** An upload URL for one file (PROTOCOL.md §10): PUT the file there, then send its uploadId. */
  createUpload(file: { name: string; type: string; size: number }): Promise<UploadTicket>;
  /** A 5-minute link to read an attachment of this conversation (ask again rather than keep it). */
  attachmentLink(key: string): Promise<AttachmentLink>;
  /** Sends again a message that failed for good (validation, closed conversation). */
  retry(clientMessageId: string): void;
  setTyping(isTyping: boolean): void;
  /** While active (panel visible, app in foreground) new messages count as read. */
  setActive(active: boolean): void;
  markRead(): void;
  requestHuman(): Promise<ConversationStatus>;
  identify(user: { name?: string; email?: string; phone?: string }, signature: string): Promise<{ customerId: string }>;
  /** Re-fetches anything missed (call when the app returns to the foreground or the tab becomes visible). */
  resync(): void;
  /** Tell the client the network went away or came back (browser online/offline, NetInfo). */
  networkChanged(online: boolean): void;
  close(): void;
  /** The underlying socket, for diagnostics and tests. */
  readonly socket: Socket<WidgetServerToClientEvents>;
}

const RETRYABLE: ReadonlySet<string> = new Set([...RETRYABLE_ERROR_CODES, "timeout", "not_ready"]);
/** Connection refusals that retrying cannot fix: the client stops and says so. */
const FINAL_REFUSALS: ReadonlySet<string> = new Set(["visitor_blocked"]);
const TYPING_EXPIRES_MS = 8000;


export function createKaleemClient(options: KaleemClientOptions): KaleemClient {
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
  const keys = storageKeys(options.widgetKey);
  const storage = options.storage;
  const events = new Emitter<KaleemClientEvents>();
  const log = new ConversationThread({ audience: "shopper" });

  let visitorToken: string | null = null;
  let readSeq = 0;
  let storageLoaded: Promise<void> | null = null;
  let connection: ConnectionStatus = "idle";
  let ready = false;
  /** The conversation was brought up to date since the last (re)connection: sends may go out. */
  let live = false;
  let conversationId: string | null = null;
  let status: ConversationStatus | null = null;
  let agentName: string | null = null;
  let settings: PublicWidgetSettings | null = null;
  let typing: KaleemState["typing"] = null;
  let typingTimer: TimerId | null = null;
  let active = false;
  let closed = false;
  let syncing = false;
  let syncAgain = false;
  let lastUnread = -1;
  let stateQueued = false;
  let typingSentAt = 0;
  let lastTypingSent = false;
  let refusals = 0;
  /** The store blocked this visitor: no more reconnecting. */
  let blocked = false;
  let syncAttempt = 0;
  let gapRetries = 0;
  /** Requests that need the conversation open (identify, human) wait here until it is. */
  const liveWaiters: Array<() => void> = [];
  const whenLive = (): Promise<void> =>
    live && socket.connected ? Promise.resolve() : new Promise<void>((resolve) => liveWaiters.push(resolve));
  /** Client message ids with a send in flight, and their retry timers. */
  const inFlight = new Set<string>();
  const retryTimers = new Map<string, TimerId>();
  const attempts = new Map<string, number>();

  const base = options.url.replace(/\/+$/, "");
  // Emits go through widgetRequest/widgetFire, typed by the protocol's event map.
  const socket: Socket<WidgetServerToClientEvents> = io(base + WIDGET_NAMESPACE, {
    autoConnect: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    // WebSocket first: browsers always send Origin on the upgrade (a same-origin long-polling GET
    // carries none), and it saves the polling round trips; polling stays as the fallback.
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    ...options.socketOptions,
    // The hub checks the page's Origin against this store's allow-list before any namespace runs.
    // A random key per client for nginx's sticky routing (nginx/nginx.conf): every request of a
    // long-polling session reaches the same hub, and shoppers behind one NAT spread over all hubs.
    query: { [LOAD_BALANCING_QUERY]: randomId(), ...(options.socketOptions?.query as Record<string, string> | undefined), widgetKey: options.widgetKey },
    // A function, so every reconnection presents the latest visitor token: this tab's, or a newer
    // one another tab stored (identify rotates it and disconnects sockets still on the old one).
    auth: (cb: (data: object) => void) => {
      void latestToken().then((token) => cb({ widgetKey: options.widgetKey, protocol: PROTOCOL_VERSION, ...(token ? { visitorToken: token } : {}) }));
    },
  });

  const latestToken = async (): Promise<string | null> => {
    if (!storage) return visitorToken;
    try {
      const stored = (await storage.get(keys.visitorToken)) ?? null;
      if (stored) visitorToken = stored;
    } catch {
      // Unreadable storage: this tab's token stands.
    }
    return visitorToken;
  };

  /** Keeps a token the server handed out (open, resume and identify renew or rotate it). */
  const keepToken = (token: string | undefined) => {
    if (!token || token === visitorToken) return;
    visitorToken = token;
    save(keys.visitorToken, token);
  };

  /** The conversation the first message (or a request for a person) created. */
  const adopt = (id: string) => {
    if (conversationId !== null) return;
    conversationId = id;
    changed();
  };

  const loadStorage = (): Promise<void> => {
    storageLoaded ??= (async () => {
      if (!storage) return;
      try {
        visitorToken = (await storage.get(keys.visitorToken)) ?? null;
        readSeq = Number((await storage.get(keys.readSeq)) ?? 0) || 0;
      } catch {
        // Storage can be unavailable (private mode, blocked cookies): continue as a new visitor.
      }
    })();
    return storageLoaded;
  };

  const save = (key: string, value: string | null) => {
    if (!storage) return;
    try {
      void Promise.resolve(storage.set(key, value)).catch(() => undefined);
    } catch {
      // Same as above: persistence is best effort.
    }
  };

  const unreadCount = (): number => {
    let n = 0;
    for (const m of log.list()) if ((m.role === "bot" || m.role === "agent") && m.seq !== null && m.seq > readSeq) n++;
    return n;
  };

  const getState = (): KaleemState => ({
    connection,
    ready,
    conversationId,
    status,
    agentName,
    settings,
    messages: log.list(),
    typing,
    unread: unreadCount(),
  });

  /** Coalesces the many small changes of one tick into one state event. */
  const changed = () => {
    if (active && ready) autoRead();
    if (stateQueued) return;
    stateQueued = true;
    microtask(() => {
      stateQueued = false;
      const state = getState();
      // Before the conversation is loaded the count would read 0 and wipe a remembered badge.
      if (state.ready && state.unread !== lastUnread) {
        lastUnread = state.unread;
        events.emit("unread", state.unread);
      }
      events.emit("state", state);
    });
  };

  const setConnection = (next: ConnectionStatus) => {
    if (connection === next) return;
    connection = next;
    events.emit("connection", next);
    changed();
  };

  const setStatus = (next: ConversationStatus | null, name: string | null | undefined) => {
    const nextName = name === undefined ? agentName : name;
    if (next === status && nextName === agentName) return;
    status = next;
    agentName = next === "human" ? nextName : null;
    events.emit("status", { status, agentName });
    changed();
  };

  const notifyMessage = (id: string, origin: MessageOrigin) => {
    const m = log.get(id);
    if (m) events.emit("message", { ...m }, origin);
  };

  const mergeMessages = (messages: Message[], streaming: StreamingPartial[], origin: MessageOrigin) => {
    for (const m of [...messages].sort((a, b) => a.seq - b.seq)) {
      if (log.upsert(m)) notifyMessage(m.id, origin);
      if (m.role === "agent" && m.authorName && status === "human") agentName = m.authorName;
    }
    for (const p of streaming) if (log.applyPartial(p)) notifyMessage(p.messageId, origin);
    changed();
  };

  // ---- acknowledged requests -------------------------------------------------------------

  function request<E extends AckedEventOf<WidgetClientToServerEvents>>(
    event: E,
    payload: EventPayloadOf<WidgetClientToServerEvents, E>,
    attempt = 1,
  ): Promise<AckDataOf<WidgetClientToServerEvents, E>> {
    // A slow link must not make every retry time out the same way: each attempt waits longer.
    const timeoutMs = Math.min(60_000, ackTimeoutMs * 2 ** Math.min(attempt - 1, 10));
    return widgetRequest(socket, event, payload, { timeoutMs });
  }

  // ---- conversation lifecycle -------------------------------------------------------------

  const open = async () => {
    const data = await request(
      "conversation:open",
      {
        ...(options.locale ? { locale: options.locale } : {}),
        ...(options.pageUrl ? { pageUrl: options.pageUrl.slice(0, 2000) } : {}),
      },
      syncAttempt,
    );
    keepToken(data.visitorToken);
    if (conversationId !== null && conversationId !== data.conversationId) {
      // The old conversation is closed (a new one starts with the next message): start a fresh log.
      log.reset(data.conversationId);
      readSeq = 0;
      save(keys.readSeq, "0");
    }
    conversationId = data.conversationId;
    if (data.settings) settings = data.settings;
    mergeMessages(data.messages, data.streaming ?? [], "history");
    setStatus(data.status, data.agentName ?? latestAgentName());
    ready = true;
    events.emit("ready", { conversationId: data.conversationId });
    changed();
  };

  const resume = async (id: string) => {
    const data: ResumeResult = await request("conversation:resume", { conversationId: id, afterSeq: log.resumeAfterSeq() }, syncAttempt);
    keepToken(data.visitorToken);
    mergeMessages(data.messages, data.streaming ?? [], "live");
    setStatus(data.status, latestAgentName());
  };

  const latestAgentName = (): string | null => {
    const list = log.list();
    for (let i = list.length - 1; i >= 0; i--) {
      const m = list[i];
      if (m?.role === "agent" && m.authorName) return m.authorName;
    }
    return null;
  };

  /**
   * Brings the conversation up to date: opens it the first time, resumes after reconnects and gaps.
   * One run at a time; a request during a run schedules exactly one more.
   */
  const sync = async (): Promise<void> => {
    if (syncing) {
      syncAgain = true;
      return;
    }
    syncing = true;
    try {
      do {
        syncAgain = false;
        if (!socket.connected) return;
        syncAttempt += 1;
        try {
          if (conversationId === null) await open();
          else {
            try {
              await resume(conversationId);
            } catch (err) {
              // The conversation is gone for this visitor (closed, reassigned): open the current one.
              if (err instanceof KaleemClientError && (err.code === "not_found" || err.code === "forbidden")) await open();
              else throw err;
            }
            if (!ready) {
              ready = true;
              events.emit("ready", { conversationId });
            }
          }
          live = true;
          syncAttempt = 0;
          for (const resolve of liveWaiters.splice(0)) resolve();
          flushOutbox();
        } catch (err) {
          if (err instanceof KaleemClientError && err.code !== "timeout" && err.code !== "not_ready") {
            events.emit("error", { code: err.code, message: err.message });
            if (err.code === "unauthorized" && visitorToken) {
              // The stored token is no longer valid (rotated secret, another store): start as a new visitor.
              forgetVisitor();
              socket.disconnect().connect();
              return;
            }
          }
          if (socket.connected) syncAgain = true;
          // A timeout already waited; after a refusal, pause before asking again.
          if (!(err instanceof KaleemClientError && err.code === "timeout")) await new Promise((r) => later(() => r(undefined), 1000));
        }
        if (log.hasGap()) {
          // One more resume may close a gap that opened while the last one was in flight; after
          // that the store's answer stands and the held-back pieces are dropped.
          if (gapRetries++ < 1) syncAgain = true;
          else {
            log.dropGaps();
            gapRetries = 0;
          }
        } else gapRetries = 0;
      } while (syncAgain && !closed);
    } finally {
      syncing = false;
    }
  };

  const forgetVisitor = () => {
    visitorToken = null;
    conversationId = null;
    ready = false;
    save(keys.visitorToken, null);
  };

  // ---- sending ----------------------------------------------------------------------------

  const flushOutbox = () => {
    if (!live || !socket.connected) return;
    for (const m of log.pendingSends()) {
      if (m.delivery === "failed" || !m.clientMessageId) continue;
      const cmid = m.clientMessageId;
      if (inFlight.has(cmid) || retryTimers.has(cmid)) continue;
      sendOne(cmid, m.text);
    }
  };
  /** Uploads each queued message carries, by client message id (sent again, unchanged, on every retry). */
  const outgoingAttachments = new Map<string, Array<{ uploadId: string }>>();

  const sendOne = (clientMessageId: string, text: string) => {
    inFlight.add(clientMessageId);
    const n = (attempts.get(clientMessageId) ?? 0) + 1;
    attempts.set(clientMessageId, n);
    // A visitor without a conversation sends without an id: the server creates theirs (once, also
    // for several messages in flight) and the acknowledgement names it.
    const attachments = outgoingAttachments.get(clientMessageId);
    request("message:send", { conversationId, clientMessageId, text, ...(attachments ? { attachments } : {}) }, n)
      .then(({ message }) => {
        attempts.delete(clientMessageId);
        outgoingAttachments.delete(clientMessageId);
        adopt(message.conversationId);
        if (log.upsert(message)) notifyMessage(message.id, "live");
        changed();
      })
      .catch((err: unknown) => {
        const code = err instanceof KaleemClientError ? err.code : "internal";
        if (!RETRYABLE.has(code)) {
          if (log.setPendingDelivery(clientMessageId, "failed")) changed();
          events.emit("error", { code: code as AckError["code"], message: err instanceof Error ? err.message : String(err) });
          return;
        }
        // Same client message id on every retry: the server answers with the message it already stored.
        // A timeout already waited (longer each attempt); a refusal backs off, at least as long as
        // a rate limit asked.
        const asked = err instanceof KaleemClientError && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : 0;
        const delay = code === "timeout" ? 0 : Math.max(asked, Math.min(15_000, 500 * 2 ** Math.min(n, 5)));
        retryTimers.set(
          clientMessageId,
          later(() => {
            retryTimers.delete(clientMessageId);
            flushOutbox();
          }, delay),
        );
      })
      .finally(() => inFlight.delete(clientMessageId));
  };

  const send = (raw: string, attachments?: ReadonlyArray<{ uploadId: string }>): string => {
    const text = raw.trim().slice(0, MAX_MESSAGE_TEXT);
    if (!text && !attachments?.length) throw new KaleemClientError("validation_failed", "message text is empty");
    const clientMessageId = randomId();
    if (attachments?.length) outgoingAttachments.set(clientMessageId, attachments.map((a) => ({ uploadId: a.uploadId })));
    const m = log.addPending({ clientMessageId, text, createdAt: new Date().toISOString() });
    events.emit("message", { ...m }, "live");
    changed();
    flushOutbox();
    return clientMessageId;
  };

  const retry = (clientMessageId: string) => {
    if (log.setPendingDelivery(clientMessageId, "sending")) changed();
    flushOutbox();
  };

  // ---- reads, typing ------------------------------------------------------------------------

  const autoRead = () => {
    const last = log.lastSeq();
    if (last > readSeq) {
      readSeq = last;
      save(keys.readSeq, String(readSeq));
      if (conversationId) widgetFire(socket, "message:read", { conversationId, seq: last });
    }
  };

  const markRead = () => {
    autoRead();
    changed();
  };

  const setTyping = (isTyping: boolean) => {
    if (!socket.connected || !conversationId) return;
    const now = Date.now();
    // Tell the agent at most every 2 s while typing, and once when it stops.
    if (isTyping && lastTypingSent && now - typingSentAt < 2000) return;
    if (!isTyping && !lastTypingSent) return;
    typingSentAt = now;
    lastTypingSent = isTyping;
    widgetFire(socket, "typing", { conversationId, isTyping });
  };

  const setTypingState = (next: KaleemState["typing"]) => {
    cancel(typingTimer);
    typingTimer = null;
    typing = next;
    // The other side may vanish without saying it stopped typing.
    if (next) typingTimer = later(() => setTypingState(null), TYPING_EXPIRES_MS);
    events.emit("typing", typing);
    changed();
  };

  // ---- socket events ----------------------------------------------------------------------

  socket.on("connect", () => {
    refusals = 0;
    setConnection("connected");
    void sync();
  });
  socket.on("disconnect", (reason) => {
    live = false;
    setConnection(closed ? "closed" : reason === "io client disconnect" ? "closed" : "reconnecting");
    if (reason === "io server disconnect" && !closed) {
      // A node shutting down (or rebalancing) ends our socket on purpose; Socket.IO leaves the
      // reconnection to us. Come back with backoff, to whichever node is there.
      refusals += 1;
      later(() => {
        if (!closed && !blocked && !socket.connected) socket.connect();
      }, Math.min(30_000, 250 * 2 ** Math.min(refusals, 7)));
    }
  });
  socket.io.on("reconnect_attempt", () => {
    if (connection !== "offline") setConnection("reconnecting");
  });
  socket.on("connect_error", (err: Error & { data?: { code?: string; retryAfterSeconds?: number } }) => {
    const code = err.data?.code ?? "";
    if (FINAL_REFUSALS.has(code)) {
      // Blocked by the store: asking again changes nothing. The token is kept, so a reload does not
      // turn the shopper into a new visitor either.
      blocked = true;
      socket.io.reconnection(false);
      setConnection("closed");
      events.emit("error", { code: "forbidden", message: err.message });
      return;
    }
    if (connection !== "offline") setConnection("reconnecting");
    if (code === "unauthorized" && visitorToken) {
      // A stale visitor token must not lock the shopper out: retry as a new visitor.
      forgetVisitor();
    }
    if (!socket.active) {
      // The server refused the connection (middleware error): Socket.IO will not retry by itself.
      refusals += 1;
      const asked = (err.data?.retryAfterSeconds ?? 0) * 1000;
      later(() => {
        if (!closed && !blocked && !socket.connected) socket.connect();
      }, Math.max(asked, Math.min(60_000, 1000 * 2 ** Math.min(refusals, 6))));
    }
  });

  socket.on("message:new", ({ message }) => {
    if (!isForUs(message.conversationId)) return;
    // Another tab's first message created the conversation: follow it here too.
    adopt(message.conversationId);
    if (log.upsert(message)) {
      notifyMessage(message.id, "live");
      if (message.role === "agent" || message.role === "bot") setTypingState(null);
      if (message.role === "agent" && message.authorName && status === "human") setStatus(status, message.authorName);
      changed();
    }
  });
  socket.on("message:delta", (delta: MessageDelta) => {
    if (!isForUs(delta.conversationId) || typeof delta.text !== "string" || typeof delta.offset !== "number") return;
    const before = log.get(delta.messageId)?.text ?? "";
    const outcome = log.applyDelta(delta);
    if (outcome === "gap") {
      void sync();
      return;
    }
    if (outcome === "applied") {
      const after = log.get(delta.messageId)?.text ?? "";
      if (before === "") notifyMessage(delta.messageId, "live");
      events.emit("delta", { messageId: delta.messageId, text: after, appended: after.slice(before.length) });
      if (typing?.role === "bot") setTypingState(null);
      changed();
    }
  });
  socket.on("message:done", ({ message }) => {
    if (!isForUs(message.conversationId)) return;
    if (log.upsert(message)) {
      notifyMessage(message.id, "live");
      changed();
    }
  });
  socket.on("typing", (t: TypingEvent) => {
    if (!isForUs(t.conversationId) || t.role === "shopper") return;
    setTypingState(t.isTyping ? { role: t.role, name: t.name } : null);
  });
  socket.on("message:read", (r: ReadEvent) => {
    if (!isForUs(r.conversationId) || r.by !== "agent") return;
    if (log.markReadByAgent(r.seq)) changed();
  });
  socket.on("conversation:updated", (view: ShopperConversationView) => {
    if (!isForUs(view.conversationId)) return;
    setStatus(view.status, view.agentName);
  });

  const isForUs = (id: string) => conversationId === null || id === conversationId;

  // ---- public API -------------------------------------------------------------------------

  const connect = () => {
    if (closed || blocked) return;
    if (connection === "idle") setConnection("connecting");
    void loadStorage().then(() => {
      if (!closed && !socket.connected) socket.connect();
    });
  };

  const client: KaleemClient = {
    socket,
    getState,
    on: (event, fn) => events.on(event, fn),
    off: (event, fn) => events.off(event, fn),
    connect,
    send,
    retry,
    async createUpload(file) {
      await whenLive();
      return request("upload:create", { name: file.name, contentType: file.type || "application/octet-stream", size: file.size });
    },
    async attachmentLink(key) {
      await whenLive();
      if (!conversationId) throw new KaleemClientError("not_found", "no conversation yet");
      return request("attachment:link", { conversationId, key });
    },
    setTyping,
    setActive(next) {
      active = next;
      if (active) markRead();
    },
    markRead,
    async requestHuman() {
      await whenLive();
      // Before any message this starts the conversation: the acknowledgement names it.
      const data = await request("conversation:human", { conversationId });
      adopt(data.conversationId);
      setStatus(data.status, undefined);
      return data.status;
    },
    async identify(user, signature) {
      // Wait for the visitor's session; the server links the identity to the visitor (and to the
      // conversation once there is one) and hands out a new token: the old one stops working.
      await whenLive();
      const { customerId, visitorToken: rotated } = await request("identify", { ...user, signature });
      keepToken(rotated);
      return { customerId };
    },
    resync() {
      if (socket.connected) void sync();
      else if (!closed) connect();
    },
    networkChanged(online) {
      if (closed) return;
      if (!online) {
        setConnection("offline");
        // The transport may look alive for a minute after the network is gone; drop it now so
        // reconnection (and the resume that follows) starts as soon as the network is back.
        socket.io.engine?.close();
        return;
      }
      if (connection === "offline") setConnection(socket.connected ? "connected" : "reconnecting");
      if (socket.connected) void sync();
      else {
        socket.disconnect();
        socket.connect();
      }
    },
    close() {
      closed = true;
      cancel(typingTimer);
      for (const t of retryTimers.values()) cancel(t);
      retryTimers.clear();
      socket.disconnect();
      socket.removeAllListeners();
      setConnection("closed");
      events.removeAll();
    },
  };

  if (options.autoConnect !== false) connect();
  return client;
}

export type { ConversationOpenResult };
