import { describe, expect, it } from "vitest";
import { formatDays, formatMoney, pickLanguage } from "./lang.js";
import { samePhone, toE164 } from "@kaleem/shared";
import { isNo, isYes, parseEmail, parseOrderNumber, parsePhone, parseQuantity, startsWithAny } from "./words.js";
import { wordChunks } from "./stream.js";

describe("dialogue words", () => {
  it("reads quantities in digits, Arabic-Indic digits and words", () => {
    expect(parseQuantity("add 2 of the black one")).toBe(2);
    expect(parseQuantity("ضيف ٣ من العباية")).toBe(3);
    expect(parseQuantity("two of them please")).toBe(2);
    expect(parseQuantity("ابي حبتين")).toBe(2);
    expect(parseQuantity("add the black one")).toBeNull();
  });

  it("tells order numbers from phone numbers", () => {
    expect(parseOrderNumber("where is order #1001?")).toBe("1001");
    expect(parseOrderNumber("وين طلبي ١٠٠٢")).toBe("1002");
    expect(parseOrderNumber("0551234567")).toBeNull();
    expect(parsePhone("my number is +966 55 123 4567")).toBe("966551234567");
    expect(parsePhone("1001")).toBeNull();
    expect(parseEmail("it's Noura@Example.com.")).toBe("noura@example.com");
  });

  it("compares Saudi phone numbers across formats, in E.164", () => {
    for (const typed of ["0551234567", "+966551234567", "00966 55 123 4567", "٠٥٥١٢٣٤٥٦٧", "551234567", "+966-55-123-4567"]) {
      expect(toE164(typed), typed).toBe("+966551234567");
      expect(samePhone(typed, "0551234567"), typed).toBe(true);
    }
    expect(samePhone("0551234568", "0551234567")).toBe(false);
    // Another country's number keeps its own code.
    expect(toE164("+971 50 123 4567")).toBe("+971501234567");
    expect(toE164("call me")).toBeNull();
    expect(toE164("1234")).toBeNull();
  });

  it("understands short yes/no answers in both languages", () => {
    expect(isYes("yes please")).toBe(true);
    expect(isYes("تمام")).toBe(true);
    expect(isYes("yes but no")).toBe(false);
    expect(isNo("لا")).toBe(true);
    expect(isNo("cancel")).toBe(true);
    expect(isYes("is the navy thobe in stock in size large or not")).toBe(false);
  });

  it("spots commands at the start of a message", () => {
    expect(startsWithAny("please add the black one", ["add"])).toBe(true);
    expect(startsWithAny("ضيف ٢", ["ضيف"])).toBe(true);
    expect(startsWithAny("do you add gift wrap?", ["add"])).toBe(false);
  });
});

describe("language and formatting", () => {
  it("answers Arabic script in Arabic, Latin in English, and keeps the language for digits and payloads", () => {
    expect(pickLanguage("عندكم عبايات؟", null, "en")).toBe("ar");
    expect(pickLanguage("do you have abayas?", "ar", "ar")).toBe("en");
    expect(pickLanguage("0551234567", "ar", null)).toBe("ar");
    expect(pickLanguage("add:abc", "en", "ar", true)).toBe("en");
    expect(pickLanguage("3ndkom 3abayat?", "ar", null)).toBe("ar");
    expect(pickLanguage("12345", null, null)).toBe("en");
  });

  it("formats money and day ranges", () => {
    expect(formatMoney(189, "SAR", "en")).toBe("189 SAR");
    expect(formatMoney(189, "SAR", "ar")).toBe("189 ر.س");
    expect(formatMoney(12.5, "SAR", "en")).toBe("12.50 SAR");
    expect(formatDays(2, 4, "en")).toBe("2–4 business days");
    expect(formatDays(1, 1, "en")).toBe("1 business day");
  });

  it("splits text into word chunks that join back exactly", () => {
    const text = "Here are some options:\n• Navy Thobe — 189 SAR\n";
    const chunks = wordChunks(text);
    expect(chunks.join("")).toBe(text);
    expect(chunks.every((c) => c.trim().split(/\s+/).length === 1)).toBe(true);
  });
});

describe("Arabic spelling variants in the word lists", () => {
  it("ordinals match with hamza, alef maqsura and taa marbuta as shoppers write them", async () => {
    const { parseOrdinal } = await import("./words.js");
    expect(parseOrdinal("ضيف الأولى")).toBe(0);
    expect(parseOrdinal("ضيف الاولى")).toBe(0);
    expect(parseOrdinal("أبي الثانية")).toBe(1);
    expect(parseOrdinal("الثالثة لو سمحت")).toBe(2);
    expect(parseOrdinal("الأخيرة")).toBe(-1);
  });
});
