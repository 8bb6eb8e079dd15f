// Uploads no message referenced within their time (a shopper who picked a file and left): their
// objects and records are removed on a timer, in every workers process (a removal twice is harmless).
import type { AttachmentService, Logger, SystemStore } from "@kaleem/shared";

export interface UploadSweeper {
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startUploadSweeper(deps: { attachments: AttachmentService; system: SystemStore; logger?: Logger; everyMs?: number }): UploadSweeper {
  let running: Promise<number> | null = null;
  let stopped = false;
  const runOnce = async (): Promise<number> => {
    while (running) await running.catch(() => 0);
    const pass = (async () => {
      let total = 0;
      // Pages of 100 until none is left, so a backlog is cleared in one pass.
      for (let n = await deps.attachments.sweep(deps.system, 100); n > 0 && !stopped; n = await deps.attachments.sweep(deps.system, 100)) total += n;
      return total;
    })();
    running = pass;
    try {
      const removed = await pass;
      if (removed > 0) deps.logger?.info({ removed }, "removed uploads no message referenced");
      return removed;
    } finally {
      running = null;
    }
  };
  const timer = setInterval(() => {
    if (stopped || running) return;
    runOnce().catch((err: unknown) => deps.logger?.warn({ err }, "upload sweep failed"));
  }, deps.everyMs ?? 5 * 60_000);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
