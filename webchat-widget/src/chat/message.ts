// Renders one message (text, product cards, cart, order, links) into its row. Text goes in as text
// nodes only; URLs become anchors only for http(s); images only from URLs the server sent.
import { actionText, type DigitStyle, type MessagePart, type ProductCardPart } from "@kaleem/shared/contracts";
import type { ClientMessage } from "../client/client.js";
import { formatPrice, formatTime, type Strings, type UiLocale } from "../i18n.js";
import { attachmentView } from "./attach.js";
import { h, renderText, safeUrl } from "./dom.js";

export interface RenderContext {
  locale: UiLocale;
  /** The merchant's digit style for Arabic (the bot's answers use it too). */
  digits: DigitStyle;
  t: Strings;
  baseUrl: string;
  /** Quick-reply payload → the label the shopper clicked, to show instead of the raw payload. */
  labels: Map<string, string>;
  send(text: string): void;
  retry(clientMessageId: string): void;
  /** A fresh link to read an attachment of this conversation. */
  link(key: string): Promise<string>;
  lightbox(src: string, alt: string): void;
}

export interface RowView {
  el: HTMLElement;
  /** Fingerprint of what is rendered, so unchanged messages are left alone. */
  key: string;
  text?: HTMLElement;
  caret?: HTMLElement;
  /** The end marker of a stopped answer. */
  cut?: HTMLElement;
  partsKey?: string;
}

/** What each tapped action in the log reads as (see actionText in the shared contracts). */
export function learnLabels(messages: readonly ClientMessage[], labels: Map<string, string>, t: Strings): void {
  messages.forEach((m, i) => {
    if (m.role !== "shopper" || labels.has(m.text.trim())) return;
    const shown = actionText(m.text, messages.slice(0, i), t.addedLabel);
    if (shown !== null) labels.set(m.text.trim(), shown);
  });
}

export const labelFor = (text: string, labels: Map<string, string>): string => labels.get(text.trim()) ?? text;

export function renderMessage(row: RowView, m: ClientMessage, c: RenderContext): void {
  const shown = m.role === "shopper" ? labelFor(m.text, c.labels) : m.text;
  const partsKey = JSON.stringify(m.parts);
  const key = [m.id, m.seq, m.status, m.delivery, c.locale, c.digits, partsKey.length, shown].join("|");
  if (row.key === key) return;
  row.key = key;
  const el = row.el;
  el.className = `k-row k-${m.role}`;
  el.dataset.messageId = m.id;
  el.dataset.role = m.role;
  el.dataset.status = m.status;
  if (m.seq !== null) el.dataset.seq = String(m.seq);

  // Build the fixed skeleton once; later updates (streaming) only touch the text and meta.
  if (!row.text) {
    el.textContent = "";
    if (m.role === "agent" && m.authorName) el.append(h("div", { class: "k-who", dir: "auto", text: m.authorName }));
    row.text = h("span", { class: "k-text" });
    row.caret = h("span", { class: "k-caret", "aria-hidden": "true" });
    row.cut = h("span", { class: "k-cut", text: " …" });
    el.append(h("div", { class: "k-bubble", dir: "auto" }, row.text, row.cut, row.caret));
    el.append(h("div", { class: "k-parts" }), h("div", { class: "k-meta" }));
  }
  const bubble = row.text.parentElement as HTMLElement;
  renderText(row.text, shown);
  // An answer stopped mid-way (a person took over) ends visibly instead of mid-word; the system line
  // "… joined" comes right under it. Outside the text itself, which stays what the server stored.
  if (row.cut) {
    row.cut.hidden = !(m.status === "stopped" && shown.length > 0);
    row.cut.title = c.t.stopped;
    row.cut.setAttribute("aria-label", c.t.stopped);
  }
  // An answer that has not started yet still shows a bubble with the caret (the bot is typing).
  bubble.hidden = shown.length === 0 && m.status !== "streaming";
  if (row.caret) row.caret.hidden = m.status !== "streaming";

  const partsEl = el.querySelector<HTMLElement>(".k-parts");
  if (partsEl && row.partsKey !== partsKey + c.locale + c.digits) {
    row.partsKey = partsKey + c.locale + c.digits;
    partsEl.textContent = "";
    for (const node of renderParts(m.parts, c)) partsEl.append(node);
  }
  const meta = el.querySelector<HTMLElement>(".k-meta");
  if (meta) renderMeta(meta, m, c);
}

function renderMeta(meta: HTMLElement, m: ClientMessage, c: RenderContext): void {
  meta.textContent = "";
  if (m.role === "system") return;
  meta.append(h("time", { datetime: m.createdAt, text: formatTime(m.createdAt, c.locale, c.digits) }));
  if (m.role !== "shopper" || !m.delivery) return;
  const { t } = c;
  if (m.delivery === "failed" && m.clientMessageId) {
    const cmid = m.clientMessageId;
    const btn = h("button", { type: "button", text: t.failed });
    btn.addEventListener("click", () => c.retry(cmid));
    meta.append(btn);
    return;
  }
  const marks = { sending: "○", sent: "✓", read: "✓✓", failed: "!" }[m.delivery];
  const label = { sending: t.sending, sent: t.sent, read: t.read, failed: t.failed }[m.delivery];
  meta.append(h("span", { class: `k-dl k-${m.delivery}`, title: label, "aria-label": label, text: marks }));
}

function renderParts(parts: MessagePart[], c: RenderContext): Node[] {
  const out: Node[] = [];
  const cards = parts.filter((p): p is ProductCardPart => p.type === "product_card");
  if (cards.length > 0) {
    out.push(h("div", { class: "k-cards", role: "list", "aria-label": c.t.products }, ...cards.map((p) => productCard(p, c))));
  }
  for (const p of parts) {
    if (p.type === "cart") {
      const rows = p.items.map((i) =>
        h("tr", {}, h("td", { dir: "auto", text: `${i.quantity} × ${i.name}` }), h("td", { text: formatPrice(i.price * i.quantity, p.currency, c.locale, c.digits) })),
      );
      rows.push(h("tr", {}, h("td", {}, h("strong", { text: c.t.total })), h("td", {}, h("strong", { text: formatPrice(p.total, p.currency, c.locale, c.digits) }))));
      out.push(h("div", { class: "k-box k-cart" }, h("div", { text: c.t.cart }), h("table", {}, h("tbody", {}, ...rows))));
    } else if (p.type === "order") {
      out.push(
        h(
          "div",
          { class: "k-box k-order" },
          h("strong", { class: "k-order-n", text: c.t.order(p.number) }),
          // Status and total side by side; each wraps as a whole, never inside a price.
          h(
            "div",
            { class: "k-order-l" },
            h("span", { class: "k-order-s", text: c.t.orderStatus[p.status] ?? p.status }),
            h("span", { class: "k-order-total", text: formatPrice(p.total, p.currency, c.locale, c.digits) }),
          ),
        ),
      );
    } else if (p.type === "attachment") {
      out.push(attachmentView(p, c.t, c.link, c.lightbox));
    } else if (p.type === "link") {
      const href = safeUrl(p.url, c.baseUrl);
      if (href) out.push(h("div", { class: "k-box" }, h("a", { href, target: "_blank", rel: "noopener noreferrer", dir: "auto", text: p.label || href })));
    }
  }
  return out;
}

function productCard(p: ProductCardPart, c: RenderContext): HTMLElement {
  const img = safeUrl(p.imageUrl, c.baseUrl);
  const view = safeUrl(p.url, c.baseUrl);
  const add = h("button", { type: "button", class: "k-btn k-pri", text: c.t.addToCart, disabled: !p.inStock });
  add.addEventListener("click", () => c.send(`add:${p.productId}`));
  return h(
    "div",
    { class: "k-card", role: "listitem", "data-product-id": p.productId },
    img ? h("img", { src: img, alt: p.name, loading: "lazy", referrerpolicy: "no-referrer" }) : null,
    h(
      "div",
      { class: "k-card-b" },
      h("div", { class: "k-card-n", dir: "auto", text: p.name }),
      h("div", { class: "k-price", text: formatPrice(p.price, p.currency, c.locale, c.digits) }),
      p.inStock ? null : h("div", { class: "k-oos", text: c.t.outOfStock }),
      h(
        "div",
        { class: "k-card-a" },
        view ? h("a", { class: "k-btn", href: view, target: "_blank", rel: "noopener noreferrer", text: c.t.view }) : null,
        add,
      ),
    ),
  );
}
