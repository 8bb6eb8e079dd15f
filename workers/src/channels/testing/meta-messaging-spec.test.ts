import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkSendApiBody } from "./meta-messaging-spec.js";
import { jsonFiles, sharedSpecsDir } from "./reference-files.js";

const examplesDir = path.join(sharedSpecsDir, "meta", "send-api-examples");
const haveExamples = existsSync(examplesDir);

/** The Postman bodies use placeholders for URLs; give them real-looking ones. */
function withUrls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withUrls);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, (k === "url" || k === "image_url") && typeof v === "string" && !/^https?:\/\//.test(v) ? "https://cdn.example.test/asset" : withUrls(v)]),
    );
  }
  return value;
}

/** Bodies Kaleem never sends, which the fake's rules therefore do not cover. */
const NOT_COVERED = new Set(["instagram__send_api__send_a_sticker.json", "instagram__send_api__published_post.json", "messenger__attachment_upload_api__attachment_upload_photo.json"]);

describe.skipIf(!haveExamples)(haveExamples ? `Meta's Send API examples (${examplesDir})` : `Meta's Send API examples: skipped, ${examplesDir} is absent`, () => {
  it("pass the fake's rules once messaging_type is added, and fail without it", () => {
    const files = jsonFiles(examplesDir);
    expect(files.length).toBeGreaterThan(0);
    for (const [name, example] of files) {
      const platform = name.startsWith("instagram") ? "instagram" : "messenger";
      const body = withUrls((example as { body: Record<string, unknown> }).body) as Record<string, unknown>;
      if (NOT_COVERED.has(name)) {
        expect(checkSendApiBody(platform, { ...body, messaging_type: "RESPONSE" }), name).not.toEqual([]);
        continue;
      }
      expect(checkSendApiBody(platform, { ...body, messaging_type: "RESPONSE" }), name).toEqual([]);
      expect(checkSendApiBody(platform, body).join(), name).toMatch(/messaging_type/);
    }
  });
});

describe("Send API rules", () => {
  const text = { recipient: { id: "7300000000000001" }, messaging_type: "RESPONSE", message: { text: "hi" } };
  it("messaging_type and tags go together", () => {
    expect(checkSendApiBody("messenger", text)).toEqual([]);
    expect(checkSendApiBody("messenger", { ...text, messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT" })).toEqual([]);
    expect(checkSendApiBody("messenger", { ...text, messaging_type: "MESSAGE_TAG" }).join()).toMatch(/needs a tag/);
    expect(checkSendApiBody("messenger", { ...text, tag: "HUMAN_AGENT" }).join()).toMatch(/MESSAGE_TAG/);
    expect(checkSendApiBody("messenger", { ...text, messaging_type: "MESSAGE_TAG", tag: "SHOPPING" })).not.toEqual([]);
  });
  it("limits: 2000 characters on Messenger, 1000 bytes on Instagram, 13 quick replies, 20-character titles, 10 elements", () => {
    expect(checkSendApiBody("messenger", { ...text, message: { text: "x".repeat(2001) } })).not.toEqual([]);
    expect(checkSendApiBody("instagram", { ...text, message: { text: "ب".repeat(501) } }).join()).toMatch(/1000 bytes/);
    expect(checkSendApiBody("instagram", { ...text, message: { text: "ب".repeat(500) } })).toEqual([]);
    const qr = (n: number, title = "Option") => Array.from({ length: n }, (_, i) => ({ content_type: "text", title, payload: `p${i}` }));
    expect(checkSendApiBody("messenger", { ...text, message: { text: "pick", quick_replies: qr(13) } })).toEqual([]);
    expect(checkSendApiBody("messenger", { ...text, message: { text: "pick", quick_replies: qr(14) } })).not.toEqual([]);
    expect(checkSendApiBody("messenger", { ...text, message: { text: "pick", quick_replies: qr(1, "x".repeat(21)) } })).not.toEqual([]);
    const el = { title: "Box", subtitle: "45 SAR" };
    const generic = (n: number) => ({ ...text, message: { attachment: { type: "template", payload: { template_type: "generic", elements: Array(n).fill(el) } } } });
    expect(checkSendApiBody("messenger", generic(10))).toEqual([]);
    expect(checkSendApiBody("messenger", generic(11))).not.toEqual([]);
    expect(checkSendApiBody("messenger", { ...text, message: { text: "a", attachment: generic(1).message.attachment } }).join()).toMatch(/not both/);
  });
});
