// In-process realtime state for the embedded runtime (one process holds every socket and stream).
import type { StreamingPartial } from "../../contracts/socket.js";
import type { PresenceStore, ReclaimResult, StreamHandle, StreamRegistry, StreamStart } from "../../ports/realtime.js";
import { ExpiringPresence, type ExpiringFields } from "../../realtime/presence.js";

interface LiveStream {
  start: StreamStart;
  text: string;
  controller: AbortController;
  /** The producer gave it up (its final write failed); in one process that is the only way to die. */
  abandoned: boolean;
}

export class MemoryStreamRegistry implements StreamRegistry {
  private readonly streams = new Map<string, LiveStream>();

  async start(start: StreamStart): Promise<StreamHandle> {
    const live: LiveStream = { start, text: "", controller: new AbortController(), abandoned: false };
    this.streams.set(start.messageId, live);
    const streams = this.streams;
    return {
      messageId: start.messageId,
      signal: live.controller.signal,
      get length() {
        return live.text.length;
      },
      async append(text: string) {
        const offset = live.text.length;
        live.text += text;
        return offset;
      },
      async finish() {
        streams.delete(start.messageId);
      },
      async abandon() {
        live.abandoned = true;
      },
    };
  }

  async reclaim(ref: Omit<StreamStart, "seq">): Promise<ReclaimResult> {
    const live = this.streams.get(ref.messageId);
    if (!live || live.start.merchantId !== ref.merchantId || live.start.conversationId !== ref.conversationId) return { alive: false, text: null };
    if (!live.abandoned) return { alive: true };
    this.streams.delete(ref.messageId);
    return { alive: false, text: live.text };
  }

  async partials(merchantId: string, conversationId: string): Promise<StreamingPartial[]> {
    return [...this.streams.values()]
      .filter((s) => s.start.merchantId === merchantId && s.start.conversationId === conversationId)
      .sort((a, b) => a.start.seq - b.start.seq)
      .map((s) => ({ messageId: s.start.messageId, seq: s.start.seq, text: s.text }));
  }

  async requestStop(merchantId: string, conversationId: string): Promise<void> {
    for (const s of this.streams.values()) {
      if (s.start.merchantId === merchantId && s.start.conversationId === conversationId) s.controller.abort();
    }
  }

  async close(): Promise<void> {
    for (const s of this.streams.values()) s.controller.abort();
    this.streams.clear();
  }
}

class MemoryFields implements ExpiringFields {
  private readonly hashes = new Map<string, Map<string, { value: string; expiresAt: number }>>();
  async set(key: string, field: string, value: string, ttlMs: number): Promise<void> {
    let h = this.hashes.get(key);
    if (!h) this.hashes.set(key, (h = new Map()));
    h.set(field, { value, expiresAt: Date.now() + ttlMs });
  }
  async delete(key: string, fields: string[]): Promise<void> {
    const h = this.hashes.get(key);
    if (!h) return;
    for (const f of fields) h.delete(f);
    if (h.size === 0) this.hashes.delete(key);
  }
  async getAll(key: string): Promise<Map<string, string>> {
    const h = this.hashes.get(key);
    const out = new Map<string, string>();
    if (!h) return out;
    const now = Date.now();
    for (const [f, e] of h) {
      if (e.expiresAt <= now) h.delete(f);
      else out.set(f, e.value);
    }
    return out;
  }
}

export function createMemoryPresence(options: { ttlMs?: number; typingTtlMs?: number } = {}): PresenceStore {
  return new ExpiringPresence(new MemoryFields(), "presence", options);
}
