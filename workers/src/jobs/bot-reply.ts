// Runs the bot for one shopper message and streams the answer into the conversation's rooms.
// The answer is a stored message from its first piece on (seq fixed at start, status
// "streaming"); every delta is recorded in the StreamRegistry before it is emitted, so a client
// that resumes on any node gets the text so far and continues from the right offset.
import {
  asMerchantId,
  botAnswerClientId,
  FALLBACK_ANSWER,
  rooms,
  UnrecoverableError,
  type BotEngine,
  type BotReplyJob,
  type ConversationService,
  type Job,
  type KeyedLock,
  type Logger,
  type Message,
  type MessagePart,
  type RealtimeEmitter,
  type RealtimeMetrics,
  type Store,
  type StreamHandle,
  type StreamRegistry,
} from "@kaleem/shared";
import { DeltaWindow } from "./delta-window.js";
import { endOrphanedStream } from "./stream-sweeper.js";

export interface BotReplyDeps {
  store: Store;
  streams: StreamRegistry;
  emitter: RealtimeEmitter;
  conversations: ConversationService;
  bot: BotEngine;
  metrics?: RealtimeMetrics;
  logger?: Logger;
  /** How many earlier messages the engine sees. */
  historyLimit?: number;
  /**
   * BOT_STREAM_COALESCE_MS: deltas produced within this many ms of the last one sent are merged
   * into one `message:delta` (0: every delta goes out as produced). The first never waits.
   */
  coalesceMs?: number;
  /** Serializes answers per conversation: in process (embedded) or a Redis lease (cluster). */
  lock: KeyedLock;
}

const BOT_ANSWERS = new Set(["bot", "waiting_human"]);

/** Roles the bot may read: notes are private to agents and system lines are UI. */
const BOT_VISIBLE = new Set(["shopper", "bot", "agent"]);

/** The queue has parsed the payload with botReplyJobSchema before the handler runs. */
export function createBotReplyHandler(deps: BotReplyDeps): (job: Job<BotReplyJob>) => Promise<void> {
  // One answer at a time per conversation: two runs would read and save its bot state (the cart,
  // a pending verification) over each other and interleave their streams. In one process the
  // lock keeps queue order; across workers processes (Redis lock) a later message may win the
  // race, and then the earlier one is not answered separately (see "superseded" below).
  const { lock } = deps;
  return async ({ data }) => {
    await lock.run(`bot:${data.merchantId}:${data.conversationId}`, () => runBotReply(deps, data));
  };
}

export async function runBotReply(deps: Omit<BotReplyDeps, "lock">, data: BotReplyJob): Promise<{ message: Message | null; outcome: string }> {
  const { merchantId, conversationId } = data;
  const tenant = deps.store.forMerchant(asMerchantId(merchantId));
  const conversation = await tenant.conversations.get(conversationId);
  if (!conversation) throw new UnrecoverableError("conversation not found");
  // The bot answers conversations it handles, and shoppers waiting for a person (the service only
  // queues those when nobody is online and the merchant lets the bot answer meanwhile).
  if (!BOT_ANSWERS.has(conversation.status)) return { message: null, outcome: "skipped" };
  const trigger = await tenant.messages.get(data.triggerMessageId);
  if (!trigger || trigger.conversationId !== conversationId) throw new UnrecoverableError("trigger message not found");
  const answerId = botAnswerClientId(trigger.id);
  // Answered already: the engine must not run again (its cart and order steps have effects). An
  // answer a killed run left streaming is ended here with its text so far, not answered twice.
  const existing = await tenant.messages.getByClientMessageId(conversationId, answerId);
  if (existing) {
    if (existing.status === "streaming") await endOrphanedStream(deps, { merchantId, conversationId, messageId: existing.id });
    return { message: null, outcome: "skipped" };
  }
  // Superseded: a later shopper message was answered first (another workers process won the
  // lock); that answer saw this message in its history, so a late reply would only confuse.
  for (const later of await tenant.messages.listAfter(conversationId, trigger.seq, 50)) {
    if (later.role === "shopper" && (await tenant.messages.getByClientMessageId(conversationId, botAnswerClientId(later.id)))) {
      return { message: null, outcome: "skipped" };
    }
  }

  const history = (await tenant.messages.listLatest(conversationId, deps.historyLimit ?? 20)).filter(
    (m) => BOT_VISIBLE.has(m.role) && m.seq <= trigger.seq && m.status !== "streaming",
  );
  const shopperRoom = rooms.conversationShopper(merchantId, conversationId);
  const watchersRoom = rooms.conversationWatchers(merchantId, conversationId);

  const controller = new AbortController();
  let handle: StreamHandle | null = null;
  let message: Message | null = null;
  let text = "";
  const parts: MessagePart[] = [];
  let handoff: string | null = null;
  let failed: unknown = null;
  let answeredElsewhere = false;
  /** Stored on the answer: the intent it served, or FALLBACK_ANSWER (analytics reads it). */
  let answerIntent: string | null = null;

  /**
   * Records a piece of the answer in the stream record, then emits it: recorded before emitted, so
   * a resume's partial plus the deltas after it never leave a gap (PROTOCOL.md §6). One delta
   * object for both namespaces; each broadcast encodes it once for all of its sockets.
   */
  const deltas = new DeltaWindow(deps.coalesceMs ?? 0, async (piece, producedAt) => {
    const offset = await handle!.append(piece);
    const delta = { conversationId, messageId: message!.id, offset, text: piece };
    deps.emitter.toWidget(shopperRoom, "message:delta", delta);
    deps.emitter.toInbox(watchersRoom, "message:delta", delta);
    deps.metrics?.deltaLag.observe((performance.now() - producedAt) / 1000);
    if (offset === 0) deps.metrics?.firstDelta.observe(Math.max(0, Date.now() - Date.parse(trigger.createdAt)) / 1000);
  });

  /** The conversation as last read in this turn (the job's first read, then the one after the append). */
  let current = conversation;
  /** Creates the stored message and the stream record when the answer's first piece arrives. */
  const begin = async (): Promise<boolean> => {
    if (message) return true;
    // A takeover while the engine was thinking: stop before anything is stored or shown.
    const before = await tenant.conversations.get(conversationId);
    if (!before || !BOT_ANSWERS.has(before.status)) {
      controller.abort();
      return false;
    }
    const appended = await tenant.messages.append(conversationId, { role: "bot", text: "", status: "streaming", clientMessageId: answerId });
    if (appended.duplicate) {
      // Another run of this job got there first; its answer stands.
      answeredElsewhere = true;
      controller.abort();
      return false;
    }
    message = appended.message;
    handle = await deps.streams.start({ merchantId, conversationId, messageId: message.id, seq: message.seq });
    handle.signal.addEventListener("abort", () => controller.abort(), { once: true });
    // A takeover that landed between our first check and the stream record: honour it now.
    const now = await tenant.conversations.get(conversationId);
    if (!now || !BOT_ANSWERS.has(now.status)) {
      controller.abort();
      return false;
    }
    if (controller.signal.aborted) return false;
    // Read after the append, so it is the row the summary needs: the turn reuses it from here.
    current = now;
    await deps.conversations.messageStored(tenant, message, now);
    return true;
  };

  try {
    for await (const event of deps.bot.reply({ store: tenant, conversationId, history, locale: conversation.locale, conversation }, controller.signal)) {
      if (controller.signal.aborted) break;
      if (event.type === "intent") {
        await tenant.messages.update(trigger.id, { intent: event.intent });
        answerIntent = event.fallback ? FALLBACK_ANSWER : event.intent;
      } else if (event.type === "delta") {
        if (event.text.length === 0) continue;
        const producedAt = performance.now();
        if (!(await begin())) break;
        text += event.text;
        await deltas.push(event.text, producedAt);
      } else if (event.type === "part") {
        if (!(await begin())) break;
        parts.push(event.part);
      } else if (event.type === "handoff") {
        handoff = event.reason;
        // The engine may already have sent the handoff as a part; the message carries one.
        if (!parts.some((p) => p.type === "handoff")) parts.push({ type: "handoff", reason: event.reason });
      }
    }
    // Whatever the window still holds goes out before the final message (stopped answers too).
    await deltas.flush();
  } catch (err) {
    // An engine failure: what it produced still goes out (a failed send: dropped, `failed` covers it).
    await deltas.flush().catch(() => deltas.cancel());
    failed = err;
    deps.logger?.error({ err, conversationId }, "bot engine failed");
    // Nothing shown yet: let the queue retry. Something shown: end it here, never answer twice.
    if (!message) throw err;
  }

  const stopped = controller.signal.aborted || failed !== null;
  let final: Message | null = null;
  if (message) {
    const answer: Message = message;
    try {
      // A complete answer in a channel conversation also goes out to the channel (written with it).
      final = await deps.conversations.finishAnswer(
        tenant,
        answer,
        {
          text,
          parts: stopped ? parts.filter((p) => p.type !== "handoff") : parts,
          status: stopped ? "stopped" : "complete",
          intent: answerIntent,
        },
        current,
      );
    } catch (err) {
      // The final write failed (store busy, disk full): give the stream up with its text, so the
      // sweeper ends it as stopped; a retry of this job finds the answer and does not run again.
      await (handle as StreamHandle | null)?.abandon().catch(() => undefined);
      throw err;
    }
    // Store first, then forget the stream: a resume in between still finds the text somewhere.
    await (handle as StreamHandle | null)?.finish();
    // The store refreshed the preview when the final text was written (it is the answer's own).
    await deps.conversations.streamEnded(tenant, final);
  }
  if (answeredElsewhere) return { message: null, outcome: "skipped" };
  const outcome = failed ? "failed" : stopped ? "stopped" : "complete";
  deps.metrics?.streams.inc({ outcome });
  if (handoff !== null && !stopped) await deps.conversations.requestHuman(merchantId, conversationId, "bot", handoff);
  return { message: final, outcome };
}
