// A shopper handed to the team while nobody is online keeps getting factual answers from the
// real bot (the merchant can turn that off); with an agent online the bot stays out of it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, type DemoInfo, type Message } from "@kaleem/shared";
import { Recorder, closeAllClients, connected, inboxClient, login, ok, openConversation, startTestKaleem, until, widgetClient, type TestKaleem } from "./realtime.test-helpers.js";

let t: TestKaleem;
let demo: DemoInfo;
beforeAll(async () => {
  t = await startTestKaleem({ seedDemo: true });
  demo = JSON.parse(readFileSync(path.join(t.dataDir, "demo.json"), "utf8")) as DemoInfo;
});
afterEach(async () => {
  closeAllClients();
  await t.k.store.forMerchant(asMerchantId(demo.merchantId)).merchant.update({ bot: { whileWaiting: "answer" } });
});
afterAll(async () => t?.close());

async function shopper() {
  const socket = widgetClient(t.k.url, demo.widgetKey, { origin: t.k.url });
  await connected(socket);
  const rec = new Recorder(socket);
  const open = await openConversation(t.k.store, socket, demo.merchantId, { locale: "en" });
  let n = 0;
  const say = async (text: string) => (await ok<{ message: Message }>(socket, "message:send", { conversationId: open.conversationId, clientMessageId: `w-${++n}`, text })).message;
  const botAfter = (seq: number) => rec.dones.filter((m) => m.role === "bot" && m.seq > seq);
  return { socket, rec, conversationId: open.conversationId, say, botAfter };
}

async function handOff(s: Awaited<ReturnType<typeof shopper>>) {
  const asked = await s.say("I want to talk to a person please");
  await until(() => s.botAfter(asked.seq).length > 0, "handoff answer");
  const tenant = t.k.store.forMerchant(asMerchantId(demo.merchantId));
  await until(async () => (await tenant.conversations.get(s.conversationId))?.status === "waiting_human", "waiting for a person");
}

describe("while a shopper waits for a person", () => {
  it("with nobody online, the bot still answers what the store's data answers, and never hands off again", async () => {
    const s = await shopper();
    await handOff(s);
    const question = await s.say("how much is delivery to Jeddah?");
    await until(() => s.botAfter(question.seq).length > 0, "a factual answer while waiting");
    const reply = s.botAfter(question.seq)[0]!;
    expect(reply.text).toContain("30 SAR");
    expect(reply.parts.some((p) => p.type === "handoff")).toBe(false);
    // A question only a person can handle is not guessed at: the shopper hears when someone replies.
    const change = await s.say("please cancel my order 1001");
    await until(() => s.botAfter(change.seq).length > 0, "the when-someone-replies line");
    expect(s.botAfter(change.seq)[0]!.text).toMatch(/team member will reply here/);
  });

  it("stays silent when the merchant chose so, and when an agent is online", async () => {
    const tenant = t.k.store.forMerchant(asMerchantId(demo.merchantId));
    await tenant.merchant.update({ bot: { whileWaiting: "silent" } });
    const quiet = await shopper();
    await handOff(quiet);
    const unanswered = await quiet.say("how much is delivery to Jeddah?");
    // An agent answers next; nothing from the bot comes before (or after) it.
    const token = await login(t.k.url, demo.email, demo.password);
    const agent = inboxClient(t.k.url, token);
    await connected(agent);
    await ok(agent, "message:send", { conversationId: quiet.conversationId, clientMessageId: "agent-1", text: "Hi, I'm here" });
    await until(() => quiet.rec.dones.some((m) => m.role === "agent") || quiet.rec.news.some((m) => m.role === "agent"), "the agent's reply");
    expect(quiet.botAfter(unanswered.seq)).toEqual([]);

    await tenant.merchant.update({ bot: { whileWaiting: "answer" } });
    // The agent is online now: a new shopper who asks for a person waits for them, not the bot.
    const waiting = await shopper();
    await handOff(waiting);
    const question = await waiting.say("how much is delivery to Jeddah?");
    await ok(agent, "message:send", { conversationId: waiting.conversationId, clientMessageId: "agent-2", text: "Hello!" });
    await until(() => waiting.rec.news.some((m) => m.role === "agent") || waiting.rec.dones.some((m) => m.role === "agent"), "the agent's reply");
    expect(waiting.botAfter(question.seq)).toEqual([]);
  });
});
