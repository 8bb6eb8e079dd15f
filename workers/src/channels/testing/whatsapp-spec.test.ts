import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WHATSAPP_LIMITS } from "../whatsapp/send.js";
import { validateOpenApi, type JsonSchema, type OpenApiDocument } from "./openapi.js";
import { sharedSpecsDir } from "./reference-files.js";
import { checkWhatsAppMessage, loadWhatsAppSpec, whatsAppSpecPath } from "./whatsapp-spec.js";

const haveSpec = existsSync(whatsAppSpecPath);
const examplesDir = path.join(sharedSpecsDir, "whatsapp", "send-message-examples");

/** A step into the document: a key, or the oneOf/allOf branch that declares a property. */
type Step = string | { declares: string };
function at(doc: OpenApiDocument, schema: string, steps: Step[]): unknown {
  let node: unknown = doc.components?.schemas?.[schema];
  for (const step of steps) {
    if (typeof step === "string") node = (node as Record<string, unknown> | undefined)?.[step];
    else node = (node as JsonSchema[] | undefined)?.find((branch) => branch.properties?.[step.declares] !== undefined);
  }
  return node;
}

/** Where Meta's document states each limit Kaleem builds to. */
const WHERE: Record<keyof typeof WHATSAPP_LIMITS, [string, Step[]]> = {
  textBody: ["TextMessage_1", ["properties", "body", "maxLength"]],
  interactiveBody: ["BodyObject", ["properties", "text", "maxLength"]],
  caption: ["MediaObject_1", ["oneOf", { declares: "link" }, "properties", "caption", "maxLength"]],
  buttons: ["ActionObject", ["oneOf", { declares: "buttons" }, "properties", "buttons", "maxItems"]],
  buttonTitle: ["ActionObject", ["oneOf", { declares: "buttons" }, "properties", "buttons", "items", "properties", "reply", "properties", "title", "maxLength"]],
  buttonId: ["ActionObject", ["oneOf", { declares: "buttons" }, "properties", "buttons", "items", "properties", "reply", "properties", "id", "maxLength"]],
  listButton: ["ActionObject", ["oneOf", { declares: "button" }, "properties", "button", "maxLength"]],
  listSections: ["ActionObject", ["oneOf", { declares: "button" }, "properties", "sections", "maxItems"]],
  // Per section in the document; Meta's guide caps a list at 10 rows in all, which is stricter.
  listRows: ["SectionObject", ["properties", "rows", "maxItems"]],
  sectionTitle: ["SectionObject", ["properties", "title", "maxLength"]],
  rowTitle: ["SectionObject", ["properties", "rows", "items", "properties", "title", "maxLength"]],
  rowDescription: ["SectionObject", ["properties", "rows", "items", "properties", "description", "maxLength"]],
  rowId: ["SectionObject", ["properties", "rows", "items", "properties", "id", "maxLength"]],
  headerText: ["HeaderObject", ["properties", "text", "maxLength"]],
  footerText: ["FooterObject", ["properties", "text", "maxLength"]],
};

describe.skipIf(!haveSpec)(haveSpec ? `WhatsApp limits against ${whatsAppSpecPath}` : `WhatsApp limits cross-check: skipped, ${whatsAppSpecPath} is absent`, () => {
  it("every built-in limit is the value Meta's document states", async () => {
    const doc = (await loadWhatsAppSpec())!;
    for (const [name, where] of Object.entries(WHERE)) {
      expect(at(doc, where[0], where[1]), name).toBe(WHATSAPP_LIMITS[name as keyof typeof WHATSAPP_LIMITS]);
    }
  });

  it("the spec's own examples of what Kaleem sends (text, reply buttons, list, image by link, reply context) pass both checks", async () => {
    const doc = (await loadWhatsAppSpec())!;
    for (const file of ["send_text_message.json", "send_reply_button.json", "send_list_message.json", "send_image_message_by_url.json", "send_reply_to_text_message.json"]) {
      const example = JSON.parse(readFileSync(path.join(examplesDir, file), "utf8")) as Record<string, unknown>;
      // The examples carry placeholders; give the image one a real-looking URL.
      if (file === "send_image_message_by_url.json") example.image = { link: "https://cdn.example.test/i.jpg" };
      expect(validateOpenApi(doc, "Message", example), file).toEqual([]);
      expect(checkWhatsAppMessage(example, doc), file).toEqual([]);
    }
  });

  it("the schema check catches what the document forbids: unknown fields, a fourth button, a wrong type", async () => {
    const doc = (await loadWhatsAppSpec())!;
    const text = { messaging_product: "whatsapp", recipient_type: "individual", to: "966500000001", type: "text", text: { body: "hi" } };
    expect(validateOpenApi(doc, "Message", text)).toEqual([]);
    expect(validateOpenApi(doc, "Message", { ...text, txet: 1 })).toEqual(["body.txet is not allowed"]);
    expect(validateOpenApi(doc, "Message", { ...text, text: { body: "hi", preview: true } })).toEqual(["body.text.preview is not allowed"]);
    expect(validateOpenApi(doc, "Message", { ...text, type: "carousel" })).toEqual(['body.type: "carousel" is not one of text, audio, document, image, location, video, sticker, reaction, interactive, template, contacts']);
    const button = (n: number) => ({ type: "reply", reply: { id: `b${n}`, title: `B${n}` } });
    const four = { ...text, type: "interactive", text: undefined, interactive: { type: "button", body: { text: "pick" }, action: { buttons: [1, 2, 3, 4].map(button) } } };
    expect(validateOpenApi(doc, "Message", JSON.parse(JSON.stringify(four))).join("\n")).toMatch(/buttons has more than 3 items/);
    expect(validateOpenApi(doc, "Message", { ...text, to: 966500000001 })).toEqual(["body.to must be string"]);
  });
});

describe("the built-in WhatsApp rules (what the fake enforces even without the document)", () => {
  const base = { messaging_product: "whatsapp", recipient_type: "individual", to: "966500000001" };
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));
  const list = (sections: Array<{ title?: string; rows: ReturnType<typeof rows> }>) => ({ ...base, type: "interactive", interactive: { type: "list", body: { text: "pick" }, action: { button: "Options", sections } } });

  it("accepts what Kaleem sends and refuses each broken limit", () => {
    expect(checkWhatsAppMessage({ ...base, type: "text", text: { body: "hi", preview_url: false } }, null)).toEqual([]);
    expect(checkWhatsAppMessage({ ...base, type: "text", text: { body: "x".repeat(4097) } }, null)).not.toEqual([]);
    expect(checkWhatsAppMessage(list([{ rows: rows(10) }]), null)).toEqual([]);
    expect(checkWhatsAppMessage(list([{ title: "A", rows: rows(6) }, { title: "B", rows: rows(5).map((r) => ({ ...r, id: `${r.id}b` })) }]), null).join()).toMatch(/at most 10 rows in all/);
    expect(checkWhatsAppMessage(list([{ rows: rows(2) }, { rows: rows(1).map((r) => ({ ...r, id: "z" })) }]), null).join()).toMatch(/needs a title/);
    expect(checkWhatsAppMessage(list([{ rows: [{ id: "a", title: "x".repeat(25) }] }]), null)).not.toEqual([]);
    const buttons = (titles: string[]) => ({ ...base, type: "interactive", interactive: { type: "button", body: { text: "pick" }, action: { buttons: titles.map((t, i) => ({ type: "reply", reply: { id: `b${i}`, title: t } })) } } });
    expect(checkWhatsAppMessage(buttons(["Yes", "No"]), null)).toEqual([]);
    expect(checkWhatsAppMessage(buttons(["Same", "Same"]), null).join()).toMatch(/titles must be unique/);
    expect(checkWhatsAppMessage(buttons(["x".repeat(21)]), null)).not.toEqual([]);
    expect(checkWhatsAppMessage(buttons(["a", "b", "c", "d"]), null)).not.toEqual([]);
    expect(checkWhatsAppMessage({ messaging_product: "whatsapp", status: "read", message_id: "wamid.x" }, null)).toEqual([]);
  });
});
