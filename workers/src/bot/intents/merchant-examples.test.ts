import { beforeAll, describe, expect, it } from "vitest";
import { createIntentClassifier, type IntentClassifier } from "./classifier.js";
import { MERCHANT_EXAMPLE_MIN_SIMILARITY, withMerchantExamples } from "./merchant-examples.js";

let base: IntentClassifier;
beforeAll(() => {
  base = createIntentClassifier();
});

describe("merchant intent examples", () => {
  it("a message close to a merchant example takes its intent; others keep the model's", () => {
    const message = "the sadu cushion smelled of oud when it came, lovely";
    expect(base.classify(message).intent).not.toBe("feedback");
    const withExamples = withMerchantExamples(base, [{ text: "the sadu cushion smelled of oud when it came", intent: "feedback" }]);
    const r = withExamples.classify(message);
    expect(r.intent).toBe("feedback");
    expect(r.confidence).toBeGreaterThanOrEqual(MERCHANT_EXAMPLE_MIN_SIMILARITY);
    expect(withExamples.classify("where is my order 1001?").intent).toBe(base.classify("where is my order 1001?").intent);
  });

  it("matches across Arabic spelling variants and Arabizi", () => {
    const withExamples = withMerchantExamples(base, [{ text: "ابغى اكلم ابو فهد", intent: "human" }]);
    expect(withExamples.classify("أبغى أكلم أبو فهد").intent).toBe("human");
    expect(withExamples.classify("abgha akallem abu fahad").intent).toBe("human");
  });

  it("with no examples the base classifier is used as is", () => {
    expect(withMerchantExamples(base, [])).toBe(base);
  });
});
