// The VectorIndex contract on the in-process index (Qdrant's run is in qdrant/vector-index.test.ts, when QDRANT_URL is set).
import { vectorIndexContract } from "@kaleem/shared/testing";
import { MemoryVectorIndex } from "./memory/vector-index.js";

vectorIndexContract({ name: "in-process", create: async () => new MemoryVectorIndex() });
