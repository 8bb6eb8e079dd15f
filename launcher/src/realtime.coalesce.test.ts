// Embedded runtime, real sockets, with the coalescing window on (BOT_STREAM_COALESCE_MS): deltas
// carry several tokens, stay contiguous for the shopper and the watching agent alike, and a
// shopper that drops mid-stream still resumes without a gap or a repeat.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, type Message, type MessageDelta, type ResumeResult } from "@kaleem/shared";
import {
  Recorder,
  ScriptedBot,
  StreamAssembler,
  closeAllClients,
  connected,
  createMerchant,
  inboxClient,
  login,
  nextEvent,
  ok,
  openConversation,
  startTestKaleem,
  until,
  widgetClient,
  type TestKaleem,
  type TestMerchant,
} from "./realtime.test-helpers.js";

let t: TestKaleem;
let shop: TestMerchant;
let ownerToken: string;

beforeAll(async () => {
  // The scripted "slow" answer yields a token every 5 ms: a 40 ms window merges several.
  t = await startTestKaleem({ bot: new ScriptedBot(), env: { BOT_STREAM_COALESCE_MS: "40" } });
  shop = await createMerchant(t.k);
  ownerToken = await login(t.k.url, shop.email, shop.password);
});
afterEach(() => closeAllClients());
afterAll(async () => t?.close());

async function shopper() {
  const socket = widgetClient(t.k.url, shop.widgetKey);
  await connected(socket);
  const rec = new Recorder(socket);
  const open = await openConversation(t.k.store, socket, shop.merchantId, { locale: "en" });
  return { socket, rec, open };
}

const tokensIn = (d: MessageDelta) => d.text.split(" ").filter((w) => w.length > 0).length;

describe("coalesced streaming", () => {
  it("deltas carry several tokens, contiguous for shopper and agent, and a mid-stream resume has no gap", async () => {
    const s = await shopper();
    const a = inboxClient(t.k.url, ownerToken);
    await connected(a);
    const agentRec = new Recorder(a);
    await ok(a, "conversation:watch", { conversationId: s.open.conversationId });
    const sent = await ok<{ message: Message }>(s.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: "co1", text: "slow and long" });
    await until(() => s.rec.deltas.length >= 4, "some deltas");
    const messageId = s.rec.deltas[0]!.messageId;
    // The first delta went out alone; later ones merged what the window held.
    expect(tokensIn(s.rec.deltas[0]!)).toBe(1);
    s.socket.disconnect();
    await until(() => agentRec.deltasOf(messageId).length >= s.rec.deltasOf(messageId).length + 3, "stream went on without the shopper");

    const back = widgetClient(t.k.url, shop.widgetKey, { visitorToken: s.open.visitorToken });
    const rec = new Recorder(back);
    await connected(back);
    const asm = new StreamAssembler(messageId);
    const resumed = await ok<ResumeResult>(back, "conversation:resume", { conversationId: s.open.conversationId, afterSeq: sent.message.seq });
    const partial = resumed.streaming.find((p) => p.messageId === messageId);
    expect(partial, "still streaming").toBeDefined();
    asm.partial(partial!.text);
    for (const d of rec.deltasOf(messageId)) asm.delta(d);
    back.on("message:delta", (d: MessageDelta) => asm.delta(d));
    back.on("message:done", (p: { message: Message }) => asm.finish(p.message));
    await until(() => asm.deltas >= 3, "deltas after the resume");

    const stopped = nextEvent<{ message: Message }>(a, "message:done", (p) => p.message.id === messageId);
    await ok(a, "conversation:takeover", { conversationId: s.open.conversationId });
    const final = (await stopped).message;
    await until(() => asm.done !== null, "done");
    const db = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).messages.get(messageId);
    expect(final.status).toBe("stopped");
    expect(asm.text).toBe(db!.text);
    expect(asm.gaps).toBe(0);

    // The agent saw every piece once, in order, and the pieces are the stored text.
    const agentDeltas = agentRec.deltasOf(messageId);
    let offset = 0;
    for (const d of agentDeltas) {
      expect(d.offset).toBe(offset);
      offset += d.text.length;
    }
    expect(agentDeltas.map((d) => d.text).join("")).toBe(db!.text);
    const tokens = agentDeltas.reduce((n, d) => n + tokensIn(d), 0);
    expect(agentDeltas.length).toBeLessThan(tokens);
  });
});
