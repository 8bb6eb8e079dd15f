// A local WhatsApp Cloud API for tests. It checks each call as Meta would (the Bearer token, the
// Graph version, the phone number id in the path, and every /messages body against the documented
// limits and, when the reference folder has it, Meta's OpenAPI schema: see whatsapp-spec.ts),
// answers with wamids, serves media (GET /<media-id>, then the URL with the token), enforces
// the 24-hour window for customers whose last message time it is told, and plays scripted failures.
import { randomBytes } from "node:crypto";
import type { OpenApiDocument } from "./openapi.js";
import { FakeProviderServer, type FakeRequest, type HandledReply, type HandlerContext } from "./fake-server.js";
import { GRAPH_VERSION, graphAuthFailure, graphError, scriptedGraphReply } from "./graph-fake.js";
import { checkWhatsAppMessage, loadWhatsAppSpec } from "./whatsapp-spec.js";

export interface FakeWhatsAppOptions {
  phoneNumberId: string;
  accessToken: string;
  /** When set, calls naming another version are refused. */
  graphVersion?: string;
  displayPhoneNumber?: string;
  verifiedName?: string;
  /** Default: Meta's OpenAPI document when present; null checks the built-in limits only. */
  spec?: OpenApiDocument | null;
}

interface StoredMedia {
  bytes: Buffer;
  mimeType: string;
}

const WINDOW_MS = 24 * 60 * 60 * 1000;

export class FakeWhatsApp extends FakeProviderServer {
  private readonly options: FakeWhatsAppOptions;
  private spec: OpenApiDocument | null = null;
  private readonly media = new Map<string, StoredMedia>();
  private readonly lastInbound = new Map<string, number>();
  private counter = 0;

  constructor(options: FakeWhatsAppOptions) {
    super((req, ctx) => this.route(req, ctx), (req) => FakeWhatsApp.operationOf(req));
    this.options = options;
  }

  override async start(): Promise<this> {
    this.spec = this.options.spec !== undefined ? this.options.spec : await loadWhatsAppSpec();
    return super.start();
  }

  /** What the server validates bodies against, for test names. */
  get specSource(): string {
    return this.spec ? "Meta's OpenAPI document and the documented limits" : "the documented limits (OpenAPI document absent)";
  }

  get apiBaseUrl(): string {
    return this.url;
  }

  addMedia(mediaId: string, bytes: Buffer, mimeType: string): void {
    this.media.set(mediaId, { bytes, mimeType });
  }

  /** The customer's last message time: free-form sends after 24 h are refused with 131047. */
  setLastInbound(waId: string, at: Date): void {
    this.lastInbound.set(waId, at.getTime());
  }

  private static operationOf(req: FakeRequest): string {
    if (req.path.startsWith("/media-download/")) return "media_download";
    const segments = req.path.split("/").filter(Boolean);
    if (segments.length === 3 && segments[2] === "messages") return "messages";
    if (segments.length === 2) return "node";
    return "unknown";
  }


  private route(req: FakeRequest, ctx: HandlerContext): HandledReply {
    const operation = FakeWhatsApp.operationOf(req);
    const auth = graphAuthFailure(req, this.options.accessToken);
    if (auth) return this.handled(operation, auth.reply, "rejected", auth.problem);
    if (ctx.scripted) {
      const reply = scriptedGraphReply(
        ctx.scripted,
        { status: 400, code: 131047, message: "Re-engagement message", extra: { error_data: { messaging_product: "whatsapp", details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number." } } },
        { status: 400, code: 130429, message: "(#130429) Rate limit hit" },
      );
      return this.handled(operation, reply, "scripted");
    }
    if (operation === "media_download") return this.download(req);

    const [version, node, edge] = req.path.split("/").filter(Boolean);
    if (!version || !GRAPH_VERSION.test(version) || (this.options.graphVersion && version !== this.options.graphVersion)) {
      return this.handled(operation, graphError(400, 100, `Unknown path components: /${version ?? ""}`), "rejected", `Graph version ${version ?? "missing"}`);
    }
    if (operation === "node" && req.method === "GET") return this.node(node ?? "");
    if (operation === "messages" && req.method === "POST") {
      if (node !== this.options.phoneNumberId) {
        return this.handled(operation, graphError(400, 100, `Unsupported post request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { error_subcode: 33 }), "rejected", `unknown phone number id ${node}`);
      }
      return this.messages(req);
    }
    return this.handled(operation, graphError(400, 100, `Unsupported ${req.method} request on /${[node, edge].filter(Boolean).join("/")}`), "rejected", `no such call: ${req.method} ${req.path}`);
  }

  private node(id: string): HandledReply {
    if (id === this.options.phoneNumberId) {
      return this.handled("phone_number", { status: 200, body: { id, display_phone_number: this.options.displayPhoneNumber ?? "+966 11 000 0000", verified_name: this.options.verifiedName ?? "Kaleem Test Store", quality_rating: "GREEN" } }, "accepted");
    }
    const media = this.media.get(id);
    if (media) {
      const body = { messaging_product: "whatsapp", url: `${this.url}/media-download/${encodeURIComponent(id)}?ext=${randomBytes(4).toString("hex")}`, mime_type: media.mimeType, sha256: "fake", file_size: media.bytes.length, id };
      return this.handled("media", { status: 200, body }, "accepted");
    }
    return this.handled("node", graphError(400, 100, `Unsupported get request. Object with ID '${id}' does not exist.`, { error_subcode: 33 }), "refused");
  }

  private messages(req: FakeRequest): HandledReply {
    if (req.jsonInvalid || req.json === undefined) return this.handled("messages", graphError(400, 100, "(#100) The parameter messaging_product is required."), "rejected", "body is not JSON");
    const problems = checkWhatsAppMessage(req.json, this.spec);
    if (problems.length > 0) {
      return this.handled("messages", graphError(400, 100, "(#100) Invalid parameter", { error_data: { messaging_product: "whatsapp", details: problems.join("; ") } }), "rejected", problems.join("; "));
    }
    const body = req.json as { to?: string; type?: string; status?: string };
    if (body.status === "read") return this.handled("messages", { status: 200, body: { success: true } }, "accepted");
    const last = body.to !== undefined ? this.lastInbound.get(body.to) : undefined;
    if (body.type !== "template" && last !== undefined && Date.now() - last > WINDOW_MS) {
      const reply = graphError(400, 131047, "Re-engagement message", { error_data: { messaging_product: "whatsapp", details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number." } });
      return this.handled("messages", reply, "refused");
    }
    this.counter += 1;
    const wamid = `wamid.FAKE${Buffer.from(`${this.options.phoneNumberId}:${this.counter}`).toString("base64url")}`;
    return this.handled("messages", { status: 200, body: { messaging_product: "whatsapp", contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: wamid }] } }, "accepted");
  }

  private download(req: FakeRequest): HandledReply {
    const id = decodeURIComponent(req.path.slice("/media-download/".length));
    const media = this.media.get(id);
    if (!media) return this.handled("media_download", { status: 404, raw: Buffer.from("Not Found") }, "refused");
    return this.handled("media_download", { status: 200, raw: media.bytes, headers: { "content-type": media.mimeType } }, "accepted");
  }
}

export async function startFakeWhatsApp(options: FakeWhatsAppOptions): Promise<FakeWhatsApp> {
  return new FakeWhatsApp(options).start();
}
