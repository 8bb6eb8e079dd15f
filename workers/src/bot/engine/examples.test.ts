// ../EXAMPLES.md is the demo store's conversation page: every exchange in it is replayed here
// against the store `npm start` seeds, and each answer must read exactly as written there.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotEngine, Store, TenantStore } from "@kaleem/shared";
import { Chat, openDemoBot } from "./fixture.test-helpers.js";

interface Exchange {
  shopper: string;
  bot: string;
}

/** Conversations of the page: split by "---" and headings; "**Shopper:**"/"**العميل:**" then the bot's lines. */
export function parseExamples(markdown: string): Exchange[][] {
  const conversations: Exchange[][] = [];
  let current: Exchange[] = [];
  let bot: string[] | null = null;
  const close = () => {
    if (bot && current.length > 0) current[current.length - 1]!.bot = bot.join("\n").trim();
    bot = null;
  };
  const flush = () => {
    close();
    if (current.length > 0) conversations.push(current);
    current = [];
  };
  for (const line of markdown.split("\n")) {
    const shopper = /^\*\*(?:Shopper|العميل):\*\* (.*)$/.exec(line);
    const answer = /^\*\*(?:Bot|البوت):\*\* (.*)$/.exec(line);
    if (line.startsWith("---") || line.startsWith("#")) flush();
    else if (shopper) {
      close();
      current.push({ shopper: shopper[1]!, bot: "" });
    } else if (answer) bot = [answer[1]!];
    else if (line.startsWith("*[") || line.trim() === "") close();
    else if (bot) bot.push(line);
  }
  flush();
  return conversations;
}

let store: Store;
let t: TenantStore;
let engine: BotEngine;
beforeAll(async () => {
  ({ store, t, engine } = await openDemoBot());
});
afterAll(async () => {
  await store.close();
});

const conversations = parseExamples(readFileSync(new URL("../EXAMPLES.md", import.meta.url), "utf8"));

describe("EXAMPLES.md against the seeded demo store", () => {
  it("has conversations in both languages", () => {
    expect(conversations.length).toBeGreaterThanOrEqual(10);
    expect(conversations.some((c) => /[\u0600-\u06FF]/.test(c[0]!.shopper))).toBe(true);
    for (const c of conversations) for (const e of c) expect(e.bot, e.shopper).not.toBe("");
  });

  for (const [i, exchanges] of conversations.entries()) {
    it(`conversation ${i + 1}: ${exchanges[0]!.shopper}`, async () => {
      const chat = await Chat.open(engine, t);
      for (const e of exchanges) expect((await chat.say(e.shopper)).text, e.shopper).toBe(e.bot);
    });
  }
});
