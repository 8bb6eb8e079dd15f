// A local Messenger / Instagram Send API for tests: Bearer token, Graph version, the account id
// in the path, every body against the Send API rules (meta-messaging-spec.ts), the 24-hour window
// and the 7-day HUMAN_AGENT window for customers whose last message time it is told, message
// ids in answers, attachment downloads, account lookups and scripted failures.
import { FakeProviderServer, type FakeRequest, type HandledReply, type HandlerContext } from "./fake-server.js";
import { GRAPH_VERSION, graphAuthFailure, graphError, scriptedGraphReply } from "./graph-fake.js";
import { checkSendApiBody } from "./meta-messaging-spec.js";

export interface FakeMetaMessagingOptions {
  platform: "messenger" | "instagram";
  /** Page id or Instagram account id. */
  accountId: string;
  accessToken: string;
  graphVersion?: string;
  name?: string;
}

const DAY = 24 * 60 * 60 * 1000;
const OUTSIDE_WINDOW = { status: 400, code: 10, message: "(#10) This message is sent outside of allowed window.", extra: { error_subcode: 2018278 } };

export class FakeMetaMessaging extends FakeProviderServer {
  private readonly options: FakeMetaMessagingOptions;
  private readonly attachments = new Map<string, { bytes: Buffer; contentType: string }>();
  private readonly lastInbound = new Map<string, number>();
  private counter = 0;
  subscribedFields: string[] | null = null;

  constructor(options: FakeMetaMessagingOptions) {
    super((req, ctx) => this.route(req, ctx), (req) => FakeMetaMessaging.operationOf(req));
    this.options = options;
  }

  get apiBaseUrl(): string {
    return this.url;
  }

  /** An attachment URL as a webhook would carry it (a CDN link fetched without the token). */
  addAttachment(name: string, bytes: Buffer, contentType: string): string {
    this.attachments.set(name, { bytes, contentType });
    return `${this.url}/cdn/${encodeURIComponent(name)}?sig=fake`;
  }

  setLastInbound(recipientId: string, at: Date): void {
    this.lastInbound.set(recipientId, at.getTime());
  }

  private static operationOf(req: FakeRequest): string {
    if (req.path.startsWith("/cdn/")) return "attachment";
    const segments = req.path.split("/").filter(Boolean);
    if (segments.length === 3) return segments[2] ?? "unknown";
    if (segments.length === 2) return "account";
    return "unknown";
  }


  private route(req: FakeRequest, ctx: HandlerContext): HandledReply {
    const operation = FakeMetaMessaging.operationOf(req);
    if (operation === "attachment") {
      const file = this.attachments.get(decodeURIComponent(req.path.slice("/cdn/".length)));
      // CDN links carry their own signature: a Bearer token here would be a token leak.
      if (req.headers.authorization) return this.handled(operation, { status: 400, raw: Buffer.from("unexpected credentials") }, "rejected", "a token was sent to an attachment URL");
      if (!file) return this.handled(operation, { status: 404, raw: Buffer.from("Not Found") }, "refused");
      return this.handled(operation, { status: 200, raw: file.bytes, headers: { "content-type": file.contentType } }, "accepted");
    }
    const auth = graphAuthFailure(req, this.options.accessToken);
    if (auth) return this.handled(operation, auth.reply, "rejected", auth.problem);
    if (ctx.scripted) return this.handled(operation, scriptedGraphReply(ctx.scripted, OUTSIDE_WINDOW, { status: 400, code: 613, message: "(#613) Calls to this api have exceeded the rate limit." }), "scripted");

    const [version, node] = req.path.split("/").filter(Boolean);
    if (!version || !GRAPH_VERSION.test(version) || (this.options.graphVersion && version !== this.options.graphVersion)) {
      return this.handled(operation, graphError(400, 100, `Unknown path components: /${version ?? ""}`), "rejected", `Graph version ${version ?? "missing"}`);
    }
    if (node !== this.options.accountId && node !== "me") {
      return this.handled(operation, graphError(400, 100, `Unsupported request. Object with ID '${node}' does not exist.`, { error_subcode: 33 }), "rejected", `unknown account id ${node}`);
    }
    if (operation === "account" && req.method === "GET") {
      const body = this.options.platform === "instagram" ? { id: this.options.accountId, username: this.options.name ?? "kaleem.test" } : { id: this.options.accountId, name: this.options.name ?? "Kaleem Test Page" };
      return this.handled(operation, { status: 200, body }, "accepted");
    }
    if (operation === "subscribed_apps" && req.method === "POST" && this.options.platform === "messenger") {
      const fields = (req.json as { subscribed_fields?: unknown } | undefined)?.subscribed_fields ?? req.query.get("subscribed_fields");
      if (typeof fields !== "string" || fields === "") return this.handled(operation, graphError(400, 100, "(#100) subscribed_fields is required"), "rejected", "no subscribed_fields");
      this.subscribedFields = fields.split(",");
      return this.handled(operation, { status: 200, body: { success: true } }, "accepted");
    }
    if (operation === "messages" && req.method === "POST") return this.send(req);
    return this.handled(operation, graphError(400, 100, `Unsupported ${req.method} request`), "rejected", `no such call: ${req.method} ${req.path}`);
  }

  private send(req: FakeRequest): HandledReply {
    if (req.jsonInvalid || req.json === undefined) return this.handled("messages", graphError(400, 100, "(#100) param recipient must be non-empty."), "rejected", "body is not JSON");
    const problems = checkSendApiBody(this.options.platform, req.json);
    if (problems.length > 0) return this.handled("messages", graphError(400, 100, `(#100) ${problems[0]}`, { error_data: { details: problems.join("; ") } }), "rejected", problems.join("; "));
    const body = req.json as { recipient: { id?: string }; messaging_type: string; tag?: string };
    const recipient = body.recipient.id ?? "";
    const last = this.lastInbound.get(recipient);
    if (last !== undefined) {
      const age = Date.now() - last;
      const allowed = body.messaging_type === "RESPONSE" ? age <= DAY : body.tag === "HUMAN_AGENT" ? age <= 7 * DAY : true;
      if (!allowed) return this.handled("messages", graphError(OUTSIDE_WINDOW.status, OUTSIDE_WINDOW.code, OUTSIDE_WINDOW.message, OUTSIDE_WINDOW.extra), "refused");
    }
    this.counter += 1;
    const prefix = this.options.platform === "instagram" ? "aWdf" : "m_";
    return this.handled("messages", { status: 200, body: { recipient_id: recipient, message_id: `${prefix}FAKE${this.counter.toString().padStart(6, "0")}` } }, "accepted");
  }
}

export async function startFakeMetaMessaging(options: FakeMetaMessagingOptions): Promise<FakeMetaMessaging> {
  return new FakeMetaMessaging(options).start();
}
