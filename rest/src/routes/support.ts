import type { Caller } from "../http/state.js";

/** Writes an audit row for an action of the authenticated caller. */
export async function auditAction(
  caller: Caller,
  ip: string,
  action: string,
  target: string | null,
  data: Record<string, unknown> = {},
): Promise<void> {
  await caller.store.audit.add({ actorId: caller.user.id, action, target, data, ip });
}
