// Dead letters: jobs of this store that failed for good. Owners and admins list them and send one
// again (a retried channel delivery is a new try: the worker forgets the failed attempt).
import {
  deadLetterListSchema,
  deadLetterRetrySchema,
  isJobName,
  jobSchemas,
  NotFoundError,
  ValidationError,
  type AppJobName,
  type DeadLetter,
  type DeadLetterView,
} from "@kaleem/shared";
import { z } from "zod";
import { defineRoute, type AnyRoute } from "../http/route.js";

const EDITORS = ["owner", "admin"] as const;
const JOB_NAMES = Object.keys(jobSchemas);

const jobQuery = z.object({ job: z.string().max(64).optional() });
const retryParams = z.object({ job: z.string().max(64), id: z.string().min(1).max(200) });

function jobName(name: string) {
  if (!isJobName(jobSchemas, name)) throw new ValidationError(`job must be one of: ${JOB_NAMES.join(", ")}`);
  return name;
}

const view = (letter: DeadLetter): DeadLetterView => ({
  id: letter.id,
  job: letter.name,
  data: letter.data !== null && typeof letter.data === "object" ? (letter.data as Record<string, unknown>) : {},
  error: letter.error,
  attempts: letter.attempts,
  failedAt: letter.failedAt,
});

export const deadLetterRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/dead-letters",
    summary: "Jobs of this store that failed for good (failed channel deliveries first among them), newest first",
    tag: "channels",
    auth: true,
    roles: EDITORS,
    query: jobQuery,
    responses: { 200: { description: "Dead letters", schema: deadLetterListSchema } },
    async handler({ caller, query, services }) {
      const names: AppJobName[] = query.job ? [jobName(query.job)] : JOB_NAMES.map(jobName);
      const scope = { merchantId: caller.claims.merchantId };
      const lists = await Promise.all(names.map((name) => services.deps.queue.deadLetters(name, scope)));
      const items = lists.flat().sort((a, b) => b.failedAt.localeCompare(a.failedAt)).map(view);
      return { body: { items } };
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
