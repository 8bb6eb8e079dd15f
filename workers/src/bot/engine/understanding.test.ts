// The small readers the dialogue relies on: what numbers are, which place is named, where a
// greeting ends.
import { describe, expect, it } from "vitest";
import { splitGreeting } from "./greeting.js";
import { typeNumbers } from "./numbers.js";
import { placeMentioned } from "./places.js";

const kinds = (text: string, context = {}) => typeNumbers(text, context).map((n) => `${n.kind}:${n.value}`);

describe("typeNumbers", () => {
  it("tells a price from an order number by the words around it", () => {
    expect(kinds("is delivery free if I spend 600?")).toEqual(["price:600"]);
    expect(kinds("is shipping free if my order is 750")).toEqual(["price:750"]);
    expect(kinds("where is my order 7788")).toEqual(["order:7788"]);
    expect(kinds("order #1001")).toEqual(["order:1001"]);
    expect(kinds("ولو طلبت بـ٣٥٠ يصير مجاني؟")).toEqual(["price:350"]);
    expect(kinds("رقم الطلب ٥٥٢١")).toEqual(["order:5521"]);
    expect(kinds("perfume under 200 riyals")).toEqual(["price:200"]);
  });

  it("reads phones, quantities, sizes, ages and durations", () => {
    expect(kinds("my number is 055 123 4567")).toEqual(["phone:551234567"]);
    expect(kinds("+966 55 123 4567")).toEqual(["phone:966551234567"]);
    expect(kinds("add 3 to my cart")).toEqual(["quantity:3"]);
    expect(kinds("2 pcs please")).toEqual(["quantity:2"]);
    expect(kinds("size 44")).toEqual(["size:44"]);
    expect(kinds("مقاس ٥٦")).toEqual(["size:56"]);
    expect(kinds("toys for a 4 year old")).toEqual(["age:4"]);
    expect(kinds("after 2 weeks")).toEqual(["days:14"]);
    expect(kinds("a tent for 6 people")).toEqual(["unknown:6"]);
  });

  it("uses the conversation: a bare number is a size when sizes are in view, an order number when one was asked", () => {
    expect(kinds("42?", { sizesInView: true })).toEqual(["size:42"]);
    expect(kinds("it's 4821", { awaitingOrderNumber: true })).toEqual(["order:4821"]);
    expect(kinds("42?")).toEqual(["unknown:42"]);
  });
});

describe("placeMentioned", () => {
  it("finds Saudi cities and nearby countries in English, Arabic (with attached prepositions) and Arabizi", () => {
    expect(placeMentioned("and hail?")?.en).toBe("Hail");
    expect(placeMentioned("وحائل؟")?.en).toBe("Hail");
    expect(placeMentioned("كم التوصيل للقصيم")?.en).toBe("Qassim");
    expect(placeMentioned("w el dammam?")?.en).toBe("Dammam");
    expect(placeMentioned("do you ship to dubai")).toMatchObject({ en: "Dubai", saudi: false });
    expect(placeMentioned("بالخبر")?.en).toBe("Khobar");
    expect(placeMentioned("do you have perfume")).toBeNull();
    // A weekday is not a city.
    expect(placeMentioned("جايني ضيوف الخميس")).toBeNull();
  });
});

describe("splitGreeting", () => {
  it("sets the greeting aside and keeps the question as the shopper wrote it", () => {
    expect(splitGreeting("hello, do you have dates?")).toEqual({ greeted: true, rest: "do you have dates?" });
    expect(splitGreeting("السلام عليكم ورحمة الله، عندكم عسل؟")).toEqual({ greeted: true, rest: "عندكم عسل؟" });
    expect(splitGreeting("Hi there! What's the price of the tent")).toEqual({ greeted: true, rest: "What's the price of the tent" });
    expect(splitGreeting("salam")).toEqual({ greeted: true, rest: "" });
    expect(splitGreeting("highlighter pens")).toEqual({ greeted: false, rest: "highlighter pens" });
  });
});
