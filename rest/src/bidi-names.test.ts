// Issue 15, item 11: bidi override, embedding and isolate controls in names and labels. A name like
// "Ali\u202Egnp.exe" would show agents and shoppers something other than what is stored, and an
// unclosed override reorders the text around it. Every name-like field drops them; other text
// (descriptions, message text) keeps its characters.
import { asMerchantId } from "@kaleem/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

// LRE RLE PDF LRO RLO, LRI RLI FSI PDI, and a deprecated format control.
const CONTROLS = ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u206E"];
const hasControl = (text: string) => CONTROLS.some((c) => text.includes(c));
const spoof = (visible: string) => `\u202E${visible}\u2066x\u2069\u202C`;

let t: TestRest;
let owner: Session;
beforeAll(async () => {
  t = await startTestRest();
  owner = await t.signup("\u202Egnp.exe Store");
});
afterAll(async () => t?.close());

const api = (method: string, path: string, body?: unknown) => t.request(method, `/api/v1${path}`, { token: owner.token, body });

describe("names and labels lose bidi controls at the boundary", () => {
  it("store name at signup", async () => {
    const me = await api("GET", "/me");
    expect(me.body.merchant.name.startsWith("gnp.exe Store")).toBe(true);
    expect(hasControl(me.body.merchant.name)).toBe(false);
  });

  it("team member names, on invite and on rename", async () => {
    const invited = await api("POST", "/team", { email: `bidi-${Date.now()}@example.com`, name: spoof("Omar"), role: "agent" });
    expect(invited.status).toBe(201);
    expect(invited.body.user.name).toBe("Omarx");
    const renamed = await api("PATCH", `/team/${invited.body.user.id}`, { name: ` ${CONTROLS.join("")} Omar Saleh ` });
    expect(renamed.body.name).toBe("Omar Saleh");
  });

  it("a name made only of controls is an empty name, refused", async () => {
    const res = await api("POST", "/team", { email: `empty-${Date.now()}@example.com`, name: CONTROLS.join(""), role: "agent" });
    expect(res.status).toBe(400);
  });

  it("product and category names in both languages, while descriptions keep their text", async () => {
    const product = await api("POST", "/products", {
      name: { en: spoof("Abaya"), ar: "\u202Bعباية\u202C" },
      description: { en: "Keeps \u202Ethis\u202C as typed" },
      price: 10,
    });
    expect(product.status).toBe(201);
    expect(product.body.name).toEqual({ en: "Abayax", ar: "عباية" });
    expect(product.body.description.en).toBe("Keeps \u202Ethis\u202C as typed");
    const patched = await api("PATCH", `/products/${product.body.id}`, { name: { en: "\u2067Shemagh\u2069" } });
    expect(patched.body.name.en).toBe("Shemagh");

    const category = await api("POST", "/categories", { slug: "bidi", name: { en: spoof("Gifts") } });
    expect(category.status).toBe(201);
    expect(category.body.name.en).toBe("Giftsx");
  });

  it("channel names, knowledge titles, conversation labels and order contact names", async () => {
    const channel = await api("POST", "/channels", {
      type: "telegram",
      name: spoof("Shop bot"),
      config: { botToken: "123456789:AAE-tg-bot-token-aaa", secretToken: "tg_secret_bbb" },
    });
    expect(channel.status).toBe(201);
    expect(channel.body.name).toBe("Shop botx");

    const faq = await api("POST", "/knowledge", {
      title: spoof("Hours"),
      data: { kind: "faq", faq: { question: { en: "When?" }, answer: { en: "Always" } } },
    });
    expect(faq.status).toBe(201);
    expect(faq.body.title).toBe("Hoursx");

    const product = await api("POST", "/products", { name: { en: "Dates" }, price: 5, stock: 5 });
    const order = await api("POST", "/orders", { items: [{ productId: product.body.id, quantity: 1 }], contact: { name: spoof("Sara"), phone: "+966500000001" } });
    expect(order.status).toBe(201);
    expect(order.body.contact.name).toBe("Sarax");
  });
});

describe("conversation labels", () => {
  it("are stripped too", async () => {
    const { conversation } = await seedConversation();
    const res = await api("PATCH", `/conversations/${conversation}`, { labels: [spoof("vip"), "\u202Dreturns"] });
    expect(res.status).toBe(200);
    expect(res.body.labels).toEqual(["vipx", "returns"]);
  });
});

/** A webchat conversation straight through the store (REST has no route that opens one). */
async function seedConversation(): Promise<{ conversation: string }> {
  const tenant = t.store.forMerchant(asMerchantId(owner.merchantId));
  const created = await tenant.conversations.create({ channel: "webchat", visitorId: `v-${Date.now()}` });
  return { conversation: created.id };
}
