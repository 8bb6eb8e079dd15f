import { describe, expect, it } from "vitest";
import { customerServiceWindow } from "./window.js";

const now = new Date("2026-03-10T12:00:00.000Z");
const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();

describe("customerServiceWindow", () => {
  it("WhatsApp: free-form within 24 hours, a typed refusal after (and when the customer never wrote)", () => {
    expect(customerServiceWindow({ channel: "whatsapp", lastInboundAt: ago(23.9), author: "bot", now })).toEqual({ open: true, messagingType: null });
    expect(customerServiceWindow({ channel: "whatsapp", lastInboundAt: ago(24), author: "agent", now })).toEqual({ open: true, messagingType: null });
    const late = customerServiceWindow({ channel: "whatsapp", lastInboundAt: ago(24.01), author: "agent", now });
    expect(late).toMatchObject({ open: false, reason: "window_closed", closedAt: new Date(Date.parse(ago(24.01)) + 86_400_000).toISOString() });
    expect(late.open === false && late.message).toMatch(/^Window closed — send a template/);
    expect(customerServiceWindow({ channel: "whatsapp", lastInboundAt: null, author: "bot", now })).toMatchObject({ open: false, closedAt: null });
  });

  it("Messenger and Instagram: RESPONSE within 24 h, HUMAN_AGENT for agents within 7 days, never for the bot", () => {
    for (const channel of ["messenger", "instagram"] as const) {
      expect(customerServiceWindow({ channel, lastInboundAt: ago(2), author: "bot", now })).toEqual({ open: true, messagingType: "RESPONSE" });
      expect(customerServiceWindow({ channel, lastInboundAt: ago(30), author: "agent", now })).toEqual({ open: true, messagingType: "MESSAGE_TAG", tag: "HUMAN_AGENT" });
      expect(customerServiceWindow({ channel, lastInboundAt: ago(30), author: "bot", now })).toMatchObject({ open: false, reason: "window_closed" });
      expect(customerServiceWindow({ channel, lastInboundAt: ago(24 * 7 + 1), author: "agent", now })).toMatchObject({ open: false, reason: "window_closed" });
    }
  });

  it("Telegram has no window; an unreadable last time counts as never", () => {
    expect(customerServiceWindow({ channel: "telegram", lastInboundAt: null, author: "bot", now })).toEqual({ open: true, messagingType: null });
    expect(customerServiceWindow({ channel: "whatsapp", lastInboundAt: "yesterday-ish", author: "bot", now })).toMatchObject({ open: false });
  });
});
