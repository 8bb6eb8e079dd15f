import {
  attachmentLinkSchema,
  conversationChannelSchema,
  conversationPageSchema,
  conversationSummaries,
  conversationSchema,
  conversationStatusSchema,
  messagePageSchema,
  NotFoundError,
} from "@kaleem/shared";
import { z } from "zod";
import { defineRoute, type AnyRoute } from "../http/route.js";
import { idParams, pageQuery } from "./schemas.js";

/** How long an attachment link stays valid: long enough to open it, short enough that a leaked link soon dies. */
const ATTACHMENT_LINK_SECONDS = 300;
/** Messages searched for the attachment a link is asked for. */
const ATTACHMENT_LOOKBACK = 1000;

export const conversationRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/conversations/:id/attachments/link",
    summary: "A short-lived link to one attachment of this conversation (only keys its messages carry)",
    tag: "inbox",
    auth: true,
    params: idParams,
    query: z.object({ key: z.string().min(1).max(500) }),
    responses: { 200: { description: "The presigned link", schema: attachmentLinkSchema }, 404: { description: "No such attachment in this conversation" } },
    async handler({ caller, params, query, services }) {
      const conversation = await caller.store.conversations.get(params.id);
      if (!conversation) throw new NotFoundError("Conversation");
      // Scoped to the conversation, not only the merchant: the key must be one its messages carry.
      const messages = await caller.store.messages.listLatest(conversation.id, ATTACHMENT_LOOKBACK);
      const part = messages.flatMap((m) => m.parts).find((p) => p.type === "attachment" && p.key === query.key);
      if (!part || part.type !== "attachment") throw new NotFoundError("Attachment");
      const objects = services.deps.objects.forMerchant(caller.claims.merchantId);
      const url = await objects.presignGet(part.key, {
        expiresInSeconds: ATTACHMENT_LINK_SECONDS,
        // Only images are shown inline; anything else downloads.
        ...(part.kind === "image" ? {} : { downloadName: part.name ?? part.key.split("/").pop() ?? "file" }),
      });
      return { body: { url, expiresAt: new Date(Date.now() + ATTACHMENT_LINK_SECONDS * 1000).toISOString() } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/conversations",
    summary: "List conversations by last activity (assignee=me for your own; q searches the shopper's name, email, phone, the last message and the id prefix)",
    tag: "inbox",
    auth: true,
    query: pageQuery.extend({
      status: conversationStatusSchema.optional(),
      assignee: z.string().min(1).max(64).optional(),
      channel: conversationChannelSchema.optional(),
      q: z.string().max(200).optional(),
    }),
    responses: { 200: { description: "A page of conversations", schema: conversationPageSchema } },
    async handler({ caller, query }) {
      const { limit, cursor, assignee, ...filter } = query;
      const assigneeId = assignee === "me" ? caller.user.id : assignee;
      const page = await caller.store.conversations.list({ ...filter, assigneeId }, { limit, cursor });
      return { body: { items: await conversationSummaries(caller.store, page.items), nextCursor: page.nextCursor } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/conversations/:id",
    summary: "Get a conversation",
    tag: "inbox",
    auth: true,
    params: idParams,
    responses: { 200: { description: "The conversation", schema: conversationSchema }, 404: { description: "Not found" } },
    async handler({ caller, params }) {
      const conversation = await caller.store.conversations.get(params.id);
      if (!conversation) throw new NotFoundError("Conversation");
      return { body: conversation };
    },
  }),
  defineRoute({
    method: "get",
    path: "/conversations/:id/messages",
    summary: "Messages of a conversation in seq order (cursor pages forward)",
    tag: "inbox",
    auth: true,
    params: idParams,
    query: pageQuery,
    responses: { 200: { description: "A page of messages", schema: messagePageSchema }, 404: { description: "Not found" } },
    async handler({ caller, params, query }) {
      const conversation = await caller.store.conversations.get(params.id);
      if (!conversation) throw new NotFoundError("Conversation");
      return { body: await caller.store.messages.list(conversation.id, query) };
    },
  }),
];
