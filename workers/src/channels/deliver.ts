// Executes provider requests built by the send/connect builders: success answers give the
// provider's message id, failures throw the provider's typed failure (common/errors.ts).
import { z } from "zod";
import type { ChannelType } from "@kaleem/shared";
import { classifyGraphFailure } from "./common/graph-errors.js";
import { callProvider, type ProviderHttpOptions, type ProviderHttpResponse } from "./common/http.js";
import type { ProviderFailure } from "./common/errors.js";
import type { HeaderBag } from "./common/headers.js";
import type { ProviderRequest } from "./common/request.js";
import { classifyTelegramFailure } from "./telegram/errors.js";

export interface ProviderResult {
  /** Telegram result.message_id, WhatsApp messages[0].id, Messenger/Instagram message_id; null for calls that send nothing. */
  providerMessageId: string | null;
  /** The provider's success answer (Telegram: its `result`). */
  result: unknown;
}

const telegramOk = z.object({ ok: z.literal(true), result: z.unknown() });
const telegramMessage = z.object({ message_id: z.number().int() });
const whatsAppSent = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });
const metaSent = z.object({ message_id: z.string().min(1) });
const graphError = z.object({ error: z.unknown() });

type Reading = { ok: true; value: ProviderResult } | { ok: false };

const readers: Record<ChannelType, { success(body: unknown): Reading; failure(operation: string, status: number, body: unknown, headers: HeaderBag): ProviderFailure }> = {
  telegram: {
    success(body) {
      const ok = telegramOk.safeParse(body);
      if (!ok.success) return { ok: false };
      const message = telegramMessage.safeParse(ok.data.result);
      return { ok: true, value: { providerMessageId: message.success ? String(message.data.message_id) : null, result: ok.data.result } };
    },
    failure: classifyTelegramFailure,
  },
  whatsapp: {
    success(body) {
      if (graphError.safeParse(body).success) return { ok: false };
      const sent = whatsAppSent.safeParse(body);
      return { ok: true, value: { providerMessageId: sent.success ? sent.data.messages[0]!.id : null, result: body } };
    },
    failure: (operation, status, body, headers) => classifyGraphFailure("whatsapp", operation, status, body, headers),
  },
  messenger: {
    success: metaSuccess,
    failure: (operation, status, body, headers) => classifyGraphFailure("messenger", operation, status, body, headers),
  },
  instagram: {
    success: metaSuccess,
    failure: (operation, status, body, headers) => classifyGraphFailure("instagram", operation, status, body, headers),
  },
};

function metaSuccess(body: unknown): Reading {
  if (graphError.safeParse(body).success) return { ok: false };
  const sent = metaSent.safeParse(body);
  return { ok: true, value: { providerMessageId: sent.success ? sent.data.message_id : null, result: body } };
}

/** The provider's answer read as success, or its typed failure thrown. */
export function readProviderAnswer(request: ProviderRequest, answer: ProviderHttpResponse): ProviderResult {
  const reader = readers[request.provider];
  if (answer.status >= 200 && answer.status < 300) {
    const reading = reader.success(answer.body);
    if (reading.ok) return reading.value;
  }
  throw reader.failure(request.operation, answer.status, answer.body, answer.headers);
}

export async function sendProviderRequest(request: ProviderRequest, options: ProviderHttpOptions = {}): Promise<ProviderResult> {
  return readProviderAnswer(request, await callProvider(request, options));
}

export interface SendSequenceOptions extends ProviderHttpOptions {
  /**
   * Index of the first request to send: a retried delivery resumes after the requests it already
   * recorded as sent, so the customer never gets the same piece twice.
   */
  startAt?: number;
  /** Called after each request succeeds, before the next is sent: record progress here. */
  onSent?: (index: number, result: ProviderResult) => void | Promise<void>;
}

/** Sends `requests` in order (a message split in pieces must arrive in order); the first failure stops the sequence and is thrown. */
export async function sendProviderRequests(requests: readonly ProviderRequest[], options: SendSequenceOptions = {}): Promise<ProviderResult[]> {
  const results: ProviderResult[] = [];
  for (let i = options.startAt ?? 0; i < requests.length; i++) {
    const result = await sendProviderRequest(requests[i]!, options);
    results.push(result);
    await options.onSent?.(i, result);
  }
  return results;
}
