// Canned replies: short texts agents insert with "/shortcut" in the composer. Shared by the
// whole team. Any member may read and add one (agents are the ones who notice the answer they
// keep typing); changing or deleting a shared reply is for owners and admins.
import {
  CANNED_REPLY_SHORTCUT,
  cannedReplyListSchema,
  cannedReplyViewSchema,
  NotFoundError,
  UnprocessableError,
  type CannedReply,
  type CannedReplyView,
} from "@kaleem/shared";
import { z } from "zod";
import { defineRoute, type AnyRoute } from "../http/route.js";
import { idParams } from "./schemas.js";
import { auditAction } from "./support.js";

const EDITORS = ["owner", "admin"] as const;
/** Keeps the "/" picker (which loads them all) small. */
export const MAX_CANNED_REPLIES = 500;

const shortcut = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s.replace(/^\//, ""))
  .pipe(z.string().regex(CANNED_REPLY_SHORTCUT, "shortcut must be 1-32 characters of a-z, 0-9, _ and -"));
const text = z.string().trim().min(1, "text is required").max(2000);

const view = (reply: CannedReply): CannedReplyView => ({
  id: reply.id,
  shortcut: reply.shortcut,
  text: reply.text,
  createdAt: reply.createdAt,
  updatedAt: reply.updatedAt,
});

export const cannedReplyRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/canned-replies",
    summary: "All canned replies of the store, ordered by shortcut",
    tag: "inbox",
    auth: true,
    responses: { 200: { description: "Canned replies", schema: cannedReplyListSchema } },
    async handler({ caller }) {
      return { body: { items: (await caller.store.cannedReplies.list()).map(view) } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/canned-replies",
    summary: "Add a canned reply (any team member)",
    tag: "inbox",
    auth: true,
    body: z.strictObject({ shortcut, text }),
    responses: {
      201: { description: "Created", schema: cannedReplyViewSchema },
      409: { description: "Shortcut already in use" },
      422: { description: "Too many canned replies" },
    },
    async handler({ caller, body, ip }) {
      if ((await caller.store.cannedReplies.count()) >= MAX_CANNED_REPLIES) {
        throw new UnprocessableError(`A store can have at most ${MAX_CANNED_REPLIES} canned replies`);
      }
      const reply = await caller.store.cannedReplies.create(body);
      await auditAction(caller, ip, "canned_reply.create", reply.id, { shortcut: reply.shortcut });
      return { status: 201, body: view(reply) };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/canned-replies/:id",
    summary: "Change a canned reply's shortcut or text",
    tag: "inbox",
    auth: true,
    roles: EDITORS,
    params: idParams,
    body: z.strictObject({ shortcut: shortcut.optional(), text: text.optional() }),
    responses: {
      200: { description: "Updated", schema: cannedReplyViewSchema },
      404: { description: "Not found" },
      409: { description: "Shortcut already in use" },
    },
    async handler({ caller, params, body, ip }) {
      const reply = await caller.store.cannedReplies.update(params.id, {
        ...(body.shortcut !== undefined && { shortcut: body.shortcut }),
        ...(body.text !== undefined && { text: body.text }),
      });
      if (!reply) throw new NotFoundError("Canned reply");
      await auditAction(caller, ip, "canned_reply.update", reply.id, { shortcut: reply.shortcut });
      return { body: view(reply) };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/canned-replies/:id",
    summary: "Delete a canned reply",
    tag: "inbox",
    auth: true,
    roles: EDITORS,
    params: idParams,
    responses: { 204: { description: "Deleted" }, 404: { description: "Not found" } },
    async handler({ caller, params, ip }) {
      const reply = await caller.store.cannedReplies.get(params.id);
      if (!reply || !(await caller.store.cannedReplies.remove(reply.id))) throw new NotFoundError("Canned reply");
      await auditAction(caller, ip, "canned_reply.delete", reply.id, { shortcut: reply.shortcut });
      return { status: 204 };
    },
  }),
];
