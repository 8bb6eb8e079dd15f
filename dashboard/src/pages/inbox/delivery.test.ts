import type { ChannelDelivery, ThreadMessage } from "@kaleem/shared/contracts";
import { describe, expect, it } from "vitest";
import { windowState } from "./delivery";

let seq = 0;
function msg(role: ThreadMessage["role"], delivery?: Partial<ChannelDelivery>): ThreadMessage {
  seq += 1;
  return {
    id: `m${seq}`,
    conversationId: "c1",
    seq,
    role,
    text: "text",
    parts: [],
    status: "complete",
    authorId: null,
    authorName: null,
    clientMessageId: null,
    intent: null,
    channelDelivery: delivery ? { channel: "whatsapp", state: "sent", providerMessageId: null, error: null, updatedAt: "2025-01-01T00:00:00.000Z", ...delivery } : null,
    createdAt: "2025-01-01T00:00:00.000Z",
    delivery: null,
  };
}
const closedFailure = { state: "failed", failure: "window_closed", error: "131047 Re-engagement message" } as const;

describe("the customer-service window as the composer sees it", () => {
  it("a WhatsApp send refused for a closed window closes the composer until the customer writes", () => {
    expect(windowState([msg("shopper"), msg("agent", closedFailure)])).toBe("closed");
    expect(windowState([msg("shopper"), msg("bot", closedFailure), msg("note")])).toBe("closed");
    expect(windowState([msg("agent", closedFailure), msg("shopper")])).toBeNull();
  });

  it("other failures, sends that got through since and webchat messages leave it open", () => {
    expect(windowState([msg("agent", { state: "failed", failure: "blocked" })])).toBeNull();
    expect(windowState([msg("agent", closedFailure), msg("agent", { state: "delivered" })])).toBeNull();
    expect(windowState([msg("shopper"), msg("bot")])).toBeNull();
    expect(windowState([])).toBeNull();
    // Queued sends after the failure do not reopen it.
    expect(windowState([msg("agent", closedFailure), msg("agent", { state: "queued" })])).toBe("closed");
  });

  it("on Messenger and Instagram a bot refused after 24 h still leaves a person 7 days; a person refused means closed", () => {
    expect(windowState([msg("shopper"), msg("bot", { ...closedFailure, channel: "messenger" })])).toBe("bot_only");
    expect(windowState([msg("bot", { ...closedFailure, channel: "instagram" }), msg("agent", { ...closedFailure, channel: "instagram" })])).toBe("closed");
    expect(windowState([msg("bot", { ...closedFailure, channel: "messenger" }), msg("agent", { state: "sent", channel: "messenger" })])).toBeNull();
  });
});
