// Who the shopper is, their orders and the products the conversation mentioned.
import type { Customer, OrderListItem, ProductCardPart } from "@kaleem/shared/contracts";
import { useMemo } from "react";
import { ApiError } from "../../api/client";
import { getCustomer, listOrders } from "../../api/endpoints";
import { useI18n } from "../../i18n/i18n";
import type { ListConversation } from "../../realtime/conversation-list";
import type { ThreadMessage } from "@kaleem/shared/contracts";
import { ChannelBadge } from "../../ui/ChannelBadge";
import { ErrorState } from "../../ui/components";
import { RouteLink } from "../../ui/RouteLink";
import { useAsync } from "../../ui/useAsync";
import { safeUrl } from "./MessageItem";
import { VisitorBlock } from "./VisitorBlock";

/** Host and path, which is what an agent needs to recognise the page. */
function pageLabel(url: string): string {
  const u = new URL(url);
  return `${u.host}${u.pathname === "/" ? "" : u.pathname}`;
}

export function productsMentioned(messages: ThreadMessage[]): ProductCardPart[] {
  const seen = new Map<string, ProductCardPart>();
  for (const m of messages) for (const p of m.parts) if (p.type === "product_card" && !seen.has(p.productId)) seen.set(p.productId, p);
  return [...seen.values()];
}

export function SidePanel({ conversation, messages }: { conversation: ListConversation; messages: ThreadMessage[] }) {
  const { t, formatMoney, formatDateTime } = useI18n();
  const customer = useAsync<Customer | null>(
    () => (conversation.customerId ? getCustomer(conversation.customerId) : Promise.resolve(null)),
    [conversation.customerId],
  );
  const orders = useAsync<OrderListItem[]>(
    async () =>
      (await listOrders(conversation.customerId ? { customerId: conversation.customerId, limit: 5 } : { conversationId: conversation.id, limit: 5 })).items,
    [conversation.customerId, conversation.id],
  );
  const products = useMemo(() => productsMentioned(messages), [messages]);
  const name = customer.data?.name ?? conversation.customerName ?? t("inbox.visitor", { id: (conversation.visitorId ?? conversation.id).slice(-6) });
  const email = customer.data?.email ?? null;
  const phone = customer.data?.phone ?? null;
  const channel = customer.data?.channel ?? conversation.channel;
  // The store page the shopper chats from; only http(s) becomes a link.
  const pageUrl = safeUrl(conversation.pageUrl);

  return (
    <aside className="side-panel" data-testid="side-panel">
      <section data-testid="side-contact">
        <h3>{t("inbox.shopper")}</h3>
        <div className="side-name" dir="auto" data-testid="side-name">{name}</div>
        <dl className="side-facts">
          <dt>{t("inbox.channel")}</dt>
          <dd data-testid="side-channel">
            <ChannelBadge channel={channel} />
          </dd>
          <dt>{t("inbox.email")}</dt>
          <dd data-testid="side-email">
            {email ? (
              <a href={`mailto:${email}`} dir="ltr">
                <bdi>{email}</bdi>
              </a>
            ) : (
              <span className="muted">—</span>
            )}
          </dd>
          <dt>{t("inbox.phone")}</dt>
          <dd data-testid="side-phone">
            {phone ? (
              <bdi dir="ltr">{phone}</bdi>
            ) : (
              <span className="muted">—</span>
            )}
          </dd>
          {pageUrl ? (
            <>
              <dt>{t("inbox.page")}</dt>
              <dd data-testid="side-page">
                <a href={pageUrl} target="_blank" rel="noopener noreferrer" dir="ltr" className="side-page-link">
                  <bdi>{pageLabel(pageUrl)}</bdi>
                </a>
              </dd>
            </>
          ) : null}
        </dl>
        {customer.loading && conversation.customerId ? <p className="muted small">{t("common.loading")}</p> : null}
        {conversation.channel === "webchat" && conversation.visitorId ? <VisitorBlock visitorId={conversation.visitorId} /> : null}
        {customer.error && !(customer.error instanceof ApiError && customer.error.missingEndpoint) ? <ErrorState compact error={customer.error} /> : null}
      </section>
      <section>
        <h3>{t("inbox.orders")}</h3>
        {orders.error ? <ErrorState compact error={orders.error} /> : null}
        {orders.data && orders.data.length === 0 ? <p className="muted">{t("inbox.noOrders")}</p> : null}
        <ul className="side-list" data-testid="side-orders">
          {orders.data?.map((o) => (
            <li key={o.id}>
              <RouteLink className="side-order" route={{ page: "orders", orderId: o.id, customerId: conversation.customerId }} data-testid="side-order">
                <strong dir="ltr">#{o.number}</strong> · {t(`order.status.${o.status}`)}
                <div className="muted">
                  {formatMoney(o.total, o.currency)} · {formatDateTime(o.createdAt)}
                </div>
              </RouteLink>
            </li>
          ))}
        </ul>
        {conversation.customerId && orders.data && orders.data.length > 0 ? (
          <RouteLink className="side-orders-link" route={{ page: "orders", customerId: conversation.customerId }} data-testid="side-all-orders">
            {t("inbox.allOrders")}
          </RouteLink>
        ) : null}
      </section>
      <section>
        <h3>{t("inbox.products")}</h3>
        {products.length === 0 ? <p className="muted">{t("inbox.noProducts")}</p> : null}
        <ul className="side-list">
          {products.map((p) => {
            const img = safeUrl(p.imageUrl);
            return (
              <li key={p.productId} className="side-product">
                {img ? <img src={img} alt="" referrerPolicy="no-referrer" /> : <span className="product-card-img" aria-hidden="true" />}
                <div>
                  <div>
                    <bdi>{p.name}</bdi>
                  </div>
                  <div className="muted">{formatMoney(p.price, p.currency)}</div>
                </div>
              </li>
            );
          })}
        </ul>
      </section>
    </aside>
  );
}
