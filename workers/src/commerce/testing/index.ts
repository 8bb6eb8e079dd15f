// Test doubles of the store platforms (any package's tests): fake APIs on port 0 and the platforms' webhook signing.
export { FakeCommercePlatform, platformJson, startFakeCommercePlatform, type FakePlatformName, type FakePlatformOptions, type PlatformObject } from "./fake-platforms.js";
export { sallaWebhookHeaders, shopifyWebhookHeaders, zidWebhookHeaders } from "./signing.js";
