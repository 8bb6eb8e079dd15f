// Dead letters: jobs of this store that failed for good. Owners and admins list them and send one
// again (a retried channel delivery is a new try: the worker forgets the failed attempt).
import {
  CHANNEL_DELIVER_JOB,
  channelDeliverJobSchema,
  deadLetterListSchema,
  deadLetterRetrySchema,
  isJobName,
  jobSchemas,
  NotFoundError,
  ValidationError,
  type AppJobName,
  type DeadLetter,
  type DeadLetterView,
  type TenantStore,
} from "@kaleem/shared";
import { z } from "zod";
import { defineRoute, type AnyRoute } from "../http/route.js";

const EDITORS = ["owner", "admin"] as const;
const JOB_NAMES = Object.keys(jobSchemas);

const jobQuery = z.object({
  job: z.string().max(64).optional(),
  /** Only the failed deliveries of this channel (the Channels page lists them per channel). */
  channelId: z.string().min(1).max(64).optional(),
});
const retryParams = z.object({ job: z.string().max(64), id: z.string().min(1).max(200) });

function jobName(name: string) {
  if (!isJobName(jobSchemas, name)) throw new ValidationError(`job must be one of: ${JOB_NAMES.join(", ")}`);
  return name;
}

/** A dead delivery names its conversation; the conversation names its channel (read once per conversation). */
async function views(store: TenantStore, letters: DeadLetter[]): Promise<DeadLetterView[]> {
  const channelOf = new Map<string, Promise<string | null>>();
  return Promise.all(
    letters.map(async (letter) => {
      const data = letter.data !== null && typeof letter.data === "object" ? (letter.data as Record<string, unknown>) : {};
      const delivery = letter.name === CHANNEL_DELIVER_JOB ? channelDeliverJobSchema.safeParse(data) : null;
      const conversationId = delivery?.success ? delivery.data.conversationId : null;
      if (conversationId && !channelOf.has(conversationId)) channelOf.set(conversationId, store.conversations.get(conversationId).then((c) => c?.channelId ?? null));
      return {
        id: letter.id,
        job: letter.name,
        data,
        conversationId,
        channelId: conversationId ? await channelOf.get(conversationId)! : null,
        error: letter.error,
        attempts: letter.attempts,
        failedAt: letter.failedAt,
      };
    }),
  );
}

export const deadLetterRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/dead-letters",
    summary: "Jobs of this store that failed for good (failed channel deliveries first among them), newest first; channelId narrows to one channel's failed deliveries",
    tag: "channels",
    auth: true,
    roles: EDITORS,
    query: jobQuery,
    responses: { 200: { description: "Dead letters", schema: deadLetterListSchema } },
    async handler({ caller, query, services }) {
      // A channel's dead letters are its failed deliveries.
      const names: AppJobName[] = query.job ? [jobName(query.job)] : query.channelId ? [CHANNEL_DELIVER_JOB] : JOB_NAMES.map(jobName);
      const scope = { merchantId: caller.claims.merchantId };
      const lists = await Promise.all(names.map((name) => services.deps.queue.deadLetters(name, scope)));
      const items = await views(caller.store, lists.flat().sort((a, b) => b.failedAt.localeCompare(a.failedAt)));
      return { body: { items: query.channelId ? items.filter((l) => l.channelId === query.channelId) : items } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/dead-letters/:job/:id/retry",
    summary: "Run a dead letter again with a fresh set of attempts",
    tag: "channels",
    auth: true,
    roles: EDITORS,
    params: retryParams,
    responses: { 200: { description: "Queued again", schema: deadLetterRetrySchema }, 404: { description: "No such dead letter in this store" } },
    async handler({ caller, params, services }) {
      const name = jobName(params.job);
      const retried = await services.deps.queue.retryDeadLetter(name, params.id, { merchantId: caller.claims.merchantId });
      if (!retried) throw new NotFoundError("Dead letter");
      await caller.store.audit.add({ actorId: caller.user.id, action: "dead_letter.retry", target: params.id, data: { job: name } });
      return { body: { retried: true as const } };
    },
  }),
];
