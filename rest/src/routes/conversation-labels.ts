// Labels on a conversation (any team member). The list is replaced as a whole.
import { conversationSchema, NotFoundError, plainName } from "@kaleem/shared";
import { z } from "zod";
import { defineRoute, type AnyRoute } from "../http/route.js";
import { idParams } from "./schemas.js";

export const MAX_LABELS = 20;

const label = plainName()
  .min(1, "a label cannot be empty")
  .max(40, "a label is at most 40 characters")
  .regex(/^[^\p{Cc}]+$/u, "a label cannot contain control characters");

/** Same label typed twice (any case) is kept once, first spelling wins. */
function dedupe(labels: string[]): string[] {
  const seen = new Set<string>();
  return labels.filter((l) => {
    const key = l.toLocaleLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const conversationLabelRoutes: AnyRoute[] = [
  defineRoute({
    method: "patch",
    path: "/conversations/:id",
    summary: "Set a conversation's labels",
    tag: "inbox",
    auth: true,
    params: idParams,
    body: z.strictObject({ labels: z.array(label).max(MAX_LABELS, `at most ${MAX_LABELS} labels`) }),
    responses: { 200: { description: "Updated", schema: conversationSchema }, 404: { description: "Not found" } },
    async handler({ caller, params, body, services }) {
      const conversation = await caller.store.conversations.update(params.id, { labels: dedupe(body.labels) });
      if (!conversation) throw new NotFoundError("Conversation");
      services.deps.realtime.conversationChanged(caller.claims.merchantId, conversation.id);
      return { body: conversation };
    },
  }),
];
