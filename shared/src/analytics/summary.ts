// Merchant analytics over one date range, computed from the store port (no driver code): the
// loader reads the range's conversations, messages and orders once; computeSummary is a pure
// function of those records, one pass over the messages plus a sort per conversation.
//
// Days are UTC calendar days; `to` is inclusive. Rules (documented because the numbers depend
// on them):
// - conversationsPerDay: conversations created that day.
// - firstResponse: per conversation created in range, time from its first shopper message to the
//   first bot (resp. agent) message after it; the median over conversations that have one.
// - resolutionSeconds: per conversation closed in range, time from its creation to its last
//   "closed" system line in range (or, with no such line, to its last update while its status is
//   closed); the median.
// - botCoverage / handoffRate: over conversations created in range with at least one shopper
//   message, the share that never reached a person vs. the share that did. Reaching a person =
//   a "waiting for a human" or "agent joined" system line, an agent message, a bot answer carrying
//   a handoff part, or a current status of waiting_human/human. The two add up to 1.
// - topIntents: intents the bot recorded on shopper messages in range, top 10.
// - unanswered: shopper messages whose bot answer said it did not know (the engine marks such an
//   answer with intent "fallback", any other answer with the intent it served) or handed off for
//   low confidence. An answer without a mark (older records) counts as unanswered when the
//   question's intent is "other". Newest first, at most 50.
// - ordersFromConversations: orders created in range that carry a conversationId, not cancelled;
//   revenue sums those in the merchant's currency.
import type { AnalyticsSummary } from "../contracts/api/analytics.js";
import type { Conversation, Locale, Message, Order } from "../contracts/domain.js";
import { systemText } from "../conversation/system-text.js";
import { ValidationError } from "../errors.js";
import { FALLBACK_ANSWER } from "../ports/bot.js";
import type { TenantStore } from "../ports/store.js";

export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 30;
export const TOP_INTENTS = 10;
export const UNANSWERED_LIMIT = 50;
export const UNANSWERED_TEXT_MAX = 500;
/** The intent the engine gives a message it cannot place. */
export const UNPLACED_INTENT = "other";
export const LOW_CONFIDENCE_HANDOFF = "low_confidence";

export interface DateRange {
  /** YYYY-MM-DD, UTC, inclusive. */
  from: string;
  /** YYYY-MM-DD, UTC, inclusive. */
  to: string;
}

export interface SummaryInput {
  range: DateRange;
  /** Conversations created in the range. */
  conversations: readonly Conversation[];
  /** Messages created in the range. */
  messages: readonly Message[];
  /** Orders created in the range. */
  orders: readonly Order[];
  currency: string;
  /** Conversations created before the range that were closed in it (for resolution times). */
  earlierConversations?: readonly Conversation[];
}

// ---- dates ------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dayNumber(date: string): number | null {
  if (!DATE.test(date)) return null;
  const ms = Date.parse(`${date}T00:00:00.000Z`);
  // Date.parse accepts 2025-02-30 by rolling over; a real date reads back the same.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) return null;
  return ms / DAY_MS;
}
const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** [from 00:00, day after to 00:00) as ISO instants, the way the store's range queries take them. */
export function rangeBounds(range: DateRange): { start: string; end: string } {
  const to = dayNumber(range.to);
  if (to === null) throw new ValidationError(`Invalid date: ${range.to}`);
  return { start: `${range.from}T00:00:00.000Z`, end: `${dayString(to + 1)}T00:00:00.000Z` };
}

/**
 * Validates a requested range; missing ends default to the last 30 days up to `today`.
 * Throws ValidationError for bad dates, from after to, or more than 366 days.
 */
export function resolveRange(requested: { from?: string | undefined; to?: string | undefined }, today: Date = new Date()): DateRange {
  const details: Array<{ path: string; message: string }> = [];
  const parse = (key: "from" | "to"): number | null => {
    const value = requested[key];
    if (value === undefined) return null;
    const n = dayNumber(value);
    if (n === null) details.push({ path: key, message: "Must be a date as YYYY-MM-DD" });
    return n;
  };
  let from = parse("from");
  let to = parse("to");
  if (details.length > 0) throw new ValidationError("Request is invalid", details);
  to ??= from !== null ? Math.min(from + DEFAULT_RANGE_DAYS - 1, Math.floor(today.getTime() / DAY_MS)) : Math.floor(today.getTime() / DAY_MS);
  from ??= to - (DEFAULT_RANGE_DAYS - 1);
  if (from > to) throw new ValidationError("Request is invalid", [{ path: "from", message: "from must not be after to" }]);
  if (to - from + 1 > MAX_RANGE_DAYS) {
    throw new ValidationError("Request is invalid", [{ path: "to", message: `A range covers at most ${MAX_RANGE_DAYS} days` }]);
  }
  return { from: dayString(from), to: dayString(to) };
}

// ---- statistics --------------------------------------------------------------------------------

/** Median of the values (mean of the middle two for an even count), null when there are none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(m * 1000) / 1000;
}

const secondsBetween = (fromIso: string, toIso: string): number => (Date.parse(toIso) - Date.parse(fromIso)) / 1000;

// ---- system lines -------------------------------------------------------------------------------

const LOCALES: Locale[] = ["en", "ar"];
const PLACEHOLDER = "\u0000";

/** Recognises the timeline lines the conversation service writes on state changes, in any language. */
class SystemLines {
  private readonly closed = new Set(LOCALES.map((l) => systemText({ kind: "closed" }, l)));
  private readonly waiting = new Set(
    LOCALES.flatMap((l) => [systemText({ kind: "waiting_human" }, l), systemText({ kind: "waiting_human", teamOffline: true }, l)]),
  );
  // The takeover line embeds the agent's name: match what surrounds it.
  private readonly takeover = LOCALES.map((l) => {
    const [before = "", after = ""] = systemText({ kind: "takeover", agentName: PLACEHOLDER }, l).split(PLACEHOLDER);
    return { before, after };
  });

  isClose(m: Message): boolean {
    return m.role === "system" && this.closed.has(m.text);
  }
  isHandoff(m: Message): boolean {
    if (m.role !== "system") return false;
    if (this.waiting.has(m.text)) return true;
    return this.takeover.some(
      ({ before, after }) => m.text.length > before.length + after.length && m.text.startsWith(before) && m.text.endsWith(after),
    );
  }
}
const systemLines = new SystemLines();

// ---- the summary -------------------------------------------------------------------------------

function reachedPerson(conversation: Conversation, messages: readonly Message[]): boolean {
  if (conversation.status === "waiting_human" || conversation.status === "human") return true;
  return messages.some(
    (m) =>
      m.role === "agent" ||
      systemLines.isHandoff(m) ||
      (m.role === "bot" && m.status !== "stopped" && m.parts.some((p) => p.type === "handoff")),
  );
}

/** The bot message answering the shopper message at `index` (before the shopper speaks again). */
function botAnswer(messages: readonly Message[], index: number): Message | null {
  for (let i = index + 1; i < messages.length; i += 1) {
    const m = messages[i]!;
    if (m.role === "shopper") return null;
    if (m.role === "bot") return m;
  }
  return null;
}

export function computeSummary(input: SummaryInput): AnalyticsSummary {
  const { range } = input;
  const { start, end } = rangeBounds(range);

  const byConversation = new Map<string, Message[]>();
  for (const m of input.messages) {
    let list = byConversation.get(m.conversationId);
    if (!list) byConversation.set(m.conversationId, (list = []));
    list.push(m);
  }
  for (const list of byConversation.values()) list.sort((a, b) => a.seq - b.seq);

  // Per day.
  const counts = new Map<string, number>();
  for (const c of input.conversations) counts.set(c.createdAt.slice(0, 10), (counts.get(c.createdAt.slice(0, 10)) ?? 0) + 1);
  const conversationsPerDay: AnalyticsSummary["conversationsPerDay"] = [];
  const first = dayNumber(range.from)!;
  const last = dayNumber(range.to)!;
  for (let d = first; d <= last; d += 1) {
    const date = dayString(d);
    conversationsPerDay.push({ date, count: counts.get(date) ?? 0 });
  }

  // First responses, coverage and handoffs over conversations created in range.
  const botDelays: number[] = [];
  const humanDelays: number[] = [];
  let engaged = 0;
  let handedOff = 0;
  for (const c of input.conversations) {
    const messages = byConversation.get(c.id) ?? [];
    const firstShopper = messages.find((m) => m.role === "shopper");
    if (!firstShopper) continue;
    engaged += 1;
    if (reachedPerson(c, messages)) handedOff += 1;
    const firstBot = messages.find((m) => m.role === "bot" && m.seq > firstShopper.seq);
    const firstAgent = messages.find((m) => m.role === "agent" && m.seq > firstShopper.seq);
    if (firstBot) botDelays.push(secondsBetween(firstShopper.createdAt, firstBot.createdAt));
    if (firstAgent) humanDelays.push(secondsBetween(firstShopper.createdAt, firstAgent.createdAt));
  }

  // Resolution over conversations closed in range.
  const created = new Map<string, Conversation>();
  for (const c of input.earlierConversations ?? []) created.set(c.id, c);
  for (const c of input.conversations) created.set(c.id, c);
  const closedAt = new Map<string, string>();
  for (const [conversationId, messages] of byConversation) {
    for (let i = messages.length - 1; i >= 0; i -= 1) {
      if (systemLines.isClose(messages[i]!)) {
        closedAt.set(conversationId, messages[i]!.createdAt);
        break;
      }
    }
  }
  for (const c of created.values()) {
    if (c.status === "closed" && !closedAt.has(c.id) && c.updatedAt >= start && c.updatedAt < end) closedAt.set(c.id, c.updatedAt);
  }
  const resolutions: number[] = [];
  for (const [conversationId, at] of closedAt) {
    const c = created.get(conversationId);
    if (c) resolutions.push(secondsBetween(c.createdAt, at));
  }

  // Intents and unanswered questions over shopper messages in range.
  const intentCounts = new Map<string, number>();
  const unanswered: AnalyticsSummary["unanswered"] = [];
  for (const messages of byConversation.values()) {
    messages.forEach((m, index) => {
      if (m.role !== "shopper") return;
      if (m.intent) intentCounts.set(m.intent, (intentCounts.get(m.intent) ?? 0) + 1);
      const answer = botAnswer(messages, index);
      const lowConfidence = answer?.parts.some((p) => p.type === "handoff" && p.reason === LOW_CONFIDENCE_HANDOFF) ?? false;
      const didNotKnow = answer?.intent ? answer.intent === FALLBACK_ANSWER : m.intent === UNPLACED_INTENT;
      if (didNotKnow || lowConfidence) {
        unanswered.push({ text: m.text.slice(0, UNANSWERED_TEXT_MAX), conversationId: m.conversationId, at: m.createdAt });
      }
    });
  }
  const topIntents = [...intentCounts]
    .map(([intent, count]) => ({ intent, count }))
    .sort((a, b) => b.count - a.count || (a.intent < b.intent ? -1 : a.intent > b.intent ? 1 : 0))
    .slice(0, TOP_INTENTS);
  unanswered.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));

  // Orders that came out of a conversation.
  let orderCount = 0;
  let revenueCents = 0;
  for (const o of input.orders) {
    if (o.conversationId === null || o.status === "cancelled") continue;
    orderCount += 1;
    if (o.currency === input.currency) revenueCents += Math.round(o.total * 100);
  }

  return {
    from: range.from,
    to: range.to,
    conversationsPerDay,
    firstResponse: { botSeconds: median(botDelays), humanSeconds: median(humanDelays) },
    resolutionSeconds: median(resolutions),
    botCoverage: engaged === 0 ? 0 : (engaged - handedOff) / engaged,
    handoffRate: engaged === 0 ? 0 : handedOff / engaged,
    topIntents,
    unanswered: unanswered.slice(0, UNANSWERED_LIMIT),
    ordersFromConversations: { count: orderCount, revenue: revenueCents / 100, currency: input.currency },
  };
}

/** Reads what the range needs from the tenant's store and computes the summary. */
export async function loadAnalyticsSummary(store: TenantStore, range: DateRange): Promise<AnalyticsSummary> {
  const { start, end } = rangeBounds(range);
  const [merchant, conversations, messages, orders] = await Promise.all([
    store.merchant.get(),
    store.conversations.listCreatedBetween(start, end),
    store.messages.listCreatedBetween(start, end),
    store.orders.listCreatedBetween(start, end),
  ]);
  const inRange = new Set(conversations.map((c) => c.id));
  const closedEarlier = new Set<string>();
  for (const m of messages) if (!inRange.has(m.conversationId) && systemLines.isClose(m)) closedEarlier.add(m.conversationId);
  const earlierConversations = (await Promise.all([...closedEarlier].map((id) => store.conversations.get(id)))).filter(
    (c): c is Conversation => c !== null,
  );
  return computeSummary({ range, conversations, messages, orders, currency: merchant.currency, earlierConversations });
}
