import { describe, expect, it } from "vitest";
import { analyze, stemWord } from "./analyze.js";
import { parseQuery } from "./constraints.js";
import { allowedCost, arabiziMatches, fuzzyMatches, weightedDistance } from "./fuzzy.js";

const price = (q: string) => {
  const c = parseQuery(q).constraints;
  return [c.minPrice, c.maxPrice];
};

describe("Arabic and English analysis", () => {
  it("stems the article, proclitics, feminine and plural endings to one form", () => {
    const s = (w: string) => stemWord(analyze(w).tokens[0]?.norm ?? "");
    expect(s("عباية")).toBe(s("العبايات"));
    expect(s("عبايه")).toBe(s("عبايات"));
    expect(s("بالهيل")).toBe(s("هيل"));
    expect(s("للشعر")).toBe(s("شعر"));
    expect(s("التمور")).toBe(s("تمر"));
    expect(s("كهربائية")).toBe(s("كهربائي"));
    expect(s("تمرية")).not.toBe(s("تمر"));
    expect(s("dresses")).toBe(s("dress"));
    expect(s("batteries")).toBe(s("battery"));
    expect(s("charging")).toBe(s("charge"));
  });

  it("splits glued units and reads thousands", () => {
    expect(analyze("شاحن متنقل ١٥ الف").tokens.map((t) => t.norm)).toContain("15000");
    expect(analyze("20000mAh").tokens.map((t) => t.norm)).toEqual(["20000mah", "20000", "mah"]);
    expect(analyze("20k").tokens.map((t) => t.norm)).toEqual(["20000"]);
  });

  it("maps words of any language to shared concepts", () => {
    const ids = (q: string) => analyze(q).concepts.map((c) => c.id);
    expect(ids("perfume")).toContain("§perfume");
    expect(ids("العطور")).toContain("§perfume");
    expect(ids("جوال")).toContain("§phone");
    expect(ids("trainers")).toContain("§sneakers");
    expect(ids("غترة")).toContain("§shemagh");
    expect(ids("باور بانك")).toContain("§powerbank");
  });

  it("recognises situations the shopper describes, in English, Arabic and the Gulf dialect", () => {
    const ids = (q: string) => analyze(q).concepts.map((c) => c.id);
    expect(ids("something to keep me warm")).toContain("§n:warmth");
    expect(ids("شي يدفيني")).toContain("§n:warmth");
    expect(ids("أغراض الكشتة")).toContain("§n:camping");
    expect(ids("عندنا عزيمة")).toContain("§n:hosting");
    expect(ids("a thermos that keeps coffee hot")).toContain("§n:hotdrinks");
  });
});

describe("typo and Arabizi matching", () => {
  it("charges half for dropped or doubled vowels", () => {
    expect(weightedDistance("conditionr", "conditioner", 2)).toBe(0.5);
    expect(weightedDistance("kaftaan", "kaftan", 2)).toBe(0.5);
    expect(weightedDistance("abya", "abaya", 2)).toBe(0.5);
    expect(weightedDistance("sofa", "soft", 2)).toBe(1);
    expect(allowedCost("sofa")).toBe(0.5);
    expect(allowedCost("كنب")).toBe(0);
  });

  it("finds close vocabulary words and nothing for unrelated ones", () => {
    const vocab = ["abaya", "conditioner", "soft", "medjool", "perfume"];
    expect(fuzzyMatches("abya", vocab).map((m) => m.term)).toEqual(["abaya"]);
    expect(fuzzyMatches("medjol", vocab).map((m) => m.term)).toEqual(["medjool"]);
    expect(fuzzyMatches("sofa", vocab)).toEqual([]);
    expect(fuzzyMatches("laptop", vocab)).toEqual([]);
  });

  it("reads Arabizi against Arabic vocabulary by consonant outline", () => {
    const vocab = ["عباي", "قهو", "شماغ", "خيم"];
    expect(arabiziMatches("3abaya", vocab).map((m) => m.term)).toContain("عباي");
    expect(arabiziMatches("gahwa", vocab).map((m) => m.term)).toContain("قهو");
    expect(arabiziMatches("khaima", vocab).map((m) => m.term)).toContain("خيم");
    expect(arabiziMatches("tyres", vocab)).toEqual([]);
  });
});

describe("parseQuery", () => {
  it("reads price ceilings, floors and ranges in SAR with Western or Arabic-Indic digits", () => {
    expect(price("perfume under 200")).toEqual([null, 200]);
    expect(price("less than 200 riyals")).toEqual([null, 200]);
    expect(price("أقل من ٢٠٠ ريال")).toEqual([null, 200]);
    expect(price("اقل من 100 ريال")).toEqual([null, 100]);
    expect(price("عطر تحت 150")).toEqual([null, 150]);
    expect(price("between 100 and 300")).toEqual([100, 300]);
    expect(price("from 50 to 80 SAR")).toEqual([50, 80]);
    expect(price("من ٥٠ الى ٨٠ ريال")).toEqual([50, 80]);
    expect(price("بين 300 و 100")).toEqual([100, 300]);
    expect(price("over 500")).toEqual([500, null]);
    expect(price("أكثر من ٥٠٠ ريال")).toEqual([500, null]);
    expect(price("والميزانية حدود ٤٠٠ ريال")).toEqual([null, 400]);
    expect(price("my budget is 250")).toEqual([null, 250]);
    expect(price("gift 300 sar")).toEqual([null, 300]);
    expect(price("under 200sar")).toEqual([null, 200]);
    expect(price("عبايات سوداء بأقل من ٢٠٠ ريال؟")).toEqual([null, 200]);
    expect(price("عطر بـ٣٠٠ريال")).toEqual([null, 300]);
    // "doesn't go past": the verb agrees with the thing priced (هدية is feminine).
    expect(price("ودي بهدية لعمتي ما تتعدى ١٥٠")).toEqual([null, 150]);
    expect(price("ساعة لا تتجاوز 400 ريال")).toEqual([null, 400]);
    expect(price("شنطة ما تزيد عن ٢٥٠")).toEqual([null, 250]);
  });

  it("does not mistake sizes, capacities or ages for prices", () => {
    expect(price("battery 10000 mah")).toEqual([null, null]);
    expect(price("iphone 15")).toEqual([null, null]);
    expect(price("toys for under 5 years")).toEqual([null, null]);
    const p = parseQuery("toys for my son who is 7 years old");
    expect(p.constraints.age).toBe(7);
    expect(parseQuery("my son is 7 and loves cars").constraints.age).toBe(7);
  });

  it("reads colours in English, Arabic (masculine, feminine, plural, dialect) and Arabizi", () => {
    const colours = (q: string) => parseQuery(q).constraints.colours;
    expect(colours("black kaftan")).toEqual(["black"]);
    for (const q of ["عباية سوداء", "ثوب أسود", "عبايات سود", "عباية سودا", "3abaya sawda"]) expect(colours(q), q).toEqual(["black"]);
    expect(colours("غترة بيضاء")).toEqual(["white"]);
    expect(colours("شماغ أحمر")).toEqual(["red"]);
    expect(colours("فستان حمراء")).toEqual(["red"]);
    expect(colours("ثوب كحلي")).toEqual(["navy"]);
    // A colour word inside a product name is not a colour requirement.
    expect(colours("احمر شفاه")).toEqual([]);
    expect(colours("black tea")).toEqual([]);
  });

  it("reads material, size, audience and the wish for something cheap", () => {
    const c = (q: string) => parseQuery(q).constraints;
    expect(c("linen abaya").materials).toEqual(["linen"]);
    expect(c("ثوب قطن").materials).toEqual(["cotton"]);
    expect(c("abaya size 54").sizes).toEqual(["54"]);
    expect(c("عباية مقاس ٥٦").sizes).toEqual(["56"]);
    expect(c("ساعة رجالية").audience).toBe("men");
    // Who comes along is not who the product is for.
    expect(c("camping with my kids").audience).toBeNull();
    expect(c("رحلة مع عيالي").audience).toBeNull();
    expect(c("perfume for my wife").audience).toBe("women");
    expect(c("ساعة للأطفال").audience).toBe("kids");
    expect(c("gift for my son").audience).toBe("kids");
    expect(c("unisex perfume").audience).toBeNull();
    expect(c("cheap earbuds").cheap).toBe(true);
    expect(c("سماعات رخيصة").cheap).toBe(true);
  });
});
