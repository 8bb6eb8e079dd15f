// Product search: hybrid lexical + vector over the merchant's catalog (see catalog-search.ts).
export { CatalogSearch, DEFAULT_SEARCH_OPTIONS, type CatalogSearchDeps, type DetailedSearchResult, type SearchOptions } from "./catalog-search.js";
export { parseQuery, type ParsedQuery, type QueryConstraints } from "./constraints.js";
export { HashedEmbedder } from "./hashed-embedder.js";
export { EmbeddingsHttpError, OpenAIEmbedder, embedderFromConfig, type OpenAIEmbedderOptions } from "./openai-embedder.js";
