// The Send API rules the fake Messenger/Instagram server enforces, from Meta's Send API reference:
// `recipient` and `messaging_type` are required (RESPONSE, UPDATE, or MESSAGE_TAG with a `tag`),
// a body carries `message` or `sender_action`, text within the platform's limit, ≤ 13 quick
// replies with titles ≤ 20 and payloads ≤ 1000, generic templates of ≤ 10 elements with titles
// and subtitles ≤ 80 and ≤ 3 buttons each. Meta's Postman examples (../shared/specs/meta/
// send-api-examples) omit messaging_type; a test checks they pass once it is added.
import { z } from "zod";
import { META_LIMITS } from "../meta-messaging/send.js";

export const MESSAGE_TAGS = ["HUMAN_AGENT", "ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "CUSTOMER_FEEDBACK"] as const;

const L = META_LIMITS;
const url = z.string().regex(/^https?:\/\/\S+$/);
const button = z.discriminatedUnion("type", [
  z.object({ type: z.literal("web_url"), url, title: z.string().min(1).max(L.buttonTitle), webview_height_ratio: z.enum(["compact", "tall", "full"]).optional() }),
  z.object({ type: z.literal("postback"), title: z.string().min(1).max(L.buttonTitle), payload: z.string().min(1).max(L.payload) }),
  z.object({ type: z.literal("phone_number"), title: z.string().min(1).max(L.buttonTitle), payload: z.string().min(1) }),
]);
const element = z
  .object({
    title: z.string().min(1).max(L.elementTitle),
    subtitle: z.string().max(L.elementSubtitle).optional(),
    image_url: url.optional(),
    default_action: z.object({ type: z.literal("web_url"), url, webview_height_ratio: z.enum(["compact", "tall", "full"]).optional() }).strict().optional(),
    buttons: z.array(button).min(1).max(L.elementButtons).optional(),
  })
  .strict()
  .refine((e) => e.subtitle !== undefined || e.image_url !== undefined || e.buttons !== undefined, "an element needs a subtitle, an image or buttons besides its title");
const template = z.discriminatedUnion("template_type", [
  z.object({ template_type: z.literal("generic"), elements: z.array(element).min(1).max(L.elements), image_aspect_ratio: z.enum(["horizontal", "square"]).optional() }).strict(),
  z.object({ template_type: z.literal("button"), text: z.string().min(1).max(640), buttons: z.array(button).min(1).max(3) }).strict(),
  z.object({ template_type: z.literal("media"), elements: z.array(z.object({ media_type: z.enum(["image", "video"]), attachment_id: z.string().optional(), url: url.optional(), buttons: z.array(button).max(1).optional() })).length(1) }).strict(),
]);
const attachment = z.union([
  z.object({ type: z.literal("template"), payload: template }).strict(),
  z.object({ type: z.enum(["image", "audio", "video", "file"]), payload: z.object({ url: url.optional(), attachment_id: z.string().optional(), is_reusable: z.union([z.boolean(), z.string()]).optional() }).strict() }).strict(),
]);
const quickReply = z.discriminatedUnion("content_type", [
  z.object({ content_type: z.literal("text"), title: z.string().min(1).max(L.quickReplyTitle), payload: z.string().min(1).max(L.payload), image_url: z.string().optional() }).strict(),
  z.object({ content_type: z.enum(["user_phone_number", "user_email"]) }).strict(),
]);

function message(platform: "messenger" | "instagram") {
  const text =
    platform === "instagram"
      ? z.string().min(1).refine((t) => Buffer.byteLength(t, "utf8") <= 1000, "Instagram text is at most 1000 bytes")
      : z.string().min(1).max(2000);
  return z
    .object({ text: text.optional(), attachment: attachment.optional(), quick_replies: z.array(quickReply).min(1).max(L.quickReplies).optional(), metadata: z.string().max(1000).optional() })
    .strict()
    .refine((m) => (m.text === undefined) !== (m.attachment === undefined), "a message has text or an attachment, not both or neither");
}

export function sendApiRules(platform: "messenger" | "instagram") {
  return z
    .object({
      recipient: z.union([z.object({ id: z.string().min(1) }).strict(), z.object({ user_ref: z.string().min(1) }).strict(), z.object({ comment_id: z.string().min(1) }).strict()]),
      messaging_type: z.enum(["RESPONSE", "UPDATE", "MESSAGE_TAG"]),
      tag: z.enum(MESSAGE_TAGS).optional(),
      message: message(platform).optional(),
      sender_action: z.enum(["typing_on", "typing_off", "mark_seen", "react", "unreact"]).optional(),
      payload: z.object({ message_id: z.string(), reaction: z.string().optional() }).optional(),
      notification_type: z.enum(["REGULAR", "SILENT_PUSH", "NO_PUSH"]).optional(),
    })
    .strict()
    .refine((b) => (b.messaging_type === "MESSAGE_TAG") === (b.tag !== undefined), "a tag goes with messaging_type MESSAGE_TAG, and MESSAGE_TAG needs a tag")
    .refine((b) => (b.message === undefined) !== (b.sender_action === undefined), "a body carries a message or a sender_action");
}

export function checkSendApiBody(platform: "messenger" | "instagram", body: unknown): string[] {
  const result = sendApiRules(platform).safeParse(body);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
}
