// The per-request work the ingest path spares at high webhook rates: opening the sealed
// credentials (kept per sealed value) and writing `lastEventAt` (once a minute).
import { describe, expect, it } from "vitest";
import { integrationSecrets } from "@kaleem/shared";
import type { RestServices } from "../http/route.js";
import { LAST_EVENT_RESOLUTION_MS, lastEventDue, openSecrets } from "./ingest.js";

const config = { secrets: { encryptionKey: "k".repeat(48) }, previousEncryptionKeys: [] };
const services = { deps: { config } } as unknown as RestServices;
const box = integrationSecrets(config);

describe("webhook ingest", () => {
  it("opens a sealed value once and gives the same secrets after; a new sealed value is opened anew", () => {
    const sealed = box.seal({ secretToken: "tg-secret-1" });
    const first = openSecrets(services, sealed);
    expect(first).toEqual({ secretToken: "tg-secret-1" });
    expect(openSecrets(services, sealed)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    // Rotated credentials are sealed anew: a different key in the memo, never the old secrets.
    expect(openSecrets(services, box.seal({ secretToken: "tg-secret-2" }))).toEqual({ secretToken: "tg-secret-2" });
    expect(openSecrets(services, null)).toEqual({});
    // Bounded: many channels later the first is opened again, still right.
    for (let i = 0; i < 600; i++) openSecrets(services, box.seal({ appSecret: `s${i}` }));
    expect(openSecrets(services, sealed)).toEqual({ secretToken: "tg-secret-1" });
  });

  it("moves lastEventAt when there is none or it is a minute old, not on every webhook", () => {
    const now = Date.parse("2026-12-04T12:00:00Z");
    expect(lastEventDue(null, now)).toBe(true);
    expect(lastEventDue(new Date(now - 1_000).toISOString(), now)).toBe(false);
    expect(lastEventDue(new Date(now - LAST_EVENT_RESOLUTION_MS).toISOString(), now)).toBe(true);
  });
});
