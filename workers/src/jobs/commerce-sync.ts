// Import (everything) and reconciliation (changes since the last run) of one commerce connection
// through the platform's API, page by page. The checkpoint (phase, the next page's cursor, counts)
// is stored on the connection after every page, so a run that dies — a failed attempt, a killed
// process — resumes at the page after the last one stored, and every product is written exactly
// once per run (and never twice overall: upserts are keyed by platform id).
import {
  asMerchantId,
  commerceSyncJobId,
  COMMERCE_SYNC_ATTEMPTS,
  COMMERCE_SYNC_JOB,
  COMMERCE_SYNC_JOB_OPTIONS,
  integrationSecrets,
  UnrecoverableError,
  type CatalogEvents,
  type CommerceConnection,
  type CommerceSyncJob,
  type CommerceSyncState,
  type Config,
  type Job,
  type JobQueue,
  type KeyedLock,
  type Logger,
  type Store,
  type TenantStore,
} from "@kaleem/shared";
import type { CommerceGateway } from "../commerce/gateway.js";
import { applyCommerceChanges } from "../commerce/apply.js";


export interface CommerceSyncDeps {
  config: Config;
  store: Store;
  gateway: Pick<CommerceGateway, "page">;
  catalogEvents: CatalogEvents;
  lock: KeyedLock;
  logger?: Logger;
  /** Called after each stored page (tests stop a run at a chosen page). */
  onCheckpoint?: (state: CommerceSyncState) => void | Promise<void>;
}

const nowIso = () => new Date().toISOString();

/** A fresh run, or the unfinished one it continues (whatever mode that was: one walk at a time). */
function runState(previous: CommerceSyncState | null, mode: CommerceSyncJob["mode"]): { state: CommerceSyncState; resumed: boolean } {
  if (previous && previous.state !== "done") return { state: { ...previous, state: "running", error: null }, resumed: true };
  const lastCompleted = previous?.lastCompletedStartedAt ?? null;
  return {
    state: {
      mode,
      state: "running",
      phase: "products",
      cursor: null,
      // A reconciliation without a finished run before it is a full walk.
      since: mode === "reconcile" ? lastCompleted : null,
      products: 0,
      orders: 0,
      pages: 0,
      startedAt: nowIso(),
      finishedAt: null,
      error: null,
      lastCompletedStartedAt: lastCompleted,
    },
    resumed: false,
  };
}

async function save(tenant: TenantStore, connection: CommerceConnection, sync: CommerceSyncState): Promise<void> {
  if (!(await tenant.commerceConnections.update(connection.id, { sync }))) throw new UnrecoverableError("the connection was removed during the sync");
}

export function createCommerceSyncHandler(deps: CommerceSyncDeps): (job: Job<CommerceSyncJob>) => Promise<void> {
  return async (job) => {
    const { merchantId, connectionId, mode } = job.data;
    const tenant = deps.store.forMerchant(asMerchantId(merchantId));
    await deps.lock.run(`commerce-sync:${connectionId}`, async () => {
      const connection = await tenant.commerceConnections.get(connectionId);
      if (!connection || connection.status === "disabled") return;
      const sealed = await tenant.commerceConnections.getSecrets(connection.id);
      const secrets = sealed ? integrationSecrets(deps.config).open(sealed) : {};
      const start = runState(connection.sync, mode);
      const resumed = start.resumed;
      let sync = start.state;
      if (!secrets.accessToken) {
        await save(tenant, connection, { ...sync, state: "failed", error: "no API access token: add one to the connection to import", finishedAt: nowIso() });
        throw new UnrecoverableError(`connection ${connection.id} has no API access token`);
      }
      await save(tenant, connection, sync);
      deps.logger?.info({ connectionId, mode: sync.mode, resumed, phase: sync.phase, cursor: sync.cursor }, "commerce sync started");
      try {
        for (;;) {
          const page = await deps.gateway.page({ connection, secrets, resource: sync.phase, cursor: sync.cursor, since: sync.since });
          const applied = await applyCommerceChanges(tenant, connection.platform, page.changes, deps.catalogEvents);
          sync = { ...sync, pages: sync.pages + 1, products: sync.products + applied.products, orders: sync.orders + applied.orders, cursor: page.next };
          if (page.next === null && sync.phase === "products") sync = { ...sync, phase: "orders", cursor: null };
          else if (page.next === null) sync = { ...sync, state: "done", finishedAt: nowIso(), lastCompletedStartedAt: sync.startedAt };
          await save(tenant, connection, sync);
          await deps.onCheckpoint?.(sync);
          if (sync.state === "done") break;
        }
        await tenant.commerceConnections.update(connection.id, { lastError: null, ...(connection.status === "error" ? { status: "active" } : {}) });
        deps.logger?.info({ connectionId, mode: sync.mode, products: sync.products, orders: sync.orders, pages: sync.pages }, "commerce sync done");
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        // A try that will be retried keeps the run open (the next try resumes at the checkpoint).
        const final = err instanceof UnrecoverableError || job.attempt >= COMMERCE_SYNC_ATTEMPTS;
        await tenant.commerceConnections
          .update(connection.id, { sync: { ...sync, state: final ? "failed" : "running", error: message, ...(final ? { finishedAt: nowIso() } : {}) }, ...(final ? { lastError: message } : {}) })
          .catch(() => undefined);
        throw err;
      }
    });
  };
}

/** Queues a run of one connection (the merchant's import/reconcile button). */
export async function requestCommerceSync(queue: JobQueue, input: { merchantId: string; connectionId: string; mode: CommerceSyncJob["mode"]; run: string }): Promise<void> {
  await queue.add(COMMERCE_SYNC_JOB, { merchantId: input.merchantId, connectionId: input.connectionId, mode: input.mode }, { jobId: commerceSyncJobId(input.connectionId, input.mode, input.run), ...COMMERCE_SYNC_JOB_OPTIONS });
}

export interface CommerceReconciler {
  /** One pass now: queues a reconciliation of every active connection that was imported once. */
  runOnce(): Promise<number>;
  stop(): void;
}

/**
 * Every `intervalMs`, a reconciliation of every connection of every merchant that has been
 * imported at least once: webhooks get lost (Zid's are known to), polling catches up. The job id
 * is the time slot, so several workers processes queue one job per connection per slot.
 */
export function startCommerceReconciler(options: { store: Store; queue: JobQueue; intervalMs: number; logger?: Logger }): CommerceReconciler {
  const runOnce = async (): Promise<number> => {
    const slot = String(Math.floor(Date.now() / Math.max(1, options.intervalMs)));
    let queued = 0;
    for (const merchantId of await options.store.lookup.merchantIds()) {
      for (const connection of await options.store.forMerchant(merchantId).commerceConnections.list()) {
        if (connection.status === "disabled" || connection.sync === null) continue;
        await requestCommerceSync(options.queue, { merchantId, connectionId: connection.id, mode: "reconcile", run: slot });
        queued += 1;
      }
    }
    return queued;
  };
  const timer =
    options.intervalMs > 0
      ? setInterval(() => {
          runOnce().catch((err: unknown) => options.logger?.warn({ err }, "commerce reconciliation not scheduled"));
        }, options.intervalMs)
      : null;
  timer?.unref();
  return { runOnce, stop: () => timer && clearInterval(timer) };
}
