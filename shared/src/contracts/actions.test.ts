import { describe, expect, it } from "vitest";
import { actionText, isActionPayload, parseActionPayload } from "./actions.js";
import type { MessagePart } from "./domain.js";

const added = (name: string) => `Added ${name} to the cart`;
const offered: MessagePart[] = [
  { type: "product_card", productId: "p1", name: "Embroidered Black Bisht Abaya", price: 420, currency: "SAR", imageUrl: null, url: null, inStock: true },
  {
    type: "quick_replies",
    replies: [
      { label: "Add Embroidered Black Bisht…", payload: "add:p1", echo: "Added Embroidered Black Bisht Abaya to the cart" },
      { label: "Talk to a person", payload: "human" },
    ],
  },
];

describe("tapped actions", () => {
  it("read as what they did: the quick reply's echo, else its label, else the card's name", () => {
    expect(actionText("add:p1", [{ parts: offered }], added)).toBe("Added Embroidered Black Bisht Abaya to the cart");
    expect(actionText("human", [{ parts: offered }], added)).toBe("Talk to a person");
    // A card's own "Add" button (no quick reply for it) reads from the card's name.
    expect(actionText("add:p2", [{ parts: [{ ...offered[0]!, productId: "p2", name: "Midnight Crepe Abaya" } as MessagePart] }], added)).toBe("Added Midnight Crepe Abaya to the cart");
    // The newest offer wins; typed text is never rewritten.
    expect(actionText("add:p1", [{ parts: [] }, { parts: offered }], added)).toBe("Added Embroidered Black Bisht Abaya to the cart");
    expect(actionText("add the black one", [{ parts: offered }], added)).toBeNull();
    expect(actionText("add:zzz", [{ parts: offered }], added)).toBeNull();
  });

  it("parses the payload grammar the bot uses", () => {
    expect(parseActionPayload("add:p1:3")).toEqual({ kind: "add", id: "p1", quantity: 3 });
    expect(parseActionPayload(" intent:shipping ")).toEqual({ kind: "intent", intent: "shipping" });
    expect(parseActionPayload("confirm_order")).toEqual({ kind: "confirm_order" });
    expect(isActionPayload("add: p1")).toBe(false);
    expect(isActionPayload("hello")).toBe(false);
  });
});
