// A Kaleem message → Messenger / Instagram Send API bodies (`POST /<version>/<account-id>/messages`):
// text split within the platform's limit (Messenger 2000 characters, Instagram 1000 bytes),
// product cards as a generic template (≤ 10 elements, each with "add to cart" postback and
// "view" link buttons), quick replies (≤ 13, titles ≤ 20) on the last message. Every body names
// its messaging_type: RESPONSE inside the 24-hour window, MESSAGE_TAG + HUMAN_AGENT for a human
// agent's reply after it (see common/window.ts, which decides).
import { clip } from "../common/inbound.js";
import { cardPrice, isHttpUrl, labelsFor, planOutbound, textWithLinks, type OutboundMessage } from "../common/outbound.js";
import { addToCartPayload, providerPayload } from "../common/payload-token.js";
import { jsonPost, type ProviderRequest } from "../common/request.js";
import { splitText, type TextLimit } from "../common/text-split.js";
import type { MetaMessagingType } from "../common/window.js";
import { metaAuth, metaUrl, type MetaMessagingChannelConfig } from "./config.js";

export const META_LIMITS = {
  quickReplies: 13,
  quickReplyTitle: 20,
  payload: 1000,
  elements: 10,
  elementTitle: 80,
  elementSubtitle: 80,
  elementButtons: 3,
  buttonTitle: 20,
} as const;

export const META_TEXT_LIMIT: Record<MetaMessagingChannelConfig["platform"], TextLimit> = {
  messenger: { maxChars: 2000 },
  instagram: { maxBytes: 1000 },
};

const payloadOf = (payload: string) => providerPayload(payload, { maxChars: META_LIMITS.payload });

export function buildMetaSend(config: MetaMessagingChannelConfig, recipientId: string, message: OutboundMessage, messaging: MetaMessagingType): ProviderRequest[] {
  const plan = planOutbound(message);
  const labels = labelsFor(plan.locale);
  const url = metaUrl(config, "messages", config.accountId, "messages");
  const headers = metaAuth(config, "messages");
  const envelope = () => ({
    recipient: { id: recipientId },
    messaging_type: messaging.messagingType,
    ...(messaging.messagingType === "MESSAGE_TAG" ? { tag: messaging.tag } : {}),
  });
  const messages: Array<Record<string, unknown>> = splitText(textWithLinks(plan), META_TEXT_LIMIT[config.platform]).map((text) => ({ text }));

  const elements = plan.cards.slice(0, META_LIMITS.elements).map((card) => {
    const buttons: Array<Record<string, string>> = [];
    if (card.inStock) buttons.push({ type: "postback", title: clip(labels.addToCart, META_LIMITS.buttonTitle), payload: payloadOf(addToCartPayload(card.productId)) });
    if (isHttpUrl(card.url)) buttons.push({ type: "web_url", title: clip(labels.view, META_LIMITS.buttonTitle), url: card.url });
    return {
      title: clip(card.name, META_LIMITS.elementTitle),
      subtitle: clip(cardPrice(card, plan.locale, plan.digits), META_LIMITS.elementSubtitle),
      ...(isHttpUrl(card.imageUrl) ? { image_url: card.imageUrl } : {}),
      ...(isHttpUrl(card.url) ? { default_action: { type: "web_url", url: card.url } } : {}),
      ...(buttons.length > 0 ? { buttons: buttons.slice(0, META_LIMITS.elementButtons) } : {}),
    };
  });
  if (elements.length > 0) messages.push({ attachment: { type: "template", payload: { template_type: "generic", elements } } });

  // Files by link (Meta fetches them); reusable, so the same file sent again needs no new fetch.
  for (const media of plan.media) {
    const type = media.kind === "image" ? "image" : media.kind === "video" ? "video" : media.kind === "audio" ? "audio" : "file";
    messages.push({ attachment: { type, payload: { url: media.url, is_reusable: true } } });
  }

  const quickReplies = plan.choices
    .slice(0, META_LIMITS.quickReplies)
    .map((c) => ({ content_type: "text", title: clip(c.label, META_LIMITS.quickReplyTitle), payload: payloadOf(c.payload) }));
  if (quickReplies.length > 0) {
    // Quick replies ride on the last message; Instagram takes them on text only.
    const last = messages.at(-1);
    if (last && (config.platform === "messenger" || typeof last.text === "string")) last.quick_replies = quickReplies;
    else messages.push({ text: labels.choose, quick_replies: quickReplies });
  }
  return messages.map((m) => jsonPost(config.platform, "messages", url, { ...envelope(), message: m }, headers));
}
