import { asMerchantId, openSqliteStore, seedDemoStore } from "@kaleem/shared";
import { createIntentClassifier } from "./workers/src/bot/intents/classifier.js";
import { CatalogSearch } from "./workers/src/bot/search/catalog-search.js";
import { createBotEngine } from "./workers/src/bot/engine/engine.js";
import { Chat } from "./workers/src/bot/engine/fixture.test-helpers.js";
const store = await openSqliteStore({ file: ":memory:" });
const info = await seedDemoStore(store, { origins: [], hashPassword: async () => "x" });
const t = store.forMerchant(asMerchantId(info.merchantId));
const engine = createBotEngine({ classifier: createIntentClassifier(), search: new CatalogSearch() });
const chat = await Chat.open(engine, t);
for (const m of process.argv.slice(2)) { const r = await chat.say(m); console.log(">", m, "|", r.intent, r.handoff ?? "", "\n", r.text, "\n", r.parts.filter(p=>p.type==="product_card").map((p:any)=>p.name).join(", ")); }
