// A Kaleem message → WhatsApp Cloud API `POST /<version>/<phone-number-id>/messages` bodies.
//   - text: split at sentence boundaries within 4096 characters, link previews on when it has a URL;
//   - up to 3 options (quick replies and in-stock product cards together): reply buttons (titles
//     ≤ 20 characters), with the product's image as header when it is the only card;
//   - more options: an interactive list (≤ 10 rows: quick replies kept first, then products;
//     row title ≤ 24, description ≤ 72, button label ≤ 20);
//   - product images: image messages by link with the product line as caption.
// Ids longer than the fields allow travel as payload tokens (common/payload-token.ts).
import type { ProductCardPart } from "@kaleem/shared";
import { clip } from "../common/inbound.js";
import { cardLine, cardPrice, isHttpUrl, labelsFor, planOutbound, textWithLinks, type OutboundMessage } from "../common/outbound.js";
import { addToCartPayload, providerPayload } from "../common/payload-token.js";
import { jsonPost, type ProviderRequest } from "../common/request.js";
import { splitText } from "../common/text-split.js";
import { whatsAppAuth, whatsAppUrl, type WhatsAppChannelConfig } from "./config.js";

/** WhatsApp Cloud API limits for what Kaleem sends (checked against Meta's OpenAPI by the fake server's tests). */
export const WHATSAPP_LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  caption: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButton: 20,
  listRows: 10,
  listSections: 10,
  sectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  headerText: 60,
  footerText: 60,
} as const;

interface Row {
  id: string;
  title: string;
  description?: string;
}

export interface WhatsAppSendOptions {
  /** Quote the shopper's message (its wamid) in the first message sent. */
  replyToMessageId?: string | null;
}

const hasUrl = (text: string) => /https?:\/\/\S/i.test(text);

export function buildWhatsAppSend(config: WhatsAppChannelConfig, to: string, message: OutboundMessage, options: WhatsAppSendOptions = {}): ProviderRequest[] {
  const plan = planOutbound(message);
  const labels = labelsFor(plan.locale);
  const url = whatsAppUrl(config, "messages", config.phoneNumberId, "messages");
  const headers = whatsAppAuth(config, "messages");
  const bodies: Array<Record<string, unknown>> = [];
  const base = () => ({ messaging_product: "whatsapp", recipient_type: "individual", to });

  const stocked = plan.cards.filter((c) => c.inStock);
  const choiceRows = plan.choices.map((c) => ({ payload: c.payload, title: c.label }));
  const cardRows = stocked.map((c) => ({ payload: addToCartPayload(c.productId), title: c.name, card: c }));
  const optionCount = choiceRows.length + cardRows.length;
  const buttonTitles = [...choiceRows, ...cardRows].map((r) => clip(r.title, WHATSAPP_LIMITS.buttonTitle));
  const useButtons = optionCount > 0 && optionCount <= WHATSAPP_LIMITS.buttons && new Set(buttonTitles).size === buttonTitles.length;
  const useList = optionCount > 0 && !useButtons;
  const headerCard: ProductCardPart | null = useButtons && stocked.length === 1 && isHttpUrl(stocked[0]!.imageUrl) ? stocked[0]! : null;
  const imageCards = plan.cards.filter((c) => c !== headerCard && isHttpUrl(c.imageUrl)).slice(0, 10);
  // Cards with no image and no list row of their own are told in the text.
  const toldCards = plan.cards.filter((c) => c !== headerCard && !isHttpUrl(c.imageUrl) && !(useList && c.inStock));
  const text = [textWithLinks(plan), ...toldCards.map((c) => cardLine(c, plan.locale, plan.digits))].filter((s) => s !== "").join("\n");
  const chunks = splitText(text, { maxChars: WHATSAPP_LIMITS.textBody });

  // The answer's last piece becomes the body of the buttons or list when nothing comes between them.
  const headerLine = headerCard ? cardLine(headerCard, plan.locale, plan.digits) : null;
  const room = WHATSAPP_LIMITS.interactiveBody - (headerLine ? headerLine.length + 2 : 0);
  const last = chunks.at(-1);
  const merge = optionCount > 0 && imageCards.length === 0 && last !== undefined && last.length <= room;
  const bodyParts: string[] = [];
  if (merge) bodyParts.push(chunks.pop()!);
  if (headerLine) bodyParts.push(headerLine);
  const bodyText = bodyParts.join("\n\n") || labels.choose;

  for (const chunk of chunks) bodies.push({ ...base(), type: "text", text: { body: chunk, preview_url: hasUrl(chunk) } });
  for (const card of imageCards) bodies.push({ ...base(), type: "image", image: { link: card.imageUrl, caption: clip(cardLine(card, plan.locale, plan.digits), WHATSAPP_LIMITS.caption) } });

  if (useButtons) {
    const interactive: Record<string, unknown> = {
      type: "button",
      body: { text: clip(bodyText, WHATSAPP_LIMITS.interactiveBody) },
      action: {
        buttons: [...cardRows, ...choiceRows].map((r) => ({
          type: "reply",
          reply: { id: providerPayload(r.payload, { maxChars: WHATSAPP_LIMITS.buttonId }), title: clip(r.title, WHATSAPP_LIMITS.buttonTitle) },
        })),
      },
    };
    if (headerCard) interactive.header = { type: "image", image: { link: headerCard.imageUrl } };
    bodies.push({ ...base(), type: "interactive", interactive });
  } else if (useList) {
    const rowOf = (payload: string, title: string, description?: string): Row => ({
      id: providerPayload(payload, { maxChars: WHATSAPP_LIMITS.rowId }),
      title: clip(title, WHATSAPP_LIMITS.rowTitle),
      ...(description ? { description: clip(description, WHATSAPP_LIMITS.rowDescription) } : {}),
    });
    // Quick replies ("talk to a person") are kept first when the rows must be cut to ten.
    const choices = choiceRows.slice(0, WHATSAPP_LIMITS.listRows).map((r) => rowOf(r.payload, r.title));
    const products = cardRows.slice(0, WHATSAPP_LIMITS.listRows - choices.length).map((r) => rowOf(r.payload, r.title, cardPrice(r.card, plan.locale, plan.digits)));
    const sections = [
      ...(products.length > 0 ? [{ title: clip(labels.products, WHATSAPP_LIMITS.sectionTitle), rows: products }] : []),
      ...(choices.length > 0 ? [{ title: clip(labels.options, WHATSAPP_LIMITS.sectionTitle), rows: choices }] : []),
    ];
    bodies.push({
      ...base(),
      type: "interactive",
      interactive: { type: "list", body: { text: clip(bodyText, WHATSAPP_LIMITS.interactiveBody) }, action: { button: clip(labels.options, WHATSAPP_LIMITS.listButton), sections } },
    });
  }

  if (options.replyToMessageId && bodies[0]) bodies[0].context = { message_id: options.replyToMessageId };
  // Files by link (WhatsApp fetches them): images, documents with their file name, video, audio.
  for (const media of plan.media) {
    const type = media.kind === "image" ? "image" : media.kind === "video" ? "video" : media.kind === "audio" ? "audio" : "document";
    const object: Record<string, string> = { link: media.url };
    if (type === "document" && media.name) object.filename = media.name;
    bodies.push({ ...base(), type, [type]: object });
  }
  return bodies.map((body) => jsonPost("whatsapp", "messages", url, body, headers));
}

/** Marks the shopper's message read (blue ticks) once Kaleem has taken it in. */
export function buildWhatsAppMarkRead(config: WhatsAppChannelConfig, wamid: string): ProviderRequest {
  return jsonPost("whatsapp", "messages", whatsAppUrl(config, "messages", config.phoneNumberId, "messages"), { messaging_product: "whatsapp", status: "read", message_id: wamid }, whatsAppAuth(config, "messages"));
}
