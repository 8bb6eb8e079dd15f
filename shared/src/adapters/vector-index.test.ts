// The VectorIndex contract on the in-process index (Qdrant's adapter runs it in the cluster issue).
import { vectorIndexContract } from "@kaleem/shared/testing";
import { MemoryVectorIndex } from "./memory/vector-index.js";

vectorIndexContract({ name: "in-process", create: async () => new MemoryVectorIndex() });
