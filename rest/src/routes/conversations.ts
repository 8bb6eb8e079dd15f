import {
  attachmentLinkSchema,
  conversationChannelSchema,
  conversationPageSchema,
  conversationSchema,
  conversationStatusSchema,
  messagePageSchema,
  NotFoundError,
  uploadCreateSchema,
  uploadTicketSchema,
} from "@kaleem/shared";
import { z } from "zod";
import { defineRoute, type AnyRoute } from "../http/route.js";
import { idParams, pageQuery } from "./schemas.js";


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
      return { body: await services.attachments.link(caller.claims.merchantId, conversation.id, query.key, "agent") };
    },
  }),
  defineRoute({
    method: "post",
    path: "/conversations/:id/uploads",
    summary: "A short-lived URL to PUT one file to, for a reply in this conversation (reference its uploadId in message:send)",
    tag: "inbox",
    auth: true,
    params: idParams,
    body: uploadCreateSchema,
    responses: {
      201: { description: "Where and how to upload", schema: uploadTicketSchema },
      404: { description: "No such conversation" },
      413: { description: "Larger than the store allows, or the storage quota is used up" },
      415: { description: "A type the store does not accept" },
    },
    async handler({ caller, params, body, services }) {
      const conversation = await caller.store.conversations.get(params.id);
      if (!conversation) throw new NotFoundError("Conversation");
      return { status: 201, body: await services.attachments.createUpload(caller.claims.merchantId, { userId: caller.user.id }, body) };
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
      return { body: await caller.store.conversations.listSummariesJson({ ...filter, assigneeId }, { limit, cursor }) };
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
