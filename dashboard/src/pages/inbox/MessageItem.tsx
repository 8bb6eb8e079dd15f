// One timeline entry. Text is always a React text node: whatever the shopper typed stays text.
import type { ChannelDelivery, MessagePart } from "@kaleem/shared/contracts";
import { useI18n } from "../../i18n/i18n";
import { Icon, type IconName } from "../../ui/icons";
import { RouteLink } from "../../ui/RouteLink";
import { AttachmentView } from "./Attachment";
import type { ThreadMessage } from "@kaleem/shared/contracts";

/** Only http(s) URLs become links or images; anything else (javascript:, data:) is dropped. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

function Part({ part, conversationId }: { part: MessagePart; conversationId: string }) {
  const { t, formatMoney } = useI18n();
  switch (part.type) {
    case "product_card": {
      const href = safeUrl(part.url);
      const img = safeUrl(part.imageUrl);
      return (
        <div className="product-card" data-testid="product-card">
          {img ? <img src={img} alt="" loading="lazy" referrerPolicy="no-referrer" /> : <div className="product-card-img" aria-hidden="true" />}
          <div>
            <div className="product-card-name">{href ? <a href={href} target="_blank" rel="noopener noreferrer">{part.name}</a> : part.name}</div>
            <div className="product-card-meta">
              {formatMoney(part.price, part.currency)} · {part.inStock ? t("inbox.inStock") : t("inbox.outOfStock")}
            </div>
          </div>
        </div>
      );
    }
    case "quick_replies":
      return (
        <div className="quick-replies" aria-label={t("inbox.quickReplies")}>
          {part.replies.map((r, i) => (
            <span key={i} className="chip">
              {r.label}
            </span>
          ))}
        </div>
      );
    case "handoff":
      return <div className="part-note">{t("inbox.handoffReason", { reason: part.reason })}</div>;
    case "order":
      // A card like the product ones: the number opens the order, the status in the reader's language, the total never split.
      return (
        <div className="order-card" data-testid="order-card">
          <RouteLink className="order-card-n" route={{ page: "orders", orderId: part.orderId }} dir="ltr">
            #{part.number}
          </RouteLink>
          <span className="order-card-s">{t(`order.status.${part.status}`)}</span>
          <span className="order-card-total">{formatMoney(part.total, part.currency)}</span>
        </div>
      );
    case "cart":
      return <div className="part-note">{t("inbox.cart", { total: formatMoney(part.total, part.currency) })} ({part.items.map((i) => `${i.quantity}× ${i.name}`).join(", ")})</div>;
    case "link": {
      const href = safeUrl(part.url);
      return href ? (
        <a className="part-link" href={href} target="_blank" rel="noopener noreferrer">
          {part.label}
        </a>
      ) : (
        <span className="part-link">{part.label}</span>
      );
    }
    case "attachment":
      return <AttachmentView part={part} conversationId={conversationId} />;
  }
}

const DELIVERY_ICON: Record<ChannelDelivery["state"], IconName> = { queued: "clock", sent: "check", delivered: "checks", read: "checks", failed: "alert" };

/** Where a message sent to a channel stands: a small line under the bubble; a failure says the provider's reason. */
function DeliveryLine({ delivery }: { delivery: ChannelDelivery }) {
  const { t } = useI18n();
  const failed = delivery.state === "failed";
  return (
    <div className="msg-delivery" data-testid="delivery" data-state={delivery.state} data-failure={delivery.failure ?? undefined} role={failed ? "status" : undefined}>
      <span className="msg-delivery-state">
        <Icon name={DELIVERY_ICON[delivery.state]} size={13} />
        <span>{t(`delivery.${delivery.state}`)}</span>
      </span>
      {failed && delivery.error ? (
        <span className="msg-delivery-reason" dir="auto" data-testid="delivery-reason" title={delivery.error}>
          {delivery.error}
        </span>
      ) : null}
    </div>
  );
}

/** `shownText` replaces the text when it reads better ("Added X to the cart" for a tapped action). */
export function MessageItem({ message, shownText }: { message: ThreadMessage; shownText?: string | null }) {
  const { t, formatTime } = useI18n();
  if (message.role === "system") {
    return (
      <li className="msg msg-system" data-seq={message.seq}>
        <bdi>{message.text}</bdi>
      </li>
    );
  }
  const who =
    message.role === "agent" || message.role === "note"
      ? `${message.authorName ?? t("inbox.role.agent")}${message.role === "note" ? ` · ${t("inbox.role.note")}` : ""}`
      : t(`inbox.role.${message.role}`);
  return (
    <li
      className={`msg msg-${message.role}${message.status === "streaming" ? " is-streaming" : ""}${message.status === "stopped" ? " is-stopped" : ""}`}
      data-testid={`msg-${message.role}`}
      data-message-id={message.id}
      data-status={message.status}
      data-seq={message.seq}
    >
      <div className="msg-meta">
        {message.role === "note" ? <Icon name="lock" size={12} /> : null}
        <bdi>{who}</bdi>
        <span>{formatTime(message.createdAt)}</span>
        {message.status === "streaming" ? <span className="msg-flag">{t("inbox.streaming")}</span> : null}
        {message.status === "stopped" ? <span className="msg-flag msg-flag-stopped">{t("inbox.stopped")}</span> : null}
      </div>
      <div className="msg-bubble">
        {(shownText ?? message.text) || message.parts.length === 0 ? (
          <div className="msg-text" dir="auto" data-testid="msg-text" title={shownText ? message.text : undefined}>
            {shownText ?? message.text}
          </div>
        ) : null}
        {message.parts.length > 0 ? (
          <div className="msg-parts">
            {message.parts.map((part, i) => (
              <Part key={i} part={part} conversationId={message.conversationId} />
            ))}
          </div>
        ) : null}
      </div>
      {message.channelDelivery && (message.role === "bot" || message.role === "agent") ? <DeliveryLine delivery={message.channelDelivery} /> : null}
    </li>
  );
}
