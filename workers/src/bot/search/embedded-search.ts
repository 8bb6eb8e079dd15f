// The search of one embedded process, for the tools that are their own composition root (the
// evaluation CLIs, benchmarks, tests): built-in offline embedding, vectors in this process.
import { MemoryVectorIndex } from "@kaleem/shared/adapters";
import { CatalogSearch, type CatalogSearchDeps } from "./catalog-search.js";
import { HashedEmbedder } from "./hashed-embedder.js";

export function embeddedSearch(overrides: Partial<CatalogSearchDeps> = {}): CatalogSearch {
  return new CatalogSearch({ embedder: new HashedEmbedder(), vectors: new MemoryVectorIndex(), ...overrides });
}
