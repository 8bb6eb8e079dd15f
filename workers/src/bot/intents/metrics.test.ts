import { Metrics } from "@kaleem/shared";
import { describe, expect, it } from "vitest";
import { LOW_CONFIDENCE_THRESHOLD } from "./classifier.js";
import { registerIntentMetrics } from "./metrics.js";

describe("intent metrics", () => {
  it("counts messages per intent and the low-confidence ones", async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const counter = registerIntentMetrics(metrics);
    counter.record({ intent: "shipping", confidence: 0.9 });
    counter.record({ intent: "shipping", confidence: 0.8 });
    counter.record({ intent: "other", confidence: LOW_CONFIDENCE_THRESHOLD / 2 });
    const { body } = await metrics.render();
    expect(body).toContain('bot_intents_total{intent="shipping"} 2');
    expect(body).toContain('bot_intents_total{intent="other"} 1');
    expect(body).toContain('bot_intents_low_confidence_total{intent="other"} 1');
    expect(body).not.toContain('bot_intents_low_confidence_total{intent="shipping"}');
    // Registering twice on one registry reuses the instruments instead of failing.
    registerIntentMetrics(metrics).record({ intent: "shipping", confidence: 0.9 });
    expect((await metrics.render()).body).toContain('bot_intents_total{intent="shipping"} 3');
  });
});
