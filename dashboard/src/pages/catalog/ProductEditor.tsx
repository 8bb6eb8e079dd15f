import { isProductImageUrl, MAX_PRODUCT_IMAGE_BYTES, PRODUCT_IMAGE_TYPES, type Category, type Product } from "@kaleem/shared/contracts";
import { useState, type ChangeEvent, type FormEvent } from "react";
import { uploadProductImage, type ProductInput } from "../../api/endpoints";
import { useI18n } from "../../i18n/i18n";
import { Button, Field, errorMessage } from "../../ui/components";
import { Dialog } from "../../ui/Dialog";

export function ProductEditor({
  product,
  categories,
  onClose,
  onSave,
}: {
  product: Product;
  categories: Category[];
  onClose: () => void;
  onSave: (patch: Partial<ProductInput>) => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState({
    nameEn: product.name.en,
    nameAr: product.name.ar,
    descEn: product.description.en,
    descAr: product.description.ar,
    price: String(product.price),
    stock: String(product.stock),
    status: product.status,
    tags: product.tags.join(", "),
    imageUrl: product.imageUrl ?? "",
    category: categories.find((c) => c.id === product.categoryId)?.slug ?? "",
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const imageUrl = form.imageUrl.trim();
  // The API's rule (shared/src/contracts/images.ts), checked here so Save says what is wrong.
  const imageInvalid = imageUrl !== "" && !isProductImageUrl(imageUrl);

  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    setError(null);
    if (!(file.type in PRODUCT_IMAGE_TYPES)) return setError(t("catalog.imageType"));
    if (file.size > MAX_PRODUCT_IMAGE_BYTES) return setError(t("catalog.imageTooLarge", { kb: Math.floor(MAX_PRODUCT_IMAGE_BYTES / 1024) }));
    setUploading(true);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = "";
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const stored = await uploadProductImage(file.type, btoa(binary));
      set({ imageUrl: stored.imageUrl });
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    } finally {
      setUploading(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (imageInvalid) return setError(t("catalog.imageUrlInvalid"));
    setBusy(true);
    setError(null);
    try {
      await onSave({
        name: { en: form.nameEn, ar: form.nameAr },
        description: { en: form.descEn, ar: form.descAr },
        price: Number(form.price),
        stock: Math.trunc(Number(form.stock)),
        status: form.status,
        tags: form.tags.split(",").map((s) => s.trim()).filter(Boolean),
        imageUrl: imageUrl || null,
        ...(form.category ? { category: form.category } : {}),
      });
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t("catalog.editProduct")} onClose={onClose} wide>
      <form className="form-grid" onSubmit={(e) => void submit(e)}>
        <Field label={t("catalog.nameEn")}>
          <input dir="ltr" value={form.nameEn} onChange={(e) => set({ nameEn: e.target.value })} />
        </Field>
        <Field label={t("catalog.nameAr")}>
          <input dir="rtl" value={form.nameAr} onChange={(e) => set({ nameAr: e.target.value })} />
        </Field>
        <Field label={t("catalog.descEn")}>
          <textarea dir="ltr" rows={3} value={form.descEn} onChange={(e) => set({ descEn: e.target.value })} />
        </Field>
        <Field label={t("catalog.descAr")}>
          <textarea dir="rtl" rows={3} value={form.descAr} onChange={(e) => set({ descAr: e.target.value })} />
        </Field>
        <Field label={`${t("catalog.price")} (${product.currency})`}>
          <input type="number" min={0} step="0.01" required value={form.price} onChange={(e) => set({ price: e.target.value })} />
        </Field>
        <Field label={t("catalog.stock")}>
          <input type="number" step="1" required value={form.stock} onChange={(e) => set({ stock: e.target.value })} />
        </Field>
        <Field label={t("common.status")}>
          <select value={form.status} onChange={(e) => set({ status: e.target.value as Product["status"] })}>
            {(["active", "draft", "archived"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`catalog.status.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("catalog.category")}>
          <select value={form.category} onChange={(e) => set({ category: e.target.value })}>
            <option value="">—</option>
            {categories.map((c) => (
              <option key={c.id} value={c.slug}>
                {(lang === "ar" ? c.name.ar || c.name.en : c.name.en || c.name.ar) || c.slug}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("catalog.tags")}>
          <input value={form.tags} onChange={(e) => set({ tags: e.target.value })} />
        </Field>
        <Field label={t("catalog.imageUrl")}>
          {/* Not type="url": a path on this installation (/images/..., /demo/img/...) is a valid image too. */}
          <input
            dir="ltr"
            inputMode="url"
            data-testid="product-image-url"
            aria-invalid={imageInvalid}
            value={form.imageUrl}
            onChange={(e) => set({ imageUrl: e.target.value })}
          />
          {imageInvalid ? <span className="field-error">{t("catalog.imageUrlInvalid")}</span> : null}
        </Field>
        <Field label={t("catalog.imageUpload")}>
          <div className="image-upload">
            {imageUrl && !imageInvalid ? <img data-testid="product-image-preview" src={imageUrl} alt="" /> : null}
            <input
              type="file"
              data-testid="product-image-file"
              accept={Object.keys(PRODUCT_IMAGE_TYPES).join(",")}
              disabled={uploading}
              onChange={(e) => void upload(e)}
            />
          </div>
        </Field>
        {error ? <div className="error-box error-compact field-wide" role="alert">{error}</div> : null}
        <div className="form-actions field-wide">
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" variant="primary" disabled={busy || uploading}>
            {t("common.save")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
