// An answer is stored as "streaming" from its first piece on. When its producer dies (a workers
// process killed mid-answer, a final store write that failed), nobody would ever end it: the
// shopper's bubble would spin forever and the inbox would show it live. The sweeper finds stored
// streams whose producer no longer holds them (StreamRegistry lease) and ends them as "stopped"
// with the text recorded so far, once, even with several workers processes sweeping side by side.
import { asMerchantId, type ConversationService, type Logger, type Message, type Store, type StreamRegistry, type SystemStore } from "@kaleem/shared";

export interface StreamSweepDeps {
  system: SystemStore;
  store: Store;
  streams: StreamRegistry;
  conversations: ConversationService;
  logger?: Logger;
}

/**
 * Ends one answer stored as streaming if its producer is gone; returns the stopped message, or
 * null when a producer still holds it or it was ended already.
 */
export async function endOrphanedStream(
  deps: Omit<StreamSweepDeps, "system" | "logger">,
  ref: { merchantId: string; conversationId: string; messageId: string },
): Promise<Message | null> {
  const reclaimed = await deps.streams.reclaim(ref);
  if (reclaimed.alive) return null;
  const tenant = deps.store.forMerchant(asMerchantId(ref.merchantId));
  // Conditional: a producer that finished in between keeps its final answer.
  const patch = reclaimed.text === null ? { status: "stopped" as const } : { status: "stopped" as const, text: reclaimed.text };
  const current = await tenant.messages.get(ref.messageId);
  if (!current || current.status !== "streaming" || current.conversationId !== ref.conversationId) return null;
  const final = await tenant.messages.update(ref.messageId, patch, { ifStatus: "streaming" });
  if (!final || final.status !== "stopped") return null;
  await deps.conversations.streamEnded(tenant, final);
  return final;
}

/** One pass over answers streaming for longer than `olderThanMs`; returns how many it ended. */
export async function sweepOrphanedStreams(deps: StreamSweepDeps, olderThanMs: number): Promise<number> {
  let ended = 0;
  for (const s of await deps.system.messages.listStreaming({ olderThanMs, limit: 500 })) {
    try {
      if (await endOrphanedStream(deps, { merchantId: s.merchantId, conversationId: s.conversationId, messageId: s.id })) ended += 1;
    } catch (err) {
      deps.logger?.warn({ err, messageId: s.id }, "orphaned answer not ended; next sweep retries");
    }
  }
  return ended;
}

export interface StreamSweeper {
  runOnce(olderThanMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Sweeps every `everyMs`. A stream younger than the producer's lease cannot have lapsed yet, so
 * each pass only looks at answers older than `leaseMs`.
 */
export function startStreamSweeper(deps: StreamSweepDeps & { leaseMs: number; everyMs?: number }): StreamSweeper {
  const everyMs = deps.everyMs ?? Math.max(500, Math.floor(deps.leaseMs / 2));
  let running: Promise<number> | null = null;
  let stopped = false;
  const runOnce = async (olderThanMs = deps.leaseMs): Promise<number> => {
    while (running) await running.catch(() => 0);
    const pass = sweepOrphanedStreams(deps, olderThanMs);
    running = pass;
    try {
      const ended = await pass;
      if (ended > 0) deps.logger?.warn({ ended }, "ended answers whose producer died");
      return ended;
    } finally {
      running = null;
    }
  };
  const timer = setInterval(() => {
    if (stopped || running) return;
    runOnce().catch((err: unknown) => deps.logger?.warn({ err }, "stream sweep failed"));
  }, everyMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
