// Telegram Bot API method and type definitions, read mechanically from the published api.json
// (../shared/specs/telegram/api.json, Bot API 10.1) when present, else from the built-in subset
// below (the methods and types Kaleem uses, with the same field names, types, required flags and
// the limits their descriptions state). `validateTelegramCall` checks parameters against either:
// required fields, no unknown fields (stricter than Telegram, which ignores them: a misspelt
// field is a bug), types ("Integer", "Array of Array of InlineKeyboardButton", object types and
// their subtypes), the "N-M characters/bytes" limits of the descriptions, and "exactly one of the
// fields other than ..." rules.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { sharedSpecsDir } from "./reference-files.js";

export interface TelegramField {
  name: string;
  types: string[];
  required: boolean;
  description: string;
}
export interface TelegramMethodSpec {
  name: string;
  fields?: TelegramField[];
}
export interface TelegramTypeSpec {
  name: string;
  fields?: TelegramField[];
  subtypes?: string[];
  description?: string[];
}
export interface TelegramApiSpec {
  /** Where the definitions came from: the api.json path, or "built-in". */
  source: string;
  methods: Record<string, TelegramMethodSpec>;
  types: Record<string, TelegramTypeSpec>;
}

const f = (name: string, types: string[], required: boolean, description = ""): TelegramField => ({ name, types, required, description });
const chatId = f("chat_id", ["Integer", "String"], true, "Unique identifier for the target chat or username of the target channel");
const replyMarkup = f("reply_markup", ["InlineKeyboardMarkup", "ReplyKeyboardMarkup", "ReplyKeyboardRemove", "ForceReply"], false, "Additional interface options");

/** The subset Kaleem calls, written from the Bot API documentation. */
export const BUILT_IN_TELEGRAM_SPEC: TelegramApiSpec = {
  source: "built-in",
  methods: {
    getMe: { name: "getMe" },
    getFile: { name: "getFile", fields: [f("file_id", ["String"], true, "File identifier to get information about")] },
    setWebhook: {
      name: "setWebhook",
      fields: [
        f("url", ["String"], true, "HTTPS URL to send updates to"),
        f("max_connections", ["Integer"], false, "Maximum simultaneous connections, 1-100"),
        f("allowed_updates", ["Array of String"], false, "Update types to receive"),
        f("drop_pending_updates", ["Boolean"], false, "Drop all pending updates"),
        f("secret_token", ["String"], false, "Secret sent back in a header, 1-256 characters"),
      ],
    },
    deleteWebhook: { name: "deleteWebhook", fields: [f("drop_pending_updates", ["Boolean"], false, "Drop all pending updates")] },
    sendMessage: {
      name: "sendMessage",
      fields: [
        chatId,
        f("text", ["String"], true, "Text of the message, 1-4096 characters after entities parsing"),
        f("parse_mode", ["String"], false, "Mode for parsing entities"),
        f("link_preview_options", ["LinkPreviewOptions"], false, "Link preview options"),
        f("disable_notification", ["Boolean"], false, "Send silently"),
        f("protect_content", ["Boolean"], false, "Protect from forwarding"),
        f("reply_parameters", ["ReplyParameters"], false, "What the message replies to"),
        replyMarkup,
      ],
    },
    sendPhoto: {
      name: "sendPhoto",
      fields: [
        chatId,
        f("photo", ["InputFile", "String"], true, "file_id, HTTP URL, or upload"),
        f("caption", ["String"], false, "Photo caption, 0-1024 characters after entities parsing"),
        f("parse_mode", ["String"], false, "Mode for parsing entities"),
        f("disable_notification", ["Boolean"], false, "Send silently"),
        f("reply_parameters", ["ReplyParameters"], false, "What the message replies to"),
        replyMarkup,
      ],
    },
    sendDocument: {
      name: "sendDocument",
      fields: [
        chatId,
        f("document", ["InputFile", "String"], true, "file_id, HTTP URL, or upload"),
        f("caption", ["String"], false, "Document caption, 0-1024 characters after entities parsing"),
        f("parse_mode", ["String"], false, "Mode for parsing entities"),
        f("disable_notification", ["Boolean"], false, "Send silently"),
        f("reply_parameters", ["ReplyParameters"], false, "What the message replies to"),
        replyMarkup,
      ],
    },
    answerCallbackQuery: {
      name: "answerCallbackQuery",
      fields: [
        f("callback_query_id", ["String"], true, "Query to answer"),
        f("text", ["String"], false, "Notification text, 0-200 characters"),
        f("show_alert", ["Boolean"], false, "Alert instead of notification"),
        f("url", ["String"], false, "URL to open"),
        f("cache_time", ["Integer"], false, "Client-side cache seconds"),
      ],
    },
    editMessageText: {
      name: "editMessageText",
      fields: [
        f("chat_id", ["Integer", "String"], false, "Required if inline_message_id is not specified"),
        f("message_id", ["Integer"], false, "Required if inline_message_id is not specified"),
        f("inline_message_id", ["String"], false, "Required if chat_id and message_id are not specified"),
        f("text", ["String"], false, "New text, 1-4096 characters after entity parsing"),
        f("parse_mode", ["String"], false, "Mode for parsing entities"),
        f("link_preview_options", ["LinkPreviewOptions"], false, "Link preview options"),
        f("reply_markup", ["InlineKeyboardMarkup"], false, "Inline keyboard"),
      ],
    },
  },
  types: {
    InlineKeyboardMarkup: { name: "InlineKeyboardMarkup", fields: [f("inline_keyboard", ["Array of Array of InlineKeyboardButton"], true, "Button rows")] },
    InlineKeyboardButton: {
      name: "InlineKeyboardButton",
      description: ["One button of an inline keyboard. Exactly one of the fields other than text must be used to specify the type of the button."],
      fields: [
        f("text", ["String"], true, "Label text on the button"),
        f("url", ["String"], false, "Optional. HTTP or tg:// URL to open"),
        f("callback_data", ["String"], false, "Optional. Data sent in a callback query, 1-64 bytes"),
      ],
    },
    ReplyParameters: {
      name: "ReplyParameters",
      fields: [
        f("message_id", ["Integer"], true, "Message to reply to"),
        f("chat_id", ["Integer", "String"], false, "Optional. Chat of that message"),
        f("allow_sending_without_reply", ["Boolean"], false, "Optional. Send even if it is gone"),
      ],
    },
    LinkPreviewOptions: {
      name: "LinkPreviewOptions",
      fields: [
        f("is_disabled", ["Boolean"], false, "Optional."),
        f("url", ["String"], false, "Optional."),
        f("prefer_small_media", ["Boolean"], false, "Optional."),
        f("prefer_large_media", ["Boolean"], false, "Optional."),
        f("show_above_text", ["Boolean"], false, "Optional."),
      ],
    },
  },
};

export const telegramSpecPath = path.join(sharedSpecsDir, "telegram", "api.json");
let cached: TelegramApiSpec | null = null;

/** api.json when the reference folder has it, else the built-in subset. */
export function loadTelegramSpec(): TelegramApiSpec {
  if (cached) return cached;
  if (existsSync(telegramSpecPath)) {
    const raw = JSON.parse(readFileSync(telegramSpecPath, "utf8")) as { methods: Record<string, TelegramMethodSpec>; types: Record<string, TelegramTypeSpec> };
    cached = { source: telegramSpecPath, methods: raw.methods, types: raw.types };
  } else {
    cached = BUILT_IN_TELEGRAM_SPEC;
  }
  return cached;
}

/** The "N-M characters" / "N-M bytes" limit a description states, if any. */
export function describedLimit(description: string): { min: number; max: number; unit: "characters" | "bytes" } | null {
  const m = /(\d+)-(\d+) (characters|bytes)/.exec(description);
  return m ? { min: Number(m[1]), max: Number(m[2]), unit: m[3] as "characters" | "bytes" } : null;
}

/** "Exactly one of the fields other than text, icon_custom_emoji_id, and style must be used" → those names. */
export function exactlyOneExcept(type: TelegramTypeSpec): string[] | null {
  const m = /Exactly one of the fields other than (.+?) must be used/.exec((type.description ?? []).join(" "));
  if (!m?.[1]) return null;
  return m[1].split(/,\s*(?:and\s+)?|\s+and\s+/).map((s) => s.trim()).filter(Boolean);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkScalar(typeName: string, value: unknown): boolean | null {
  switch (typeName) {
    case "Integer":
      return typeof value === "number" && Number.isInteger(value);
    case "Float":
    case "Float number":
      return typeof value === "number" && Number.isFinite(value);
    case "String":
      return typeof value === "string";
    case "Boolean":
      return typeof value === "boolean";
    case "True":
      return value === true;
    case "InputFile":
      // An upload is multipart; in a JSON body it cannot be one.
      return false;
    default:
      return null;
  }
}

/** Problems of `value` against one type name; [] when it matches. */
function checkType(spec: TelegramApiSpec, typeName: string, value: unknown, where: string, depth: number): string[] {
  if (depth > 12) return [];
  if (typeName.startsWith("Array of ")) {
    if (!Array.isArray(value)) return [`${where} must be an array`];
    return value.flatMap((item, i) => checkType(spec, typeName.slice("Array of ".length), item, `${where}[${i}]`, depth + 1));
  }
  const scalar = checkScalar(typeName, value);
  if (scalar !== null) return scalar ? [] : [`${where} must be ${typeName}`];
  const type = spec.types[typeName];
  // A type the spec does not define (the built-in subset leaves out what Kaleem never sends) matches nothing.
  if (!type) return [`${where}: ${typeName} is not defined in ${spec.source === "built-in" ? "the built-in subset" : "the spec"}`];
  if (type.subtypes?.length) {
    const tries = type.subtypes.map((sub) => checkType(spec, sub, value, where, depth + 1));
    return tries.some((t) => t.length === 0) ? [] : [`${where} matches none of ${typeName}'s forms (${type.subtypes.join(", ")})`];
  }
  if (!isObject(value)) return [`${where} must be a ${typeName} object`];
  const problems = checkFields(spec, type.fields ?? [], value, where, depth);
  const except = exactlyOneExcept(type);
  if (except) {
    const used = Object.keys(value).filter((k) => !except.includes(k));
    if (used.length !== 1) problems.push(`${where}: a ${typeName} needs exactly one of its fields other than ${except.join(", ")} (has ${used.join(", ") || "none"})`);
  }
  return problems;
}

function checkFields(spec: TelegramApiSpec, fields: TelegramField[], value: Record<string, unknown>, where: string, depth: number): string[] {
  const problems: string[] = [];
  const known = new Map(fields.map((field) => [field.name, field]));
  for (const key of Object.keys(value)) if (!known.has(key)) problems.push(`${where}.${key} is not a parameter`);
  for (const field of fields) {
    const v = value[field.name];
    const at = `${where}.${field.name}`;
    if (v === undefined || v === null) {
      if (field.required) problems.push(`${at} is required`);
      continue;
    }
    const tries = field.types.map((t) => checkType(spec, t, v, at, depth + 1));
    const best = tries.find((t) => t.length === 0);
    if (!best) {
      if (tries.length === 1) problems.push(...tries[0]!);
      else if (!isObject(v)) problems.push(`${at} must be one of ${field.types.join(" or ")}`);
      else {
        // For an object, say what is wrong with it as the form it comes closest to.
        const closest = tries.reduce((a, b) => (b.length < a.length ? b : a));
        problems.push(`${at} must be one of ${field.types.join(" or ")}; as ${field.types[tries.indexOf(closest)]}: ${closest.join("; ")}`);
      }
      continue;
    }
    const limit = describedLimit(field.description);
    if (limit && typeof v === "string") {
      const size = limit.unit === "bytes" ? Buffer.byteLength(v, "utf8") : v.length;
      if (size < limit.min || size > limit.max) problems.push(`${at} must be ${limit.min}-${limit.max} ${limit.unit} (is ${size})`);
    }
  }
  return problems;
}

/** Problems of a method call's parameters; [] when Telegram would accept them. */
export function validateTelegramCall(spec: TelegramApiSpec, method: string, params: unknown): string[] {
  const m = spec.methods[method];
  if (!m) return [`${method} is not a Bot API method`];
  if (params !== undefined && !isObject(params)) return [`${method} parameters must be a JSON object`];
  return checkFields(spec, m.fields ?? [], params ?? {}, method, 0);
}
