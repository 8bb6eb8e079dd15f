// Presence as one hash of expiring fields per merchant. Entries are refreshed by the hub's
// heartbeat, so a node that dies takes its agents offline within one TTL without any
// cluster-wide socket scan.
import type { Presence } from "../contracts/socket.js";
import type { PresenceEntry, PresenceStore } from "../ports/realtime.js";

export interface ExpiringFields {
  set(key: string, field: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string, fields: string[]): Promise<void>;
  /** Live fields only; expired ones are dropped on the way. */
  getAll(key: string): Promise<Map<string, string>>;
}

export const PRESENCE_TTL_MS = 90_000;
export const TYPING_TTL_MS = 10_000;
const SEP = "|";

export class ExpiringPresence implements PresenceStore {
  private readonly ttlMs: number;
  private readonly typingTtlMs: number;
  constructor(
    private readonly fields: ExpiringFields,
    private readonly prefix: string,
    options: { ttlMs?: number; typingTtlMs?: number } = {},
  ) {
    this.ttlMs = options.ttlMs ?? PRESENCE_TTL_MS;
    this.typingTtlMs = options.typingTtlMs ?? TYPING_TTL_MS;
  }

  private key(merchantId: string): string {
    return `${this.prefix}:${merchantId}`;
  }

  async online(e: PresenceEntry): Promise<void> {
    await this.fields.set(this.key(e.merchantId), ["a", e.agentId, e.socketId].join(SEP), e.name, this.ttlMs);
  }

  async offline(e: PresenceEntry): Promise<void> {
    const key = this.key(e.merchantId);
    const all = await this.fields.getAll(key);
    const mine = [...all.keys()].filter((f) => {
      const parts = f.split(SEP);
      return (parts[0] === "a" && parts[2] === e.socketId) || (parts[0] === "v" && parts[3] === e.socketId);
    });
    if (mine.length > 0) await this.fields.delete(key, mine);
  }

  async setViewing(e: PresenceEntry, conversationId: string, viewing: boolean): Promise<void> {
    const field = ["v", conversationId, e.agentId, e.socketId].join(SEP);
    if (viewing) await this.fields.set(this.key(e.merchantId), field, e.name, this.ttlMs);
    else await this.fields.delete(this.key(e.merchantId), [field]);
  }

  async setTyping(e: PresenceEntry, conversationId: string, typing: boolean): Promise<void> {
    const field = ["t", conversationId, e.agentId].join(SEP);
    if (typing) await this.fields.set(this.key(e.merchantId), field, e.name, this.typingTtlMs);
    else await this.fields.delete(this.key(e.merchantId), [field]);
  }

  async snapshot(merchantId: string): Promise<Presence> {
    const all = await this.fields.getAll(this.key(merchantId));
    const online = new Map<string, string>();
    const conversations: Presence["conversations"] = {};
    const conv = (id: string) => (conversations[id] ??= { viewers: [], typing: [] });
    for (const [field, name] of all) {
      const [kind, a, b] = field.split(SEP);
      if (kind === "a" && a) online.set(a, name);
      else if (kind === "v" && a && b) {
        const c = conv(a);
        if (!c.viewers.includes(b)) c.viewers.push(b);
      } else if (kind === "t" && a && b) {
        const c = conv(a);
        if (!c.typing.includes(b)) c.typing.push(b);
      }
    }
    for (const c of Object.values(conversations)) {
      c.viewers.sort();
      c.typing.sort();
    }
    return {
      online: [...online].map(([agentId, name]) => ({ agentId, name })).sort((x, y) => x.agentId.localeCompare(y.agentId)),
      conversations,
    };
  }

  async close(): Promise<void> {}
}
