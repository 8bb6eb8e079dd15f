import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeWhatsApp, startFakeWhatsApp } from "../testing/fake-whatsapp.js";
import { checkWhatsAppCredentials } from "./connect.js";
import { downloadWhatsAppMedia } from "./media.js";

const phoneNumberId = "200111222333444";
const accessToken = "EAAG-kaleem-connect-token";
let fake: FakeWhatsApp;
let config: { phoneNumberId: string; accessToken: string; apiBaseUrl: string };

beforeAll(async () => {
  fake = await startFakeWhatsApp({ phoneNumberId, accessToken, verifiedName: "Dates House" });
  config = { phoneNumberId, accessToken, apiBaseUrl: fake.apiBaseUrl };
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

describe("WhatsApp credentials", () => {
  it("the token reads the phone number it is for", async () => {
    expect(await checkWhatsAppCredentials(config)).toEqual({ id: phoneNumberId, displayPhoneNumber: "+966 11 000 0000", verifiedName: "Dates House" });
  });
  it("a wrong token is an auth failure; an unknown phone number id is refused", async () => {
    await expect(checkWhatsAppCredentials({ ...config, accessToken: "EAAG-wrong" })).rejects.toMatchObject({ kind: "auth", info: { code: "190" } });
    await expect(checkWhatsAppCredentials({ ...config, phoneNumberId: "999000" })).rejects.toMatchObject({ kind: "rejected" });
    await expect(checkWhatsAppCredentials({ ...config, accessToken: "" })).rejects.toThrow(/access token/);
  });
});

describe("WhatsApp media", () => {
  it("looks the media id up, then downloads its URL with the same token", async () => {
    const bytes = Buffer.from("OggS-fake-voice-note");
    fake.addMedia("880000000000003", bytes, "audio/ogg; codecs=opus");
    const media = await downloadWhatsAppMedia(config, "880000000000003");
    expect(media).toEqual({ bytes, contentType: "audio/ogg" });
    const [lookup, download] = fake.accepted();
    expect([lookup?.operation, download?.operation]).toEqual(["media", "media_download"]);
    expect(download?.headers.authorization).toBe(`Bearer ${accessToken}`);
  });
  it("refuses media over the size limit from the lookup's file_size", async () => {
    fake.addMedia("big", Buffer.alloc(5000), "video/mp4");
    await expect(downloadWhatsAppMedia(config, "big", { maxBytes: 4000 })).rejects.toMatchObject({ kind: "too_large" });
    await expect(downloadWhatsAppMedia(config, "no-such-media")).rejects.toMatchObject({ kind: "rejected" });
  });
});
