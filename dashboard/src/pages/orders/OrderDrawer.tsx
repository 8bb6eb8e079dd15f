// One order, opened beside the list: items and fees, who placed it, the conversation it came from,
// and the status moves (each one audited by the server and sent on as an event).
import type { OrderDetail } from "@kaleem/shared/contracts";
import { useEffect, useRef, useState } from "react";
import { getOrder, setOrderStatus } from "../../api/endpoints";
import { useI18n } from "../../i18n/i18n";
import { ChannelBadge } from "../../ui/ChannelBadge";
import { Button, ErrorState, Loading, StatusPill, errorMessage } from "../../ui/components";
import { Icon } from "../../ui/icons";
import { RouteLink } from "../../ui/RouteLink";
import { useAsync } from "../../ui/useAsync";
import { orderMoves, orderStatusTone, type OrderMove } from "./order-view";

export function OrderDrawer({ orderId, onClose, onChanged }: { orderId: string; onClose: () => void; onChanged: (order: OrderDetail) => void }) {
  const { t, formatMoney, formatDateTime } = useI18n();
  const order = useAsync(() => getOrder(orderId), [orderId]);
  const [busy, setBusy] = useState<OrderMove | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const move = async (to: OrderMove) => {
    if (to === "cancelled" && !window.confirm(t("orders.confirmCancel"))) return;
    setBusy(to);
    setError(null);
    try {
      const updated = await setOrderStatus(orderId, to);
      order.setData(updated);
      onChanged(updated);
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
      // Someone else may have moved it: show where it stands now.
      order.reload();
    } finally {
      setBusy(null);
    }
  };

  const o = order.data;
  const money = (n: number) => (o ? formatMoney(n, o.currency) : "");
  return (
    <aside className="drawer" aria-label={o ? t("orders.orderNumber", { number: o.number }) : t("orders.order")} data-testid="order-drawer" tabIndex={-1} ref={ref}>
      <div className="drawer-head">
        <h2>
          {o ? (
            <>
              <span dir="ltr">#{o.number}</span>{" "}
              <StatusPill tone={orderStatusTone(o.status)}>
                <span data-testid="drawer-status" data-status={o.status}>{t(`order.status.${o.status}`)}</span>
              </StatusPill>
            </>
          ) : (
            t("orders.order")
          )}
        </h2>
        <button type="button" className="dialog-x" aria-label={t("common.close")} onClick={onClose} data-testid="drawer-close">
          ×
        </button>
      </div>
      <div className="drawer-body">
        {order.loading && !o ? <Loading /> : null}
        {order.error ? <ErrorState error={order.error} onRetry={order.reload} /> : null}
        {o ? (
          <>
            <div className="muted small">{formatDateTime(o.createdAt)}</div>
            {orderMoves(o.status).length > 0 ? (
              <div className="drawer-actions" data-testid="order-moves">
                {orderMoves(o.status).map((m) => (
                  <Button
                    key={m.to}
                    size="sm"
                    variant={m.danger ? "danger" : "primary"}
                    disabled={busy !== null}
                    onClick={() => void move(m.to)}
                    data-testid={`order-move-${m.to}`}
                  >
                    {busy === m.to ? t("common.loading") : t(m.label)}
                  </Button>
                ))}
              </div>
            ) : null}
            {error ? <div className="error-box error-compact" role="alert">{error}</div> : null}

            <section>
              <h3>{t("orders.items")}</h3>
              <table className="table compact order-items" data-testid="order-items">
                <tbody>
                  {o.items.map((item, i) => (
                    <tr key={`${item.productId}-${i}`}>
                      <td>
                        <bdi>{item.name}</bdi>
                        <div className="muted small">
                          {item.quantity} × {money(item.price)}
                        </div>
                      </td>
                      <td className="num nowrap">{money(item.price * item.quantity)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <dl className="order-sums" data-testid="order-sums">
                <dt>{t("orders.subtotal")}</dt>
                <dd>{money(o.subtotal)}</dd>
                <dt>{t("orders.deliveryFee")}</dt>
                <dd>{o.deliveryFee > 0 ? money(o.deliveryFee) : t("orders.free")}</dd>
                {o.codFee > 0 ? (
                  <>
                    <dt>{t("orders.codFee")}</dt>
                    <dd>{money(o.codFee)}</dd>
                  </>
                ) : null}
                <dt className="order-total">{t("orders.total")}</dt>
                <dd className="order-total" data-testid="order-total">{money(o.total)}</dd>
              </dl>
              {o.paymentMethod ? (
                <p className="small">
                  {t("orders.payment")}: {o.paymentMethod === "cod" ? t("orders.cod") : <bdi>{o.paymentMethod}</bdi>}
                </p>
              ) : null}
            </section>

            <section data-testid="order-customer">
              <h3>{t("orders.customer")}</h3>
              <div className="side-name" dir="auto">{o.customerName ?? t("orders.unknownCustomer")}</div>
              <dl className="side-facts">
                <dt>{t("inbox.phone")}</dt>
                <dd>{o.contact.phone ?? o.customer?.phone ? <bdi dir="ltr">{o.contact.phone ?? o.customer?.phone}</bdi> : <span className="muted">—</span>}</dd>
                <dt>{t("inbox.email")}</dt>
                <dd>{o.contact.email ?? o.customer?.email ? <bdi dir="ltr">{o.contact.email ?? o.customer?.email}</bdi> : <span className="muted">—</span>}</dd>
                {o.shippingAddress ? (
                  <>
                    <dt>{t("orders.address")}</dt>
                    <dd dir="auto">{o.shippingAddress}</dd>
                  </>
                ) : null}
              </dl>
            </section>

            <section>
              <h3>{t("orders.conversation")}</h3>
              {o.conversation ? (
                <RouteLink className="drawer-link" route={{ page: "inbox", conversationId: o.conversation.id }} data-testid="order-conversation-link">
                  <ChannelBadge channel={o.conversation.channel} />
                  <span>{t("orders.openConversation")}</span>
                  <Icon name="back" size={14} className="flip-ltr" />
                </RouteLink>
              ) : (
                <p className="muted">{t("orders.noConversation")}</p>
              )}
            </section>
          </>
        ) : null}
      </div>
    </aside>
  );
}
