// Local fake providers for tests (any package's): start one on port 0, point a channel's
// apiBaseUrl at it, and assert on what it accepted (`accepted()`) and refused (`rejected()`).
export { FakeProviderServer, type Exchange, type FakeReply, type FakeRequest, type ScriptOptions, type ScriptedFailure } from "./fake-server.js";
export { FakeTelegram, startFakeTelegram, type FakeTelegramOptions } from "./fake-telegram.js";
export { FakeWhatsApp, startFakeWhatsApp, type FakeWhatsAppOptions } from "./fake-whatsapp.js";
export { FakeMetaMessaging, startFakeMetaMessaging, type FakeMetaMessagingOptions } from "./fake-meta-messaging.js";
export { graphError } from "./graph-fake.js";
export { loadTelegramSpec, validateTelegramCall, BUILT_IN_TELEGRAM_SPEC, type TelegramApiSpec } from "./telegram-spec.js";
export { checkWhatsAppMessage, loadWhatsAppSpec } from "./whatsapp-spec.js";
export { checkSendApiBody } from "./meta-messaging-spec.js";
export { validateOpenApi, type OpenApiDocument } from "./openapi.js";
export { referenceDir, sharedFixturesDir, sharedSpecsDir } from "./reference-files.js";
