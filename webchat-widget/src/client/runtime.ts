// The few host facilities the client needs, typed without DOM or Node lib types so the library
// builds for any JavaScript runtime.
type TimerId = unknown;
interface Host {
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
  crypto?: { randomUUID?: () => string; getRandomValues?: <T extends Uint8Array>(a: T) => T };
}
const host = globalThis as unknown as Host;

export const later = (fn: () => void, ms: number): TimerId => host.setTimeout(fn, ms);
export const cancel = (id: TimerId | null): void => {
  if (id !== null) host.clearTimeout(id);
};
export type { TimerId };

/** A random id for client message ids: unique enough that retries, not collisions, are the only repeats. */
export function randomId(): string {
  const c = host.crypto;
  if (c?.randomUUID) return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const microtask = (fn: () => void): void => {
  void Promise.resolve().then(fn);
};
