// A local Telegram Bot API for tests. It checks every call the way Telegram would (the token in
// the path, the method, each parameter against the Bot API spec: see telegram-spec.ts), answers
// with Telegram's envelopes and ids, serves getFile downloads, and plays scripted failures.
import { validateTelegramCall, loadTelegramSpec, type TelegramApiSpec } from "./telegram-spec.js";
import { FakeProviderServer, type FakeRequest, type HandledReply, type HandlerContext, type ScriptedFailure } from "./fake-server.js";

export interface FakeTelegramOptions {
  botToken: string;
  /** Default: api.json from ../shared/specs when present, else the built-in subset. */
  spec?: TelegramApiSpec;
  bot?: { id: number; username: string; firstName: string };
}

interface StoredFile {
  bytes: Buffer;
  contentType: string;
  path: string;
}

interface SentMessage {
  chatId: string;
  messageId: number;
  text: string | null;
}

const tgError = (status: number, description: string, extra: Record<string, unknown> = {}) => ({ ok: false, error_code: status, description, ...extra });

function scriptedReply(failure: ScriptedFailure): { status: number; body?: unknown; raw?: Buffer; headers?: Record<string, string> } {
  switch (failure.kind) {
    case "rate_limited": {
      const s = failure.retryAfterSeconds ?? 1;
      return { status: 429, body: tgError(429, `Too Many Requests: retry after ${s}`, { parameters: { retry_after: s } }) };
    }
    case "server_error":
      return failure.html
        ? { status: failure.status ?? 502, raw: Buffer.from("<html><body><h1>502 Bad Gateway</h1></body></html>"), headers: { "content-type": "text/html" } }
        : { status: failure.status ?? 500, body: tgError(failure.status ?? 500, "Internal Server Error") };
    case "auth":
      return { status: 401, body: tgError(401, "Unauthorized") };
    case "blocked":
      return { status: 403, body: tgError(403, "Forbidden: bot was blocked by the user") };
    case "window_closed":
      // Telegram has no messaging window; the nearest thing is a user who blocked the bot.
      return { status: 403, body: tgError(403, "Forbidden: bot was blocked by the user") };
    case "reply":
      return failure.reply;
    default:
      return { status: 500, body: tgError(500, "Internal Server Error") };
  }
}

export class FakeTelegram extends FakeProviderServer {
  readonly spec: TelegramApiSpec;
  private readonly token: string;
  private readonly bot: { id: number; username: string; firstName: string };
  private readonly files = new Map<string, StoredFile>();
  private readonly messages: SentMessage[] = [];
  private readonly nextId = new Map<string, number>();
  webhook: { url: string; secretToken: string | null; allowedUpdates: string[] | null } | null = null;

  constructor(options: FakeTelegramOptions) {
    super((req, ctx) => this.route(req, ctx), (req) => FakeTelegram.operationOf(req));
    this.token = options.botToken;
    this.spec = options.spec ?? loadTelegramSpec();
    this.bot = options.bot ?? { id: Number(options.botToken.split(":")[0]) || 1, username: "kaleem_test_bot", firstName: "Kaleem Test" };
  }

  /** The API base URL to configure the channel with (`apiBaseUrl`). */
  get apiBaseUrl(): string {
    return this.url;
  }

  /** Makes a file downloadable through getFile + /file/bot<token>/<path>. */
  addFile(fileId: string, bytes: Buffer, contentType: string): void {
    this.files.set(fileId, { bytes, contentType, path: `documents/file_${this.files.size + 1}` });
  }

  /** The messages the bot sent (sendMessage/sendPhoto), as the customer's chat shows them. */
  sentMessages(): readonly SentMessage[] {
    return this.messages;
  }

  private static operationOf(req: FakeRequest): string {
    const m = /^\/(file\/)?bot[^/]+\/(.*)$/.exec(req.path);
    if (!m) return "unknown";
    return m[1] ? "file" : (m[2] ?? "unknown");
  }

  private reply(operation: string, status: number, body: unknown, outcome: HandledReply["outcome"] = "accepted", problem?: string): HandledReply {
    return this.handled(operation, { status, body }, outcome, problem);
  }

  private route(req: FakeRequest, ctx: HandlerContext): HandledReply {
    const m = /^\/(file\/)?bot([^/]+)\/(.+)$/.exec(req.path);
    const operation = FakeTelegram.operationOf(req);
    if (!m) return this.reply(operation, 404, tgError(404, "Not Found"), "rejected", `not a Bot API path: ${req.path}`);
    if (m[2] !== this.token) return this.reply(operation, 401, tgError(401, "Unauthorized"), "rejected", "wrong bot token in the path");
    if (ctx.scripted) return { operation, outcome: "scripted", ...scriptedReply(ctx.scripted) };
    if (m[1]) return this.download(decodeURIComponent(m[3] ?? ""));

    const method = m[3] ?? "";
    if (req.method !== "GET" && req.method !== "POST") return this.reply(method, 405, tgError(405, "Method Not Allowed"), "rejected", `HTTP ${req.method}`);
    if (req.jsonInvalid) return this.reply(method, 400, tgError(400, "Bad Request: can't parse JSON"), "rejected", "body is not JSON");
    if (req.rawBody.length > 0 && !String(req.headers["content-type"] ?? "").startsWith("application/json")) {
      return this.reply(method, 400, tgError(400, "Bad Request: unsupported content type"), "rejected", "a JSON body needs content-type application/json");
    }
    const params = req.json ?? Object.fromEntries(req.query);
    const problems = validateTelegramCall(this.spec, method, params);
    if (problems.length > 0) {
      const status = this.spec.methods[method] ? 400 : 404;
      return this.reply(method, status, tgError(status, status === 404 ? "Not Found" : `Bad Request: ${problems[0]}`), "rejected", problems.join("; "));
    }
    return this.perform(method, params as Record<string, unknown>);
  }

  private perform(method: string, p: Record<string, unknown>): HandledReply {
    const ok = (result: unknown) => this.reply(method, 200, { ok: true, result });
    const bad = (description: string) => this.reply(method, 400, tgError(400, `Bad Request: ${description}`), "rejected", description);
    switch (method) {
      case "getMe":
        return ok({ id: this.bot.id, is_bot: true, first_name: this.bot.firstName, username: this.bot.username, can_join_groups: true, supports_inline_queries: false });
      case "setWebhook": {
        const url = String(p.url);
        if (url !== "" && !/^https:\/\//.test(url)) return bad("bad webhook: An HTTPS URL must be provided for webhook");
        const secret = p.secret_token as string | undefined;
        if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) return bad("secret token contains unallowed characters");
        this.webhook = { url, secretToken: secret ?? null, allowedUpdates: (p.allowed_updates as string[] | undefined) ?? null };
        return ok(true);
      }
      case "deleteWebhook":
        this.webhook = null;
        return ok(true);
      case "getFile": {
        const file = this.files.get(String(p.file_id));
        if (!file) return this.reply(method, 400, tgError(400, "Bad Request: invalid file_id"), "refused");
        return ok({ file_id: p.file_id, file_unique_id: `u${String(p.file_id).slice(0, 8)}`, file_size: file.bytes.length, file_path: file.path });
      }
      case "sendMessage":
      case "sendPhoto":
      case "sendDocument": {
        const text = method === "sendMessage" ? String(p.text) : ((p.caption as string | undefined) ?? null);
        if (method === "sendDocument" && !/^https?:\/\//.test(String(p.document)) && String(p.document).length < 20) return bad("wrong remote file identifier specified");
        if (method === "sendMessage" && text !== null && text.trim() === "") return bad("message text is empty");
        if (method === "sendPhoto" && !/^https?:\/\//.test(String(p.photo)) && String(p.photo).length < 20) return bad("wrong remote file identifier specified");
        const chatId = String(p.chat_id);
        const messageId = (this.nextId.get(chatId) ?? 0) + 1;
        this.nextId.set(chatId, messageId);
        this.messages.push({ chatId, messageId, text });
        const message: Record<string, unknown> = {
          message_id: messageId,
          from: { id: this.bot.id, is_bot: true, first_name: this.bot.firstName, username: this.bot.username },
          chat: { id: p.chat_id, type: "private" },
          date: Math.floor(Date.now() / 1000),
        };
        if (method === "sendMessage") message.text = text;
        else if (method === "sendDocument") {
          message.document = { file_id: `doc-${chatId}-${messageId}`, file_unique_id: `d${messageId}`, file_name: "file" };
          if (text) message.caption = text;
        } else {
          message.photo = [{ file_id: `photo-${chatId}-${messageId}`, file_unique_id: `p${messageId}`, width: 800, height: 800 }];
          if (text) message.caption = text;
        }
        if (p.reply_markup) message.reply_markup = p.reply_markup;
        return ok(message);
      }
      case "editMessageText": {
        if (p.inline_message_id === undefined && (p.chat_id === undefined || p.message_id === undefined)) return bad("message identifier is not specified");
        if (p.text === undefined) return bad("text or rich_message must be specified");
        const sent = this.messages.find((m) => m.chatId === String(p.chat_id) && m.messageId === p.message_id);
        if (!sent) return this.reply(method, 400, tgError(400, "Bad Request: message to edit not found"), "refused");
        if (sent.text === p.text) {
          const description = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
          return this.reply(method, 400, tgError(400, description), "refused");
        }
        sent.text = String(p.text);
        return ok({ message_id: sent.messageId, chat: { id: p.chat_id, type: "private" }, date: Math.floor(Date.now() / 1000), edit_date: Math.floor(Date.now() / 1000), text: sent.text });
      }
      case "answerCallbackQuery":
        return ok(true);
      default:
        // A real method Kaleem has no reason to call: accept it as Telegram would, answering true.
        return ok(true);
    }
  }

  private download(filePath: string): HandledReply {
    const file = [...this.files.values()].find((f) => f.path === filePath);
    if (!file) return this.reply("file", 404, tgError(404, "Not Found"), "rejected", `no file at ${filePath}`);
    return { operation: "file", status: 200, outcome: "accepted", raw: file.bytes, headers: { "content-type": file.contentType } };
  }
}

export async function startFakeTelegram(options: FakeTelegramOptions): Promise<FakeTelegram> {
  return new FakeTelegram(options).start();
}
