import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeMetaMessaging, startFakeMetaMessaging } from "../testing/fake-meta-messaging.js";
import { sendProviderRequest } from "../deliver.js";
import type { MetaMessagingChannelConfig } from "./config.js";
import { buildMessengerSubscribeApp, checkMetaCredentials, MESSENGER_SUBSCRIBED_FIELDS } from "./connect.js";
import { downloadMetaAttachment } from "./media.js";

const accessToken = "EAAG-page-connect-token";
let page: FakeMetaMessaging;
let ig: FakeMetaMessaging;
let pageConfig: MetaMessagingChannelConfig;
let igConfig: MetaMessagingChannelConfig;

beforeAll(async () => {
  page = await startFakeMetaMessaging({ platform: "messenger", accountId: "104400000000001", accessToken, name: "Dates House" });
  ig = await startFakeMetaMessaging({ platform: "instagram", accountId: "17841400000000001", accessToken, name: "dates.house" });
  pageConfig = { platform: "messenger", accountId: "104400000000001", accessToken, apiBaseUrl: page.apiBaseUrl };
  igConfig = { platform: "instagram", accountId: "17841400000000001", accessToken, apiBaseUrl: ig.apiBaseUrl };
});
afterAll(async () => {
  await Promise.all([page.close(), ig.close()]);
});
beforeEach(() => {
  page.reset();
  ig.reset();
});

describe("Messenger and Instagram credentials", () => {
  it("the token reads the Page / Instagram account it is for", async () => {
    expect(await checkMetaCredentials(pageConfig)).toEqual({ id: "104400000000001", name: "Dates House" });
    expect(await checkMetaCredentials(igConfig)).toEqual({ id: "17841400000000001", name: "dates.house" });
    await expect(checkMetaCredentials({ ...pageConfig, accessToken: "EAAG-wrong" })).rejects.toMatchObject({ kind: "auth" });
  });

  it("subscribes the app to the Page's messaging webhooks", async () => {
    await sendProviderRequest(buildMessengerSubscribeApp(pageConfig));
    expect(page.subscribedFields).toEqual([...MESSENGER_SUBSCRIBED_FIELDS]);
    expect(page.rejected()).toEqual([]);
  });
});

describe("Meta attachments", () => {
  it("are fetched from their CDN URL without the Page token, within the size limit", async () => {
    const url = page.addAttachment("receipt.pdf", Buffer.from("%PDF-1.4 fake"), "application/pdf");
    expect(await downloadMetaAttachment("messenger", url)).toEqual({ bytes: Buffer.from("%PDF-1.4 fake"), contentType: "application/pdf" });
    expect(page.rejected()).toEqual([]);
    const big = page.addAttachment("big.mp4", Buffer.alloc(3000), "video/mp4");
    await expect(downloadMetaAttachment("messenger", big, { maxBytes: 1000 })).rejects.toMatchObject({ kind: "too_large" });
    await expect(downloadMetaAttachment("messenger", "file:///etc/passwd")).rejects.toMatchObject({ kind: "rejected" });
    await expect(downloadMetaAttachment("messenger", `${page.apiBaseUrl}/cdn/missing`)).rejects.toMatchObject({ kind: "rejected" });
  });
});
