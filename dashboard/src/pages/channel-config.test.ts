import { describe, expect, it } from "vitest";
import { configToSend, type ConfigField } from "./channel-config";

const whatsapp: ConfigField[] = [
  { key: "phoneNumberId", label: "cfg.phoneNumberId" },
  { key: "accessToken", label: "cfg.accessToken", secret: true },
  { key: "appSecret", label: "cfg.appSecret", secret: true },
  { key: "verifyToken", label: "cfg.verifyToken", generated: true },
  { key: "apiBaseUrl", label: "cfg.apiBaseUrl", optional: true },
];

describe("configToSend", () => {
  it("creating sends the filled fields, trimmed", () => {
    expect(configToSend(whatsapp, { phoneNumberId: " 123 ", accessToken: "tok", appSecret: "sec", verifyToken: "v", apiBaseUrl: "" })).toEqual({
      phoneNumberId: "123",
      accessToken: "tok",
      appSecret: "sec",
      verifyToken: "v",
    });
  });

  it("editing sends changed public fields and typed secrets; blank secrets keep the stored ones", () => {
    const stored = { phoneNumberId: "123", verifyToken: "v", apiBaseUrl: "https://graph.example" };
    // Nothing changed: nothing sent, so no secret is overwritten with a blank.
    expect(configToSend(whatsapp, { phoneNumberId: "123", accessToken: "", appSecret: "", verifyToken: "v", apiBaseUrl: "https://graph.example" }, stored)).toEqual({});
    expect(configToSend(whatsapp, { phoneNumberId: "456", accessToken: "", appSecret: "new-secret", verifyToken: "v", apiBaseUrl: "" }, stored)).toEqual({
      phoneNumberId: "456",
      appSecret: "new-secret",
      apiBaseUrl: null,
    });
  });
});
