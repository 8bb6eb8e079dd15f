// Child process for the multi-process test: appends messages through its own connection to a
// shared database file, so seq allocation is exercised across real concurrent writers.
import { testStoreCrypto } from "../../testing/store-crypto.js";
import { asMerchantId } from "../../ports/store.js";
import { openSqliteStore } from "./store.js";

const [file, merchantId, conversationId, productId, countText, label] = process.argv.slice(2);
if (!file || !merchantId || !conversationId || !productId || !countText || !label) {
  console.error("usage: append-worker <file> <merchantId> <conversationId> <productId> <count> <label>");
  process.exit(2);
}
const store = await openSqliteStore({ crypto: testStoreCrypto(), file, busyTimeoutMs: 30_000 });
try {
  const t = store.forMerchant(asMerchantId(merchantId));
  const seqs: number[] = [];
  for (let i = 0; i < Number(countText); i++) {
    const { message } = await t.messages.append(conversationId, { role: "shopper", text: `${label}-${i}`, clientMessageId: `${label}-${i}` });
    seqs.push(message.seq);
    await t.products.reserveStock(productId, 1);
  }
  process.stdout.write(JSON.stringify(seqs));
} finally {
  await store.close();
}
