// A stored webhook event's source decides which job processes it, for the route and the sweeper alike.
import { describe, expect, it } from "vitest";
import { CHANNEL_INBOUND_JOB, channelEventSource, COMMERCE_INBOUND_JOB, commerceEventSource, inboundJobFor } from "./jobs.js";

describe("inboundJobFor", () => {
  it("sends channel events to channel-inbound and commerce events to commerce-inbound, with distinct job ids", () => {
    const channel = inboundJobFor(channelEventSource("ch1"), "m1", "ev1");
    const commerce = inboundJobFor(commerceEventSource("co1"), "m1", "ev1");
    expect(channel).toEqual({ name: CHANNEL_INBOUND_JOB, data: { merchantId: "m1", webhookEventId: "ev1" }, jobId: "inbound-ev1" });
    expect(commerce).toEqual({ name: COMMERCE_INBOUND_JOB, data: { merchantId: "m1", webhookEventId: "ev1" }, jobId: "commerce-ev1" });
  });
});
