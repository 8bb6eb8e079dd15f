// What the fake WhatsApp Cloud API checks message bodies against: Meta's OpenAPI document
// (../shared/specs/whatsapp/business-messaging-api_v23.0.yaml, parsed with `yaml`, validated
// by openapi.ts) when present, and always the documented limits below (the part of Meta's rules
// that matters most and that the document states only in places: button titles ≤ 20, ≤ 3
// buttons, ≤ 10 list rows in total...). A test cross-checks each limit against the document.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { WHATSAPP_LIMITS } from "../whatsapp/send.js";
import { validateOpenApi, type OpenApiDocument } from "./openapi.js";
import { sharedSpecsDir } from "./reference-files.js";

export const whatsAppSpecPath = path.join(sharedSpecsDir, "whatsapp", "business-messaging-api_v23.0.yaml");

let cached: OpenApiDocument | null | undefined;
/** The OpenAPI document, or null when the reference folder is absent. */
export async function loadWhatsAppSpec(): Promise<OpenApiDocument | null> {
  if (cached !== undefined) return cached;
  if (!existsSync(whatsAppSpecPath)) return (cached = null);
  // Loaded only when the spec is there: the parser is a dev dependency.
  const { parse } = await import("yaml");
  cached = parse(readFileSync(whatsAppSpecPath, "utf8"), { maxAliasCount: -1 }) as OpenApiDocument;
  return cached;
}

const L = WHATSAPP_LIMITS;
const text = (max: number) => z.string().min(1).max(max);
const unique = (values: string[]) => new Set(values).size === values.length;

const replyButton = z.object({ type: z.literal("reply"), reply: z.object({ id: text(L.buttonId).refine((s) => s === s.trim(), "no leading/trailing spaces"), title: text(L.buttonTitle) }) });
const row = z.object({ id: text(L.rowId), title: text(L.rowTitle), description: z.string().max(L.rowDescription).optional() });
const section = z.object({ title: z.string().max(L.sectionTitle).optional(), rows: z.array(row).min(1).max(L.listRows) });
const media = z.union([z.object({ link: z.string().regex(/^https?:\/\//), caption: z.string().max(L.caption).optional() }), z.object({ id: z.string().min(1), caption: z.string().max(L.caption).optional() })]);

const header = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: text(L.headerText) }),
  z.object({ type: z.literal("image"), image: media }),
  z.object({ type: z.literal("video"), video: media }),
  z.object({ type: z.literal("document"), document: media }),
]);
const interactive = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("button"),
    header: header.optional(),
    body: z.object({ text: text(L.interactiveBody) }),
    footer: z.object({ text: text(L.footerText) }).optional(),
    action: z.object({ buttons: z.array(replyButton).min(1).max(L.buttons) }).refine((a) => unique(a.buttons.map((b) => b.reply.title)), "button titles must be unique").refine((a) => unique(a.buttons.map((b) => b.reply.id)), "button ids must be unique"),
  }),
  z.object({
    type: z.literal("list"),
    header: z.object({ type: z.literal("text"), text: text(L.headerText) }).optional(),
    body: z.object({ text: text(L.interactiveBody) }),
    footer: z.object({ text: text(L.footerText) }).optional(),
    action: z
      .object({ button: text(L.listButton), sections: z.array(section).min(1).max(L.listSections) })
      .refine((a) => a.sections.flatMap((s) => s.rows).length <= L.listRows, `a list has at most ${L.listRows} rows in all`)
      .refine((a) => unique(a.sections.flatMap((s) => s.rows.map((r) => r.id))), "row ids must be unique")
      .refine((a) => a.sections.length === 1 || a.sections.every((s) => s.title), "every section needs a title when there are several"),
  }),
]);

const base = { messaging_product: z.literal("whatsapp"), recipient_type: z.literal("individual").optional(), to: z.string().min(1), context: z.object({ message_id: z.string().min(1) }).optional() };

/** The message bodies Kaleem sends, with the documented limits. */
export const whatsAppMessageRules = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("text"), text: z.object({ body: text(L.textBody), preview_url: z.boolean().optional() }) }),
  z.object({ ...base, type: z.literal("image"), image: media }),
  z.object({ ...base, type: z.literal("document"), document: z.intersection(media, z.object({ filename: z.string().min(1).max(240).optional() })) }),
  z.object({ ...base, type: z.literal("video"), video: media }),
  z.object({ ...base, type: z.literal("audio"), audio: z.object({ link: z.string().regex(/^https?:\/\//) }) }),
  z.object({ ...base, type: z.literal("interactive"), interactive }),
  z.object({ ...base, type: z.literal("template"), template: z.object({ name: z.string().min(1), language: z.object({ code: z.string().min(1) }) }).passthrough() }),
  z.object({ ...base, type: z.literal("reaction"), reaction: z.object({ message_id: z.string().min(1), emoji: z.string() }) }),
]);

export const whatsAppMarkReadRule = z.object({ messaging_product: z.literal("whatsapp"), status: z.literal("read"), message_id: z.string().min(1), typing_indicator: z.object({ type: z.literal("text") }).optional() });

/** Problems of a `/messages` body: the built-in rules always, Meta's schema when given. */
export function checkWhatsAppMessage(body: unknown, spec: OpenApiDocument | null): string[] {
  if (body && typeof body === "object" && "status" in body) {
    const read = whatsAppMarkReadRule.safeParse(body);
    return read.success ? [] : read.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
  }
  const problems: string[] = [];
  const rules = whatsAppMessageRules.safeParse(body);
  if (!rules.success) problems.push(...rules.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`));
  if (spec) problems.push(...validateOpenApi(spec, "Message", body).map((p) => `openapi: ${p}`));
  return problems;
}
