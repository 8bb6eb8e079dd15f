// A stored webhook event's source decides which job processes it, for the route and the sweeper alike.
import { describe, expect, it } from "vitest";
import { parseJobData, validateJobInput } from "../ports/queue.js";
import { CHANNEL_INBOUND_JOB, channelEventSource, COMMERCE_INBOUND_JOB, commerceEventSource, inboundJobFor, jobSchemas, JOB_TRACE_KEY } from "./jobs.js";

describe("inboundJobFor", () => {
  it("sends channel events to channel-inbound and commerce events to commerce-inbound, with distinct job ids", () => {
    const channel = inboundJobFor(channelEventSource("ch1"), "m1", "ev1");
    const commerce = inboundJobFor(commerceEventSource("co1"), "m1", "ev1");
    expect(channel).toEqual({ name: CHANNEL_INBOUND_JOB, data: { merchantId: "m1", webhookEventId: "ev1" }, jobId: "inbound-ev1" });
    expect(commerce).toEqual({ name: COMMERCE_INBOUND_JOB, data: { merchantId: "m1", webhookEventId: "ev1" }, jobId: "commerce-ev1" });
  });
});

describe("the trace context in a job payload", () => {
  const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const payload = { merchantId: "m1", webhookEventId: "ev1" };

  it("survives the schema on both ends of the queue, next to the parsed payload", () => {
    const added = validateJobInput(jobSchemas, CHANNEL_INBOUND_JOB, { ...payload, [JOB_TRACE_KEY]: { traceparent, tracestate: "k=v" } });
    expect(added).toEqual({ ...payload, [JOB_TRACE_KEY]: { traceparent, tracestate: "k=v" } });
    expect(parseJobData(jobSchemas, CHANNEL_INBOUND_JOB, added)).toEqual(added);
  });

  it("is dropped when it is not a W3C traceparent, and absent when none was given", () => {
    expect(validateJobInput(jobSchemas, CHANNEL_INBOUND_JOB, { ...payload, [JOB_TRACE_KEY]: { traceparent: "00-zz-1-01" } })).toEqual(payload);
    expect(parseJobData(jobSchemas, CHANNEL_INBOUND_JOB, { ...payload, [JOB_TRACE_KEY]: "00-x" })).toEqual(payload);
    expect(validateJobInput(jobSchemas, CHANNEL_INBOUND_JOB, payload)).toEqual(payload);
  });
});
