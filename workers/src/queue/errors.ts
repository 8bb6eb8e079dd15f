import { UnrecoverableError } from "@kaleem/shared";

/** Our UnrecoverableError and BullMQ's share the name, which is what BullMQ itself checks. */
export function isUnrecoverable(err: unknown): boolean {
  return err instanceof UnrecoverableError || (err instanceof Error && err.name === "UnrecoverableError");
}
