// The request-time half of the SSRF defence, with a real HTTP server on loopback standing in for
// the internal service an attacker wants to reach, and a stand-in DNS answer for the attacker's
// name (the one thing a test cannot get from a real resolver).
import { createServer, get, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardOutbound, isPublicAddress, outboundUrlProblem, OutboundTargetRefusedError, type Resolver } from "./outbound.js";

let server: Server;
let port = 0;
let hits = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    hits += 1;
    res.end("internal secrets");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const answers = (...addresses: string[]): Resolver => async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
/** A name whose owner answers a public address at first and loopback afterwards (DNS rebinding). */
function rebinding(): Resolver {
  let calls = 0;
  return async () => [{ address: calls++ === 0 ? "93.184.216.34" : "127.0.0.1", family: 4 }];
}

function fetchThrough(raw: string, allowPrivateNetworks: boolean, resolve: Resolver): Promise<{ status: number; body: string }> {
  const { url, lookup } = guardOutbound(raw, { allowPrivateNetworks }, resolve);
  return new Promise((resolveBody, reject) => {
    const req = get(url, { lookup }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolveBody({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
  });
}

describe("outbound targets", () => {
  it("tells public addresses from special-purpose ones, IPv4 inside IPv6 included", () => {
    for (const ip of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "2001:4860:4860::8888"]) expect(isPublicAddress(ip), ip).toBe(true);
    for (const ip of [
      "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
      "::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:a9fe:a9fe", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "not an ip",
    ]) expect(isPublicAddress(ip), ip).toBe(false);
  });

  it("refuses at save time: metadata, loopback, private literals (however written), local names, names resolving privately", async () => {
    const policy = { allowPrivateNetworks: false };
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://127.0.0.1:9/tg",
      "http://0x7f000001/",
      "http://2130706433/",
      "http://[::1]:8080/",
      "http://[::ffff:169.254.169.254]/",
      "http://localhost:8080/",
      "http://api.localhost/",
      "http://metadata.google.internal/",
      "http://redis:6379/",
      "http://user:pw@api.example.com/",
      "ftp://files.example.com/",
    ]) {
      expect(await outboundUrlProblem(url, policy, answers("93.184.216.34")), url).not.toBeNull();
    }
    expect(await outboundUrlProblem("https://shop-api.test/v1", policy, answers("93.184.216.34", "10.0.0.7"))).toContain("private");
    expect(await outboundUrlProblem("https://graph.facebook.com/v19.0", policy, answers("157.240.1.1"))).toBeNull();
    // A name that does not resolve now is left to the request-time check.
    const unresolvable: Resolver = async () => Promise.reject(Object.assign(new Error("nope"), { code: "ENOTFOUND" }));
    expect(await outboundUrlProblem("https://api.zid.example/v1", policy, unresolvable)).toBeNull();
    expect(await outboundUrlProblem("http://127.0.0.1:9/tg", { allowPrivateNetworks: true })).toBeNull();
  });

  it("refuses at request time a name that resolves to loopback, and never connects", async () => {
    const before = hits;
    await expect(fetchThrough(`http://shop-api.test:${port}/`, false, answers("127.0.0.1"))).rejects.toBeInstanceOf(OutboundTargetRefusedError);
    expect(() => guardOutbound(`http://127.0.0.1:${port}/`, { allowPrivateNetworks: false })).toThrow(OutboundTargetRefusedError);
    expect(hits).toBe(before);
  });

  it("defeats DNS rebinding: the name that looked public when saved is refused when it turns private", async () => {
    const resolve = rebinding();
    const policy = { allowPrivateNetworks: false };
    const raw = `http://rebind.attacker.test:${port}/`;
    expect(await outboundUrlProblem(raw, policy, resolve)).toBeNull();
    const before = hits;
    await expect(fetchThrough(raw, false, resolve)).rejects.toBeInstanceOf(OutboundTargetRefusedError);
    expect(hits).toBe(before);
  });

  it("connects to a private target when the operator allows private networks", async () => {
    const res = await fetchThrough(`http://shop-api.test:${port}/`, true, answers("127.0.0.1"));
    expect(res).toEqual({ status: 200, body: "internal secrets" });
  });
});
