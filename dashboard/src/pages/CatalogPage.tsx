import type { Category, Product } from "@kaleem/shared/contracts";
import { useEffect, useState } from "react";
import { listCategories, listProducts, updateProduct, type ProductQuery } from "../api/endpoints";
import { useSignedIn } from "../app/auth";
import { useI18n } from "../i18n/i18n";
import { Button, ErrorState, Loading, PageHeader, StatusPill } from "../ui/components";
import { useAsync } from "../ui/useAsync";
import { useCursorPages } from "../ui/useCursorPages";
import { ImportDialog } from "./catalog/ImportDialog";
import { ProductEditor } from "./catalog/ProductEditor";

type Filters = Omit<ProductQuery, "cursor" | "limit">;

export function CatalogPage() {
  const { t, lang, formatMoney } = useI18n();
  const { canManage } = useSignedIn();
  const [filters, setFilters] = useState<Filters>({ q: "", status: "", category: "", minPrice: "", maxPrice: "" });
  const [debounced, setDebounced] = useState(filters);
  const [editing, setEditing] = useState<Product | null>(null);
  const [importing, setImporting] = useState(false);
  const categories = useAsync<Category[]>(async () => (await listCategories()).items, []);

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(filters), 250);
    return () => clearTimeout(timer);
  }, [filters]);

  const { items, setItems, loading, error, cursor, reload, loadMore } = useCursorPages<Product>(
    (cursor, signal) => listProducts({ ...debounced, cursor }, signal),
    [debounced],
  );

  const categoryName = (id: string | null) => {
    const c = categories.data?.find((x) => x.id === id);
    return c ? (lang === "ar" ? c.name.ar || c.name.en : c.name.en || c.name.ar) || c.slug : "—";
  };
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <div className="page">
      <PageHeader
        title={t("catalog.title")}
        actions={
          canManage ? (
            <Button variant="primary" onClick={() => setImporting(true)} data-testid="import-open">
              {t("catalog.import")}
            </Button>
          ) : null
        }
      />
      <div className="filters">
        <input type="search" className="search" placeholder={t("catalog.search")} value={filters.q} onChange={(e) => set({ q: e.target.value })} aria-label={t("catalog.search")} />
        <select value={filters.status} onChange={(e) => set({ status: e.target.value as Filters["status"] })} aria-label={t("common.status")}>
          <option value="">{t("catalog.allStatuses")}</option>
          {(["active", "draft", "archived"] as const).map((s) => (
            <option key={s} value={s}>
              {t(`catalog.status.${s}`)}
            </option>
          ))}
        </select>
        <select value={filters.category} onChange={(e) => set({ category: e.target.value })} aria-label={t("catalog.category")}>
          <option value="">{t("catalog.allCategories")}</option>
          {categories.data?.map((c) => (
            <option key={c.id} value={c.slug}>
              {(lang === "ar" ? c.name.ar || c.name.en : c.name.en || c.name.ar) || c.slug}
            </option>
          ))}
        </select>
        <input type="number" min={0} className="num" placeholder={t("catalog.minPrice")} value={filters.minPrice} onChange={(e) => set({ minPrice: e.target.value })} aria-label={t("catalog.minPrice")} />
        <input type="number" min={0} className="num" placeholder={t("catalog.maxPrice")} value={filters.maxPrice} onChange={(e) => set({ maxPrice: e.target.value })} aria-label={t("catalog.maxPrice")} />
      </div>
      {error ? <ErrorState error={error} onRetry={reload} /> : null}
      <div className="table-wrap">
        <table className="table" data-testid="product-table">
          <thead>
            <tr>
              <th>{t("catalog.product")}</th>
              <th>{t("catalog.category")}</th>
              <th className="num">{t("catalog.price")}</th>
              <th className="num">{t("catalog.stock")}</th>
              <th>{t("common.status")}</th>
              {canManage ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id} data-testid="product-row">
                <td>
                  <div className="product-cell">
                    <div>
                      <div className="product-name">
                        <bdi>{lang === "ar" ? p.name.ar || p.name.en : p.name.en || p.name.ar}</bdi>
                      </div>
                      <div className="muted small">
                        <bdi>{lang === "ar" ? p.name.en : p.name.ar}</bdi>
                      </div>
                    </div>
                  </div>
                </td>
                <td>{categoryName(p.categoryId)}</td>
                <td className="num">{formatMoney(p.price, p.currency)}</td>
                <td className="num">{p.stock}</td>
                <td>
                  <StatusPill tone={p.status === "active" ? "green" : p.status === "draft" ? "amber" : "grey"}>{t(`catalog.status.${p.status}`)}</StatusPill>
                </td>
                {canManage ? (
                  <td className="actions-cell">
                    <Button size="sm" variant="ghost" onClick={() => setEditing(p)}>
                      {t("common.edit")}
                    </Button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        {!loading && items.length === 0 && !error ? <p className="muted empty">{t("catalog.empty")}</p> : null}
      </div>
      <div className="list-more">
        <span className="muted small">{t("catalog.count", { n: items.length })}</span>
        {loading ? <Loading /> : null}
        {cursor && !loading ? (
          <Button onClick={loadMore} data-testid="load-more">
            {t("common.loadMore")}
          </Button>
        ) : null}
      </div>
      {editing ? (
        <ProductEditor
          product={editing}
          categories={categories.data ?? []}
          onClose={() => setEditing(null)}
          onSave={async (patch) => {
            const saved = await updateProduct(editing.id, patch);
            setItems((list) => list.map((p) => (p.id === saved.id ? saved : p)));
            setEditing(null);
          }}
        />
      ) : null}
      {importing ? (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImported={() => {
            reload();
            categories.reload();
          }}
        />
      ) : null}
    </div>
  );
}
