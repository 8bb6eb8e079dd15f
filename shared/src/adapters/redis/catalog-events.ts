// Catalog changes reach every process's search index. Embedded: the one index is told directly.
// Cluster: REST writes the catalog while workers (the bot) and other REST nodes keep their own
// in-process indexes (the lexical one always; the vectors too unless Qdrant holds them, see
// shared/src/search/catalog-events.ts), so changes travel over Redis pub/sub to all of them.
import type { Redis } from "ioredis";
import { z } from "zod";
import type { Logger } from "../../logger.js";
import type { CatalogEvents } from "../../ports/search.js";

const changeSchema = z.object({
  merchantId: z.string().min(1).max(64),
  productIds: z.array(z.string().max(64)).max(10_000),
  removed: z.array(z.string().max(64)).max(10_000),
  /** Knowledge items changed (the product lists are then empty). Absent in older messages. */
  knowledge: z.boolean().optional(),
});

export const catalogChannel = (prefix: string) => `${prefix}:catalog-changes`;

/** Publishes catalog changes for other processes; apply them locally with `subscribeCatalogChanges`. */
export class RedisCatalogEvents implements CatalogEvents {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly local: CatalogEvents,
    private readonly logger?: Logger,
  ) {}

  productsChanged(merchantId: string, productIds: string[], removed: string[]): void {
    this.local.productsChanged(merchantId, productIds, removed);
    this.redis
      .publish(catalogChannel(this.prefix), JSON.stringify({ merchantId, productIds, removed }))
      .catch((err: unknown) => this.logger?.warn({ err, merchantId }, "catalog change not published"));
  }

  knowledgeChanged(merchantId: string): void {
    this.local.knowledgeChanged(merchantId);
    this.redis
      .publish(catalogChannel(this.prefix), JSON.stringify({ merchantId, productIds: [], removed: [], knowledge: true }))
      .catch((err: unknown) => this.logger?.warn({ err, merchantId }, "knowledge change not published"));
  }
}

/** Applies changes published by any process to `target`. Returns an unsubscribe function. */
export async function subscribeCatalogChanges(
  subscriber: Redis,
  prefix: string,
  target: CatalogEvents,
  logger?: Logger,
): Promise<() => Promise<void>> {
  const channel = catalogChannel(prefix);
  const onMessage = (from: string, raw: string) => {
    if (from !== channel) return;
    let parsed: z.infer<typeof changeSchema>;
    try {
      parsed = changeSchema.parse(JSON.parse(raw));
    } catch (err) {
      logger?.warn({ err }, "ignored a malformed catalog change message");
      return;
    }
    if (parsed.knowledge) target.knowledgeChanged(parsed.merchantId);
    else target.productsChanged(parsed.merchantId, parsed.productIds, parsed.removed);
  };
  subscriber.on("message", onMessage);
  await subscriber.subscribe(channel);
  return async () => {
    subscriber.off("message", onMessage);
    await subscriber.unsubscribe(channel);
  };
}
