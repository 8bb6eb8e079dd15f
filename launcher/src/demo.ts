// The demo store: seeded on the first start of an empty store, and kept embeddable when the
// server moves (another PORT or PUBLIC_URL).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { asMerchantId, hashPassword, publicBaseUrl, seedDemoStore, writePrivateFile, type Config, type Logger, type Store } from "@kaleem/shared";

export async function seedDemoIfEmpty(
  store: Store,
  config: Config,
  port: number,
  printCredentials: boolean,
  write: (text: string) => void = (text) => void process.stderr.write(text),
): Promise<void> {
  if ((await store.lookup.merchantIds()).length > 0) return;
  // The last step of a first start, reported like the install and build steps before it.
  const t0 = Date.now();
  if (printCredentials) write("[kaleem] seed: creating the demo store ...\n");
  const demo = await seedDemoStore(store, { origins: ownOrigins(config, port), hashPassword: (p) => hashPassword(p) });
  writePrivateFile(path.join(config.dataDir, "demo.json"), JSON.stringify(demo, null, 2));
  if (!printCredentials) return;
  write(`[kaleem] seed: done in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
  const base = config.http.publicUrl ?? `http://localhost:${port}`;
  process.stdout.write(
    `\nKaleem demo store "${demo.storeName}" is ready\n  storefront: ${base}/\n  dashboard:  ${base}/dashboard/\n  login:      ${demo.email} / ${demo.password}\n  widget key: ${demo.widgetKey}\n  (saved in ${path.join(config.dataDir, "demo.json")})\n\n`,
  );
}

/**
 * The demo store lets the product's own origins embed its widget. A restart on another PORT (or
 * PUBLIC_URL) would otherwise leave the demo page refused by the hub's origin check.
 */
export async function refreshDemoOrigins(store: Store, config: Config, port: number, logger: Logger): Promise<void> {
  const file = path.join(config.dataDir, "demo.json");
  if (!existsSync(file)) return;
  let merchantId: unknown;
  try {
    merchantId = (JSON.parse(readFileSync(file, "utf8")) as { merchantId?: unknown }).merchantId;
  } catch {
    return;
  }
  if (typeof merchantId !== "string") return;
  const tenant = store.forMerchant(asMerchantId(merchantId));
  try {
    const merchant = await tenant.merchant.get();
    const own = ownOrigins(config, port);
    const missing = own.filter((o) => !merchant.widget.allowedOrigins.includes(o));
    if (missing.length > 0) {
      await tenant.merchant.update({ widget: { allowedOrigins: [...merchant.widget.allowedOrigins, ...missing] } });
      logger.info({ added: missing }, "demo store now allows this server's origins");
    }
  } catch (err) {
    logger.warn({ err }, "demo store origins not refreshed");
  }
}

function ownOrigins(config: Config, port: number): string[] {
  return [...new Set([publicBaseUrl({ ...config, http: { ...config.http, port } }), `http://localhost:${port}`, `http://127.0.0.1:${port}`])];
}
