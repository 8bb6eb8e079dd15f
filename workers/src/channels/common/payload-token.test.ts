import { describe, expect, it } from "vitest";
import type { MessagePart } from "@kaleem/shared";
import { choicePayloads, isPayloadToken, payloadToken, providerPayload, resolveProviderPayload } from "./payload-token.js";

const long = `add:${"p".repeat(64)}:12`;

describe("provider payload tokens", () => {
  it("keeps a payload that fits, and tokenizes one that does not, within 64 bytes", () => {
    expect(providerPayload("human", { maxBytes: 64 })).toBe("human");
    const token = providerPayload(long, { maxBytes: 64 });
    expect(isPayloadToken(token)).toBe(true);
    expect(Buffer.byteLength(token)).toBeLessThanOrEqual(64);
    // Arabic counts two bytes a letter: 40 letters are 80 bytes.
    expect(isPayloadToken(providerPayload("ا".repeat(40), { maxBytes: 64 }))).toBe(true);
    expect(providerPayload("ا".repeat(40), { maxChars: 200 })).toBe("ا".repeat(40));
  });

  it("is deterministic and resolves against the payloads of the message the button was on", () => {
    expect(payloadToken(long)).toBe(payloadToken(long));
    expect(payloadToken(long)).not.toBe(payloadToken(`${long}3`));
    expect(resolveProviderPayload(payloadToken(long), ["human", long])).toBe(long);
    expect(resolveProviderPayload("human", [])).toBe("human");
    expect(resolveProviderPayload(payloadToken(long), ["human"])).toBeNull();
  });

  it("never passes a payload that looks like a token through untouched", () => {
    const lookalike = payloadToken("x");
    expect(providerPayload(lookalike, { maxBytes: 64 })).toBe(payloadToken(lookalike));
    expect(resolveProviderPayload(providerPayload(lookalike, { maxBytes: 64 }), [lookalike])).toBe(lookalike);
  });

  it("lists the payloads a message offers: quick replies and in-stock product cards", () => {
    const parts: MessagePart[] = [
      { type: "quick_replies", replies: [{ label: "Person", payload: "human" }] },
      { type: "product_card", productId: "p1", name: "Box", price: 10, currency: "SAR", imageUrl: null, url: null, inStock: true },
      { type: "product_card", productId: "p2", name: "Gone", price: 10, currency: "SAR", imageUrl: null, url: null, inStock: false },
    ];
    expect(choicePayloads(parts)).toEqual(["human", "add:p1"]);
  });
});
