// The conversation domain: who may say what in which state. It talks to storage, the job queue
// and in-flight streams through ports, and says what happened as domain events (events.ts) that
// listeners turn into socket events, channel deliveries, analytics... so the hub (socket events),
// REST and the workers (channels, bot) share one set of rules.
import type { InboundSender } from "../contracts/channels.js";
import type { Channel, ChannelDelivery, Conversation, ConversationStatus, Locale, Message } from "../contracts/domain.js";
import type { NewOutboxEvent } from "../contracts/jobs.js";
import { conversationSummaries } from "./summary.js";
import {
  type ConversationOpenResult,
  type ConversationSummary,
  type ResumeResult,
  type StreamingPartial,
  type WatchResult,
} from "../contracts/socket.js";
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { JobOptions, JobQueue } from "../ports/queue.js";
import type { PresenceStore, StreamRegistry } from "../ports/realtime.js";
import { asMerchantId, type ConversationPatch, type Store, type TenantStore } from "../ports/store.js";
import { BOT_REPLY_JOB, botReplyJobId, type BotReplyJob } from "../contracts/jobs.js";
import type { ConversationEvent, ConversationEventBus } from "./events.js";
import { systemText, type SystemEvent } from "./system-text.js";

export interface AgentActor {
  userId: string;
  name: string;
}
/** Who reads a timeline: shoppers never see private notes. */
export type Viewer = "shopper" | "agent";

export interface ConversationServiceDeps {
  store: Store;
  /** Where the service's domain events go (sockets first, then whatever else the process wires). */
  events: ConversationEventBus;
  queue: JobQueue;
  streams: StreamRegistry;
  metrics?: Metrics;
  logger?: Logger;
  botJob?: Pick<JobOptions, "attempts" | "backoff">;
  /** Who is online: a handoff with nobody there tells the shopper so instead of "one moment". */
  presence: PresenceStore;
  /** Unanswered shopper messages one merchant may have queued for the bot before bounded sends are refused. */
  maxPendingBotAnswers?: number;
}

/** How long a shopper refused for a full bot backlog is asked to wait. */
const BACKLOG_RETRY_SECONDS = 5;

/** What a widget says about the shopper when it opens: their language and the page they are on. */
export interface VisitorContext {
  locale?: Locale | undefined;
  pageUrl?: string | undefined;
}
/** openForVisitor's answer: the open ack without the token, and the conversation if there is one. */
export type VisitorOpened = Omit<ConversationOpenResult, "visitorToken"> & { conversation: Conversation | null };

/** Only web pages are kept as a shopper's page (an agent may click it). */
function httpUrlOrNull(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href.slice(0, 2000) : null;
  } catch {
    return null;
  }
}

/** Messages returned by open/watch. */
export const HISTORY_LIMIT = 50;
/** Messages returned by one resume call; a client with a bigger gap calls again from lastSeq. */
export const RESUME_LIMIT = 200;

const ACTIVE: ConversationStatus[] = ["bot", "waiting_human", "human"];

export class ConversationService {
  private readonly handoffs;
  constructor(private readonly deps: ConversationServiceDeps) {
    this.handoffs = deps.metrics?.counter("kaleem_handoffs_total", "Conversation state changes by kind", ["kind"]);
  }

  tenant(merchantId: string): TenantStore {
    return this.deps.store.forMerchant(asMerchantId(merchantId));
  }

  async get(merchantId: string, conversationId: string): Promise<Conversation> {
    const conversation = await this.tenant(merchantId).conversations.get(conversationId);
    if (!conversation) throw new NotFoundError("Conversation");
    return conversation;
  }

  /** A widget visitor's conversation, only if it is theirs (NotFound otherwise: no probing). */
  async getForVisitor(merchantId: string, visitorId: string, conversationId: string): Promise<Conversation> {
    const conversation = await this.get(merchantId, conversationId);
    if (conversation.visitorId !== visitorId) throw new NotFoundError("Conversation");
    return conversation;
  }

  // ---- reading ------------------------------------------------------------------------------

  /**
   * What the widget shows when it opens: the visitor's open conversation, or nothing yet. Opening
   * never creates one (an unused widget leaves nothing in the inbox); startForVisitor does, on the
   * first message.
   */
  async openForVisitor(
    merchantId: string,
    visitorId: string,
    options: VisitorContext,
    /** Runs before history is read (the hub joins the room here so nothing falls in between). */
    beforeRead?: (conversation: Conversation) => Promise<void>,
  ): Promise<VisitorOpened> {
    const tenant = this.tenant(merchantId);
    const found = await tenant.conversations.findOpenByVisitor(visitorId);
    if (!found) return { conversation: null, conversationId: null, messages: [], streaming: [], lastSeq: 0, status: "bot", agentName: null };
    const conversation = await this.applyVisitorContext(tenant, found, options);
    if (beforeRead) await beforeRead(conversation);
    const { messages, streaming } = await this.latest(tenant, conversation, "shopper");
    const lastSeq = belowStreaming(conversation.lastSeq, messages, streaming);
    const agentName = await this.handlingAgentName(tenant, conversation);
    return { conversation, conversationId: conversation.id, messages, streaming, lastSeq, status: conversation.status, agentName };
  }

  /**
   * The visitor's open conversation, created now when there is none (their first message, or
   * asking for a person) — atomically, so two tabs sending at once share one. `admit` runs only
   * before a creation (the hub counts new conversations against its limits there). A customer the
   * visitor identified as before writing is linked from the start.
   */
  async startForVisitor(
    merchantId: string,
    visitorId: string,
    options: VisitorContext,
    admit?: () => Promise<void>,
  ): Promise<{ conversation: Conversation; created: boolean }> {
    const tenant = this.tenant(merchantId);
    const existing = await tenant.conversations.findOpenByVisitor(visitorId);
    if (existing) return { conversation: existing, created: false };
    if (admit) await admit();
    const visitor = await tenant.visitors.get(visitorId);
    const found = await tenant.conversations.findOrCreateOpenByVisitor(visitorId, {
      channel: "webchat",
      locale: options.locale ?? null,
      status: "bot",
      customerId: visitor?.customerId ?? null,
    });
    if (!found.created) return found;
    return { conversation: await this.applyVisitorContext(tenant, found.conversation, options), created: true };
  }

  /** Keeps the shopper's language and page on the conversation (http(s) pages only). */
  private async applyVisitorContext(tenant: TenantStore, conversation: Conversation, options: VisitorContext): Promise<Conversation> {
    const patch: ConversationPatch = {};
    if (options.locale && conversation.locale !== options.locale) patch.locale = options.locale;
    const pageUrl = httpUrlOrNull(options.pageUrl);
    if (pageUrl !== null && conversation.pageUrl !== pageUrl) patch.pageUrl = pageUrl;
    if (Object.keys(patch).length === 0) return conversation;
    return (await tenant.conversations.update(conversation.id, patch)) ?? conversation;
  }

  /** The name a shopper sees for the agent handling the conversation, if one is. */
  private async handlingAgentName(tenant: TenantStore, conversation: Conversation): Promise<string | null> {
    if (conversation.status !== "human" || !conversation.assigneeId) return null;
    return (await tenant.users.get(conversation.assigneeId))?.name ?? null;
  }

  async watch(merchantId: string, conversationId: string, beforeRead?: (conversation: Conversation) => Promise<void>): Promise<WatchResult> {
    const tenant = this.tenant(merchantId);
    const conversation = await this.get(merchantId, conversationId);
    if (beforeRead) await beforeRead(conversation);
    const { messages, streaming } = await this.latest(tenant, conversation, "agent");
    return { conversation: await this.summary(tenant, conversation), messages, streaming };
  }

  /**
   * Everything after `afterSeq` plus the text so far of answers still streaming. The caller must
   * already be in the conversation's room: partials are read before stored messages, so every
   * delta is either inside a partial or emitted after this call began (see PROTOCOL.md).
   */
  async resume(merchantId: string, conversationId: string, afterSeq: number, viewer: Viewer): Promise<ResumeResult> {
    const tenant = this.tenant(merchantId);
    const conversation = await this.get(merchantId, conversationId);
    const streaming = await this.deps.streams.partials(merchantId, conversationId);
    const stored = await tenant.messages.listAfter(conversationId, afterSeq, RESUME_LIMIT);
    const full = stored.length === RESUME_LIMIT;
    // A full page must move the client forward; the last, partial page gives a safe resume point.
    const lastSeq = full
      ? stored[stored.length - 1]!.seq
      : belowStreaming(Math.max(afterSeq, conversation.lastSeq, ...stored.map((m) => m.seq)), stored, streaming);
    return {
      messages: overlayPartials(visibleTo(stored, viewer), streaming),
      streaming,
      lastSeq,
      status: conversation.status,
    };
  }

  private async latest(tenant: TenantStore, conversation: Conversation, viewer: Viewer) {
    const streaming = await this.deps.streams.partials(tenant.merchantId, conversation.id);
    const stored = await tenant.messages.listLatest(conversation.id, HISTORY_LIMIT);
    return { messages: overlayPartials(visibleTo(stored, viewer), streaming), streaming };
  }

  async summary(tenant: TenantStore, conversation: Conversation): Promise<ConversationSummary> {
    const [summary] = await conversationSummaries(tenant, [conversation]);
    return summary!;
  }

  // ---- messages -----------------------------------------------------------------------------

  /**
   * A shopper message; the same clientMessageId returns the first message and answers once.
   * `bounded` (anonymous widget traffic): refused with RateLimitedError, before anything is stored,
   * while the merchant already has `maxPendingBotAnswers` messages waiting for the bot — one store's
   * burst then waits at its own door. Channel messages are never refused: the provider has our 2xx.
   */
  async shopperSend(
    merchantId: string,
    conversationId: string,
    input: { clientMessageId: string; text: string; parts?: Message["parts"] },
    options: { bounded?: boolean } = {},
  ): Promise<{ message: Message; duplicate: boolean }> {
    const tenant = this.tenant(merchantId);
    let conversation = await this.get(merchantId, conversationId);
    const existing = await tenant.messages.getByClientMessageId(conversationId, input.clientMessageId);
    if (existing) {
      if (existing.role !== "shopper") throw new ConflictError("clientMessageId already used");
      // The first attempt may have died before queueing the answer; the job id dedupes.
      if (conversation.status === "bot" || (await this.botAnswersWhileWaiting(tenant, conversation))) await this.triggerBot(merchantId, conversationId, existing.id);
      return { message: existing, duplicate: true };
    }
    if (options.bounded && this.deps.maxPendingBotAnswers !== undefined && conversation.status !== "human") {
      const pending = await this.deps.queue.groupDepth(BOT_REPLY_JOB, merchantId);
      if (pending >= this.deps.maxPendingBotAnswers) {
        throw new RateLimitedError(BACKLOG_RETRY_SECONDS, `The store is answering many shoppers right now; retry in ${BACKLOG_RETRY_SECONDS}s`);
      }
    }
    if (conversation.status === "closed") {
      conversation = await this.changeState(tenant, conversation, ["closed"], { status: "bot", assigneeId: null }, { kind: "reopened" }, "conversation.reopen", null);
    }
    const { message, duplicate } = await tenant.messages.append(conversationId, {
      role: "shopper",
      text: input.text,
      ...(input.parts ? { parts: input.parts } : {}),
      clientMessageId: input.clientMessageId,
    });
    if (!duplicate) await this.messageStored(tenant, message);
    const latest = await this.get(merchantId, conversationId);
    if (latest.status === "bot" || (await this.botAnswersWhileWaiting(tenant, latest))) await this.triggerBot(merchantId, conversationId, message.id);
    return { message, duplicate };
  }

  /**
   * A shopper waiting for a person while nobody is online still hears from the bot (facts from
   * the store's data, or when someone will reply), unless the merchant chose silence.
   */
  private async botAnswersWhileWaiting(tenant: TenantStore, conversation: Conversation): Promise<boolean> {
    if (conversation.status !== "waiting_human" || !this.deps.presence) return false;
    if ((await tenant.merchant.get()).bot.whileWaiting === "silent") return false;
    return (await this.deps.presence.snapshot(tenant.merchantId)).online.length === 0;
  }

  /** An agent reply. Replying to a conversation the bot is handling takes it over first. */
  async agentSend(
    merchantId: string,
    agent: AgentActor,
    conversationId: string,
    input: { clientMessageId: string; text: string; parts?: Message["parts"] },
  ): Promise<{ message: Message; duplicate: boolean }> {
    const tenant = this.tenant(merchantId);
    const existing = await tenant.messages.getByClientMessageId(conversationId, input.clientMessageId);
    if (existing) {
      await this.get(merchantId, conversationId);
      if (existing.authorId !== agent.userId) throw new ConflictError("clientMessageId already used");
      return { message: existing, duplicate: true };
    }
    const conversation = await this.get(merchantId, conversationId);
    if (conversation.status === "closed") throw new ConflictError("Conversation is closed; reopen it first");
    if (conversation.status !== "human") await this.takeover(merchantId, agent, conversationId);
    const { message, duplicate } = await tenant.messages.append(
      conversationId,
      {
        role: "agent",
        text: input.text,
        ...(input.parts ? { parts: input.parts } : {}),
        authorId: agent.userId,
        authorName: agent.name,
        clientMessageId: input.clientMessageId,
        ...queuedFor(conversation),
      },
      // A channel conversation: the reply goes out through the outbox, written with the message.
      { outbox: (m) => deliveryOf(conversation, m, true) },
    );
    if (!duplicate) await this.messageStored(tenant, message);
    return { message, duplicate };
  }

  /**
   * The conversation a channel customer (WhatsApp, Telegram, Messenger, Instagram) writes into:
   * the customer and their one open conversation on that channel, found or created atomically.
   * Their messages then go in with shopperSend and `channelClientId(dedupeKey)`, so processing one
   * event twice appends it once.
   */
  async channelConversation(merchantId: string, channel: Channel, from: InboundSender): Promise<Conversation> {
    const tenant = this.tenant(merchantId);
    const { customer } = await tenant.customers.findOrCreateByExternalId(channel.type, from.externalId, {
      name: from.name ?? from.username,
      phone: from.phone,
    });
    const { conversation } = await tenant.conversations.findOrCreateOpenByCustomer(customer.id, {
      channel: channel.type,
      channelId: channel.id,
      status: "bot",
    });
    return conversation;
  }

  /**
   * Stores the final form of a streamed bot answer. A complete answer in a channel conversation
   * also goes out to the channel (channels do not stream), through the outbox in the same write.
   */
  async finishAnswer(
    tenant: TenantStore,
    message: Message,
    patch: { text: string; parts: Message["parts"]; status: "complete" | "stopped"; intent: string | null },
    /** The conversation as the caller read it during this turn: only its channel is used, which never changes. */
    known?: Conversation,
  ): Promise<Message> {
    const conversation = known ?? (await tenant.conversations.get(message.conversationId));
    const sends = conversation && patch.status === "complete" && patch.text.trim() !== "" ? deliveryOf(conversation, message, false) : [];
    const final = await tenant.messages.update(message.id, { ...patch, ...(sends.length > 0 && conversation ? queuedFor(conversation) : {}) }, { outbox: sends });
    return final ?? message;
  }

  /** A delivery state changed (sent, delivered, read, failed): the inbox shows it on the message. */
  async deliveryChanged(tenant: TenantStore, messageId: string, delivery: Omit<ChannelDelivery, "updatedAt">): Promise<Message | null> {
    const current = await tenant.messages.get(messageId);
    if (!current?.channelDelivery) return null;
    // Callbacks arrive out of order: a "delivered" after a "read" changes nothing. A failed
    // delivery is the exception: a retried dead letter is a new try, and its outcome replaces it.
    const was = current.channelDelivery.state;
    if (was !== "failed" && DELIVERY_RANK[delivery.state] < DELIVERY_RANK[was] && delivery.state !== "failed") return current;
    const message = await tenant.messages.update(messageId, { channelDelivery: { ...delivery, updatedAt: new Date().toISOString() } });
    if (message) await this.publish({ type: "message.updated", merchantId: tenant.merchantId, conversationId: message.conversationId, message });
    return message;
  }

  /** A private note: stored in the timeline, only agents ever receive it. */
  async addNote(
    merchantId: string,
    agent: AgentActor,
    conversationId: string,
    input: { clientMessageId?: string | undefined; text: string },
  ): Promise<{ message: Message; duplicate: boolean }> {
    const tenant = this.tenant(merchantId);
    await this.get(merchantId, conversationId);
    const { message, duplicate } = await tenant.messages.append(conversationId, {
      role: "note",
      text: input.text,
      authorId: agent.userId,
      authorName: agent.name,
      clientMessageId: input.clientMessageId ?? null,
    });
    if (!duplicate) {
      await tenant.audit.add({ actorId: agent.userId, action: "conversation.note", target: conversationId, data: { messageId: message.id } });
      await this.messageStored(tenant, message);
    }
    return { message, duplicate };
  }

  async markRead(merchantId: string, conversationId: string, by: Viewer, seq: number): Promise<void> {
    const tenant = this.tenant(merchantId);
    const conversation = await this.get(merchantId, conversationId);
    const upTo = Math.min(seq, conversation.lastSeq);
    if (by === "shopper") {
      if (upTo > conversation.shopperReadSeq) await tenant.conversations.update(conversationId, { shopperReadSeq: upTo });
      await this.publish({ type: "message.read", merchantId, conversationId, seq: upTo, by });
    } else {
      // Shopper messages after what the agent has seen stay unread (one may have just arrived).
      const unread = (await tenant.messages.listAfter(conversationId, upTo, 1000)).filter((m) => m.role === "shopper").length;
      const updated = (await tenant.conversations.update(conversationId, { unreadCount: unread })) ?? conversation;
      await this.publish({ type: "message.read", merchantId, conversationId, seq: upTo, by });
      await this.publish({ type: "conversation.updated", merchantId, conversationId, summary: await this.summary(tenant, updated), reason: "read" });
    }
  }

  // ---- state machine ------------------------------------------------------------------------

  /** An agent takes the conversation from the bot (stopping any answer mid-stream) or from the queue. */
  async takeover(merchantId: string, agent: AgentActor, conversationId: string): Promise<Conversation> {
    const tenant = this.tenant(merchantId);
    const conversation = await this.get(merchantId, conversationId);
    if (conversation.status === "human") {
      if (conversation.assigneeId === agent.userId) return conversation;
      const holder = conversation.assigneeId ? await tenant.users.get(conversation.assigneeId) : null;
      throw new ConflictError(`Conversation is already handled by ${holder?.name ?? "another agent"}`);
    }
    const updated = await this.changeState(
      tenant,
      conversation,
      ["bot", "waiting_human"],
      { status: "human", assigneeId: agent.userId },
      { kind: "takeover", agentName: agent.name },
      "conversation.takeover",
      agent.userId,
      // The status is human before the stop goes out, so a bot job that starts late sees it.
      () => this.deps.streams.requestStop(merchantId, conversationId),
    );
    return updated;
  }

  /** Hands the conversation back to the bot. */
  async release(merchantId: string, agent: AgentActor, conversationId: string): Promise<Conversation> {
    const tenant = this.tenant(merchantId);
    const conversation = await this.get(merchantId, conversationId);
    if (conversation.status === "bot") return conversation;
    return this.changeState(tenant, conversation, ["human", "waiting_human"], { status: "bot", assigneeId: null }, { kind: "released" }, "conversation.release", agent.userId);
  }

  /** The shopper (or the bot's handoff signal) asks for a person. */
  async requestHuman(merchantId: string, conversationId: string, by: "shopper" | "bot", reason: string): Promise<Conversation> {
    const tenant = this.tenant(merchantId);
    const conversation = await this.get(merchantId, conversationId);
    if (conversation.status === "waiting_human" || conversation.status === "human") return conversation;
    if (conversation.status === "closed") throw new ConflictError("Conversation is closed");
    const teamOffline = (await this.deps.presence.snapshot(merchantId)).online.length === 0;
    return this.changeState(
      tenant,
      conversation,
      ["bot"],
      { status: "waiting_human" },
      { kind: "waiting_human", teamOffline },
      "conversation.handoff_requested",
      null,
      by === "shopper" ? () => this.deps.streams.requestStop(merchantId, conversationId) : undefined,
      { by, reason },
    );
  }

  async assign(merchantId: string, agent: AgentActor, conversationId: string, agentId: string | null): Promise<Conversation> {
    const tenant = this.tenant(merchantId);
    const conversation = await this.get(merchantId, conversationId);
    const assignee = agentId ? await tenant.users.get(agentId) : null;
    if (agentId && !assignee) throw new ValidationError("agentId is not a member of this store");
    if (conversation.assigneeId === agentId) return conversation;
    return this.changeState(tenant, conversation, [conversation.status], { assigneeId: agentId }, { kind: "assigned", agentName: assignee?.name ?? null }, "conversation.assign", agent.userId);
  }

  async close(merchantId: string, agent: AgentActor, conversationId: string): Promise<Conversation> {
    const tenant = this.tenant(merchantId);
    const conversation = await this.get(merchantId, conversationId);
    if (conversation.status === "closed") return conversation;
    return this.changeState(tenant, conversation, ACTIVE, { status: "closed" }, { kind: "closed" }, "conversation.close", agent.userId, () =>
      this.deps.streams.requestStop(merchantId, conversationId),
    );
  }

  async reopen(merchantId: string, agent: AgentActor, conversationId: string): Promise<Conversation> {
    const tenant = this.tenant(merchantId);
    const conversation = await this.get(merchantId, conversationId);
    if (conversation.status !== "closed") return conversation;
    return this.changeState(tenant, conversation, ["closed"], { status: "bot", assigneeId: null }, { kind: "reopened" }, "conversation.reopen", agent.userId);
  }

  // ---- publishing ---------------------------------------------------------------------------

  private publish(event: ConversationEvent): Promise<void> {
    return this.deps.events.publish(event);
  }

  /**
   * Announces a stored message: `stream.started` for an answer that begins streaming, otherwise
   * `message.created`. The summary is the inbox row as it is now (the store refreshed its preview).
   */
  async messageStored(tenant: TenantStore, message: Message, known?: Conversation): Promise<void> {
    // `known`: the row the caller read after storing `message` (so its preview and seq are current).
    const conversation = known ?? (await tenant.conversations.get(message.conversationId));
    if (!conversation) return;
    const summary = await this.summary(tenant, conversation);
    const base = { merchantId: tenant.merchantId, conversationId: message.conversationId, message, summary, firstMessage: message.seq === 1 };
    await this.publish(message.status === "streaming" ? { type: "stream.started", ...base } : { type: "message.created", ...base });
  }

  /** Announces the final form of a streamed answer (complete, or stopped by a takeover or a crash). */
  async streamEnded(tenant: TenantStore, message: Message): Promise<void> {
    const conversation = await tenant.conversations.get(message.conversationId);
    await this.publish({
      type: "stream.ended",
      merchantId: tenant.merchantId,
      conversationId: message.conversationId,
      message,
      summary: conversation ? await this.summary(tenant, conversation) : null,
    });
  }

  /** Pushes the stored summary of a conversation changed elsewhere (REST labels) to its inbox. */
  async refreshSummary(merchantId: string, conversationId: string, reason: "labels" | "refresh" = "refresh"): Promise<void> {
    const tenant = this.tenant(merchantId);
    const conversation = await tenant.conversations.get(conversationId);
    if (conversation) await this.publish({ type: "conversation.updated", merchantId, conversationId, summary: await this.summary(tenant, conversation), reason });
  }

  private async triggerBot(merchantId: string, conversationId: string, triggerMessageId: string): Promise<void> {
    const job: BotReplyJob = { merchantId, conversationId, triggerMessageId };
    await this.deps.queue.add(BOT_REPLY_JOB, job, {
      jobId: botReplyJobId(triggerMessageId),
      // One store's answers share a fairness group: a burst waits its turn behind other stores'.
      group: merchantId,
      attempts: this.deps.botJob?.attempts ?? 2,
      backoff: this.deps.botJob?.backoff ?? { type: "fixed", delayMs: 500 },
    });
  }

  /**
   * Compare-and-set state change: a system message in the timeline, an audit row, the new state
   * pushed to the shopper and the inbox. Losing the race (state changed meanwhile) is a conflict.
   */
  private async changeState(
    tenant: TenantStore,
    conversation: Conversation,
    from: ConversationStatus[],
    patch: { status?: ConversationStatus; assigneeId?: string | null },
    event: SystemEvent,
    action: string,
    actorId: string | null,
    afterTransition?: () => Promise<void>,
    data: Record<string, unknown> = {},
  ): Promise<Conversation> {
    const changed = await tenant.conversations.transition(conversation.id, from, patch);
    if (!changed) {
      const now = await tenant.conversations.get(conversation.id);
      throw new ConflictError(`Conversation is ${now?.status ?? "gone"}`);
    }
    if (afterTransition) await afterTransition();
    await tenant.audit.add({
      actorId,
      action,
      target: conversation.id,
      data: { from: conversation.status, to: changed.status, assigneeId: changed.assigneeId, ...data },
    });
    if (changed.status !== conversation.status) this.handoffs?.inc({ kind: `${conversation.status}->${changed.status}` });
    const { message } = await tenant.messages.append(conversation.id, { role: "system", text: systemText(event, conversation.locale) });
    await this.messageStored(tenant, message);
    const latest = (await tenant.conversations.get(conversation.id)) ?? changed;
    await this.publish({
      type: "conversation.state_changed",
      merchantId: tenant.merchantId,
      conversationId: conversation.id,
      from: conversation.status,
      conversation: latest,
      summary: await this.summary(tenant, latest),
      agentName: await this.handlingAgentName(tenant, latest),
      action,
    });
    this.deps.logger?.info({ conversationId: conversation.id, action, from: conversation.status, to: latest.status }, "conversation state changed");
    return latest;
  }
}

export function visibleTo(messages: Message[], viewer: Viewer): Message[] {
  return viewer === "shopper" ? messages.filter((m) => m.role !== "note") : messages;
}

/**
 * The resume point handed to clients: never at or past an answer still streaming, so a client
 * that resumes from it after the answer finished gets the final text instead of skipping it.
 */
function belowStreaming(lastSeq: number, messages: readonly Message[], partials: readonly StreamingPartial[]): number {
  const streamingSeqs = [...messages.filter((m) => m.status === "streaming").map((m) => m.seq), ...partials.map((p) => p.seq)];
  return streamingSeqs.length === 0 ? lastSeq : Math.max(0, Math.min(lastSeq, Math.min(...streamingSeqs) - 1));
}

/** Stored streaming messages carry no text yet; the registry has the text so far. */
function overlayPartials(messages: Message[], partials: StreamingPartial[]): Message[] {
  if (partials.length === 0) return messages;
  const byId = new Map(partials.map((p) => [p.messageId, p.text]));
  return messages.map((m) => (m.status === "streaming" && byId.has(m.id) ? { ...m, text: byId.get(m.id)! } : m));
}

/** Inbound channel messages are appended with the provider's id, so processing one twice appends it once. */
export const channelClientId = (dedupeKey: string): string => `ch:${dedupeKey}`;

const DELIVERY_RANK: Record<ChannelDelivery["state"], number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/** The delivery state a message for a channel customer starts with. */
function queuedFor(conversation: Conversation): { channelDelivery?: ChannelDelivery } {
  if (conversation.channel === "webchat") return {};
  return { channelDelivery: { channel: conversation.channel, state: "queued", providerMessageId: null, error: null, updatedAt: new Date().toISOString() } };
}

/** The outbox row that sends `message` to the conversation's channel (none for the web widget). */
function deliveryOf(conversation: Conversation, message: Message, byHuman: boolean): NewOutboxEvent[] {
  if (conversation.channel === "webchat" || !conversation.channelId) return [];
  return [{ topic: "channel.deliver", payload: { messageId: message.id, conversationId: conversation.id, byHuman } }];
}
