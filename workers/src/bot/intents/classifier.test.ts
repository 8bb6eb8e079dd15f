import { ValidationError } from "@kaleem/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { LOW_CONFIDENCE_THRESHOLD, createIntentClassifier, defaultIntentClassifier, isLowConfidence, type IntentClassifier } from "./classifier.js";
import { normalizeText } from "../nlp/normalize.js";
import { HELD_OUT } from "./phrases.test-helpers.js";
import { builtInExamples } from "./training/index.js";
import { INTENTS } from "./types.js";

let classifier: IntentClassifier;
beforeAll(() => {
  classifier = defaultIntentClassifier();
});

describe("intent classifier on held-out phrases", () => {
  it("has no held-out phrase among its training examples", () => {
    const trained = new Set(builtInExamples().map((e) => normalizeText(e.text)));
    expect(HELD_OUT.filter((p) => trained.has(normalizeText(p.text)))).toEqual([]);
  });

  it("covers every intent in the held-out set", () => {
    expect(new Set(HELD_OUT.map((p) => p.intent))).toEqual(new Set(INTENTS));
  });

  for (const lang of ["en", "ar", "arabizi"] as const) {
    it(`classifies ${lang} phrases it never saw (accuracy >= 0.9)`, () => {
      const phrases = HELD_OUT.filter((p) => p.lang === lang);
      const wrong = phrases.filter((p) => classifier.classify(p.text).intent !== p.intent);
      const accuracy = 1 - wrong.length / phrases.length;
      expect(accuracy, `misclassified: ${wrong.map((w) => `${w.text} (${w.intent})`).join("; ")}`).toBeGreaterThanOrEqual(0.9);
    });
  }

  it("gets at least 96% of all held-out phrases right", () => {
    const right = HELD_OUT.filter((p) => classifier.classify(p.text).intent === p.intent).length;
    expect(right / HELD_OUT.length).toBeGreaterThanOrEqual(0.96);
  });
});

describe("intent classifier robustness", () => {
  it("treats Arabic-Indic digits like Western digits", () => {
    const a = classifier.classify("وين طلبي ١٢٣٤٥");
    const b = classifier.classify("وين طلبي 12345");
    expect(a.intent).toBe("order_status");
    expect(a).toEqual(b);
    expect(classifier.classify("ابي الغي الطلب رقم ۹۸۷۶")).toEqual(classifier.classify("ابي الغي الطلب رقم 9876"));
  });

  it("ignores diacritics, tatweel and letter-form variants", () => {
    const plain = classifier.classify("اريد الغاء طلبي");
    expect(plain.intent).toBe("order_change");
    expect(classifier.classify("أُرِيدُ إِلْغَاءَ طَلَبِي")).toEqual(plain);
    expect(classifier.classify("اريـــد الغـاء طلبـي")).toEqual(plain);
  });

  it("recognises short greetings and thanks in all three scripts", () => {
    for (const text of ["hi", "Hello!", "hey there", "good evening", "thanks a lot", "thank u", "السلام عليكم", "مرحبا", "هلا والله", "شكراً", "يعطيك العافية", "hala", "salam 3alaikum", "shukran"]) {
      const result = classifier.classify(text);
      expect(result.intent, text).toBe("greeting");
      expect(isLowConfidence(result), text).toBe(false);
    }
  });

  it("recognises requests for a human and complaints", () => {
    for (const text of ["talk to a human", "I want a real person", "agent please", "I want to make a complaint", "ابي اكلم موظف", "ابغى اكلم خدمة العملاء", "عندي شكوى", "abi akalim mowazaf", "3ndi shakwa"]) {
      const result = classifier.classify(text);
      expect(result.intent, text).toBe("human");
      expect(isLowConfidence(result), text).toBe(false);
    }
  });

  it("is not confident about gibberish", () => {
    for (const text of ["asdkjh qwpoeiru", "zzzzzz", "xkcd foo bar 1234", "lorem ipsum dolor", "ققق ثثث", "🙂🙂", "...", ""]) {
      const result = classifier.classify(text);
      expect(result.confidence, text).toBeLessThan(LOW_CONFIDENCE_THRESHOLD);
      expect(isLowConfidence(result), text).toBe(true);
    }
  });

  it("puts off-topic chatter in other or leaves it unsure", () => {
    for (const text of ["who won the game yesterday", "what's the capital of peru", "i am hungry", "can you write my essay"]) {
      const result = classifier.classify(text);
      expect(result.intent === "other" || isLowConfidence(result), `${text}: ${result.intent} ${result.confidence}`).toBe(true);
    }
  });

  it("returns a probability for every intent and a confidence in 0..1", () => {
    const result = classifier.classify("where is my order 556677");
    expect(Object.keys(result.scores).sort()).toEqual([...INTENTS].sort());
    const sum = Object.values(result.scores).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 6);
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(result.scores.order_status).toBe(Math.max(...Object.values(result.scores)));
  });

  it("trains deterministically", () => {
    const again = createIntentClassifier();
    for (const text of ["do you ship to Oman", "bkam hatha", "ابي فاتورة", "help me get my money back"]) {
      expect(again.classify(text)).toEqual(classifier.classify(text));
    }
  });
});

describe("merchant examples", () => {
  it("shift classification towards the merchant's intents", () => {
    const probe = "I want engraving on a pen";
    expect(classifier.classify(probe).intent).not.toBe("product_question");
    const merchant = createIntentClassifier({
      extraExamples: [
        { text: "do you offer engraving", intent: "product_question" },
        { text: "can you engrave a name on it", intent: "product_question" },
        { text: "engraving service", intent: "product_question" },
        { text: "هل يوجد حفر للاسم", intent: "product_question" },
      ],
    });
    const after = merchant.classify(probe);
    expect(after.intent).toBe("product_question");
    expect(merchant.exampleCount).toBe(classifier.exampleCount + 4);
  });

  it("rejects examples with an unknown intent or empty text", () => {
    expect(() => createIntentClassifier({ extraExamples: [{ text: "hello", intent: "smalltalk" }] })).toThrow(ValidationError);
    expect(() => createIntentClassifier({ extraExamples: [{ text: "   ", intent: "greeting" }] })).toThrow(ValidationError);
  });
});

describe("isLowConfidence", () => {
  it("compares against the threshold, or a merchant's own", () => {
    expect(isLowConfidence({ confidence: LOW_CONFIDENCE_THRESHOLD - 0.01 })).toBe(true);
    expect(isLowConfidence({ confidence: LOW_CONFIDENCE_THRESHOLD })).toBe(false);
    expect(isLowConfidence({ confidence: 0.7 }, 0.8)).toBe(true);
  });
});
