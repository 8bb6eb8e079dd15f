// After a crash, answers that were streaming in a dead process stay "streaming" in the store.
// This ends them as "stopped" with the text they had, unless a live producer still holds them.
import { asMerchantId, type ConversationService, type Store, type StreamRegistry } from "@kaleem/shared";

export async function stopOrphanedStreams(deps: { store: Store; streams: StreamRegistry; conversations: ConversationService }): Promise<number> {
  let stopped = 0;
  for (const merchantId of await deps.store.lookup.merchantIds()) {
    const tenant = deps.store.forMerchant(asMerchantId(merchantId));
    for (const message of await tenant.messages.listStreaming()) {
      const live = await deps.streams.partials(merchantId, message.conversationId);
      if (live.some((p) => p.messageId === message.id)) continue;
      const final = await tenant.messages.update(message.id, { status: "stopped" });
      if (final) await deps.conversations.streamEnded(tenant, final);
      stopped += 1;
    }
  }
  return stopped;
}
