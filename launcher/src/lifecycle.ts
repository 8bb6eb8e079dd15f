// Ordered shutdown: whatever is built registers how to close it; closing runs in reverse order of
// building (sockets before the HTTP server, the queue before stream records, the store last), and
// one failing step does not keep the others from running.
import type { Logger } from "@kaleem/shared";

export class Lifecycle {
  private readonly steps: Array<{ name: string; run: () => Promise<void> | void }> = [];
  private closing: Promise<void> | null = null;
  constructor(private readonly logger: Logger) {}

  onClose(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const step of this.steps.splice(0).reverse()) {
        try {
          await step.run();
        } catch (err) {
          this.logger.warn({ err, step: step.name }, "shutdown step failed");
        }
      }
    })();
    return this.closing;
  }
}
