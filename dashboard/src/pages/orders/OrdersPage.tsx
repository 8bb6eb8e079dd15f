// Orders placed through the bot (and the API): a cursor-paged list with filters and search, and a
// drawer with one order's items, fees, customer, the conversation it came from and its status moves.
import type { OrderListItem } from "@kaleem/shared/contracts";
import { useEffect, useState } from "react";
import { getCustomer, listOrders, type OrderQuery } from "../../api/endpoints";
import { navigate } from "../../app/router";
import { useI18n } from "../../i18n/i18n";
import { ChannelBadge } from "../../ui/ChannelBadge";
import { Button, ErrorState, Loading, PageHeader, StatusPill } from "../../ui/components";
import { useAsync } from "../../ui/useAsync";
import { useCursorPages } from "../../ui/useCursorPages";
import { OrderDrawer } from "./OrderDrawer";
import { CONVERSATION_CHANNELS, ORDER_STATUSES, orderStatusTone } from "./order-view";

type Filters = Required<Pick<OrderQuery, "q" | "status" | "channel" | "from" | "to">>;
const NO_FILTERS: Filters = { q: "", status: "", channel: "", from: "", to: "" };
const SEARCH_DEBOUNCE_MS = 300;

export function OrdersPage({ orderId, customerId }: { orderId: string | null; customerId: string | null }) {
  const { t, formatMoney, formatDateTime } = useI18n();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [debounced, setDebounced] = useState(filters);
  const customer = useAsync(() => (customerId ? getCustomer(customerId) : Promise.resolve(null)), [customerId]);

  // Typing in the search waits for a pause; the selects and dates apply at once.
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(filters), filters.q === debounced.q ? 0 : SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [filters]);

  const { items, setItems, loading, error, cursor, reload, loadMore } = useCursorPages<OrderListItem>(
    (cursor, signal) => listOrders({ ...debounced, q: debounced.q.trim(), ...(customerId ? { customerId } : {}), cursor, limit: 25 }, signal),
    [debounced, customerId],
  );

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const filtered = Object.entries(filters).some(([, v]) => v !== "") || customerId !== null;
  const open = (id: string | null) => navigate({ page: "orders", orderId: id, customerId });

  return (
    <div className={`page orders-page${orderId ? " has-drawer" : ""}`}>
      <PageHeader title={t("orders.title")}>
        <p className="muted">{t("orders.help")}</p>
      </PageHeader>
      {customerId ? (
        <div className="filter-chip-row">
          <span className="chip" data-testid="customer-filter">
            {t("orders.ofCustomer", { name: customer.data?.name ?? customer.data?.phone ?? customer.data?.email ?? "…" })}
            <button type="button" aria-label={t("orders.clearCustomer")} onClick={() => navigate({ page: "orders", orderId: null, customerId: null })}>
              ×
            </button>
          </span>
        </div>
      ) : null}
      <div className="filters" data-testid="order-filters">
        <input
          type="search"
          className="search"
          placeholder={t("orders.search")}
          value={filters.q}
          onChange={(e) => set({ q: e.target.value })}
          aria-label={t("orders.search")}
          data-testid="order-search"
        />
        <select value={filters.status} onChange={(e) => set({ status: e.target.value as Filters["status"] })} aria-label={t("common.status")} data-testid="order-status-filter">
          <option value="">{t("orders.allStatuses")}</option>
          {ORDER_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`order.status.${s}`)}
            </option>
          ))}
        </select>
        <select value={filters.channel} onChange={(e) => set({ channel: e.target.value as Filters["channel"] })} aria-label={t("inbox.channel")} data-testid="order-channel-filter">
          <option value="">{t("orders.allChannels")}</option>
          {CONVERSATION_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`channel.${c}`)}
            </option>
          ))}
        </select>
        <label className="inline-field">
          {t("common.from")}
          <input type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => set({ from: e.target.value })} data-testid="order-from" />
        </label>
        <label className="inline-field">
          {t("common.to")}
          <input type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => set({ to: e.target.value })} data-testid="order-to" />
        </label>
        {filtered ? (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setFilters(NO_FILTERS);
              if (customerId) navigate({ page: "orders" });
            }}
          >
            {t("orders.clearFilters")}
          </Button>
        ) : null}
      </div>
      {error ? <ErrorState error={error} onRetry={reload} /> : null}
      <div className="table-wrap">
        <table className="table orders-table" data-testid="order-table" data-state={loading ? "loading" : "done"}>
          <thead>
            <tr>
              <th>{t("orders.order")}</th>
              <th>{t("common.status")}</th>
              <th>{t("inbox.channel")}</th>
              <th>{t("orders.customer")}</th>
              <th className="num">{t("orders.total")}</th>
              <th className="col-created">{t("orders.created")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((o) => (
              <tr
                key={o.id}
                className={`order-row${o.id === orderId ? " active" : ""}`}
                data-testid="order-row"
                data-order-id={o.id}
                data-status={o.status}
                tabIndex={0}
                onClick={() => open(o.id)}
                onKeyDown={(e) => {
                  if (e.key === "Enter" || e.key === " ") {
                    e.preventDefault();
                    open(o.id);
                  }
                }}
              >
                <td className="nowrap">
                  <strong dir="ltr">#{o.number}</strong>
                  {/* With the drawer open the time moves here, so the table fits beside it. */}
                  <div className="muted small order-created">{formatDateTime(o.createdAt)}</div>
                </td>
                <td>
                  <StatusPill tone={orderStatusTone(o.status)}>
                    <span data-testid="order-status">{t(`order.status.${o.status}`)}</span>
                  </StatusPill>
                </td>
                <td>{o.channel ? <ChannelBadge channel={o.channel} /> : <span className="muted">{t("orders.noChannel")}</span>}</td>
                <td className="order-customer">
                  <bdi dir="auto">{o.customerName ?? t("orders.unknownCustomer")}</bdi>
                  {o.contact.phone ? (
                    <div className="muted small">
                      <bdi dir="ltr">{o.contact.phone}</bdi>
                    </div>
                  ) : null}
                </td>
                <td className="num nowrap">{formatMoney(o.total, o.currency)}</td>
                <td className="nowrap muted col-created">{formatDateTime(o.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {loading && items.length === 0 ? <Loading /> : null}
        {!loading && items.length === 0 && !error ? (
          <p className="empty muted" data-testid="orders-empty">
            {filtered ? t("orders.noneMatch") : t("orders.none")}
          </p>
        ) : null}
      </div>
      {cursor ? (
        <div className="list-more">
          <Button size="sm" disabled={loading} onClick={loadMore} data-testid="orders-more">
            {t("common.loadMore")}
          </Button>
        </div>
      ) : null}
      {orderId ? (
        <OrderDrawer
          key={orderId}
          orderId={orderId}
          onClose={() => open(null)}
          onChanged={(order) => setItems((list) => list.map((o) => (o.id === order.id ? { ...o, ...order } : o)))}
        />
      ) : null}
    </div>
  );
}
