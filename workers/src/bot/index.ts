// The bot package: the engine behind the BotEngine port, and the pieces the workers wire into it.
export { createBotEngine, parsePayload, DEFAULT_LOW_CONFIDENCE, type BotEngineDeps, type IntentClassifierLike } from "./engine/engine.js";
export { botMetrics, type BotMetrics } from "./engine/metrics.js";
export { botStateSchema, parseBotState, type BotState } from "./engine/state.js";
export { createChatClient, type ChatClient, type ChatClientOptions, type ChatChunk, type ChatMessage, type ChatRequest, type ChatUsage } from "./llm/client.js";
export { LlmError, LlmHttpError, LlmNetworkError, LlmProtocolError, LlmTimeoutError } from "./llm/errors.js";
export { checkAgainstFacts, extractNumbers, type GuardVerdict } from "./llm/guard.js";
export { readJsonFile } from "./eval/search-data.js";
export { createIntentClassifier, defaultIntentClassifier, isLowConfidence, LOW_CONFIDENCE_THRESHOLD, type IntentClassifier } from "./intents/classifier.js";
export { CatalogSearch, type CatalogSearchDeps } from "./search/catalog-search.js";
export { KnowledgeIndex, type MerchantKnowledge } from "./engine/knowledge-index.js";
