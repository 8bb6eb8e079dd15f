// Per-merchant monthly LLM token budget. A port so that a shared (Redis) tracker replaces the
// in-memory one when several workers processes answer for the same merchant.

export interface TokenBudget {
  /** Tokens used by the merchant in the month `month` (YYYY-MM, UTC). */
  used(merchantId: string, month: string): Promise<number>;
  /** Adds `tokens` to the merchant's count for `month`. */
  add(merchantId: string, month: string, tokens: number): Promise<void>;
}

export function monthKey(date: Date = new Date()): string {
  return date.toISOString().slice(0, 7);
}
