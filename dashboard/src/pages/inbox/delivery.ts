// What the inbox makes of channel delivery states: whether the customer-service window has closed
// on the agent (so the composer says so instead of sending into the void).
import type { ThreadMessage } from "@kaleem/shared/contracts";

/**
 * closed: a send failed because the window closed and nothing has reached the customer since, nor
 * have they written (WhatsApp after 24 h; Messenger and Instagram after 7 days, even for a person).
 * bot_only: on Messenger or Instagram the bot's 24 h are over, but a person may still reply for
 * up to 7 days after the customer's last message (with the HUMAN_AGENT tag).
 */
export type WindowState = "closed" | "bot_only" | null;

export function windowState(messages: readonly ThreadMessage[]): WindowState {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    // The customer wrote since: the window is open again.
    if (m.role === "shopper") return null;
    const d = m.channelDelivery;
    if (!d) continue;
    // Something reached the customer since the failure.
    if (d.state === "sent" || d.state === "delivered" || d.state === "read") return null;
    if (d.state === "failed" && d.failure === "window_closed") {
      return (d.channel === "messenger" || d.channel === "instagram") && m.role === "bot" ? "bot_only" : "closed";
    }
  }
  return null;
}
