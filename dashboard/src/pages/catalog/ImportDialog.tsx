import type { ImportReport } from "@kaleem/shared/contracts";
import { useState } from "react";
import { importProducts } from "../../api/endpoints";
import { useI18n } from "../../i18n/i18n";
import { Button, ErrorState, Notice } from "../../ui/components";
import { Dialog } from "../../ui/Dialog";
import { ImportFileError, productsFromFile } from "./import-file";

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<unknown[] | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);

  const pick = async (file: File | undefined) => {
    setRows(null);
    setResult(null);
    setFileError(null);
    if (!file) return;
    try {
      setRows(productsFromFile(file.name, await file.text()));
    } catch (err) {
      setFileError(t("catalog.parseError", { message: err instanceof ImportFileError ? err.message : String(err) }));
    }
  };

  const run = async () => {
    if (!rows) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await importProducts(rows));
      onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t("catalog.import")} onClose={onClose} wide>
      <p className="muted">{t("catalog.importHelp")}</p>
      <input type="file" accept=".json,.csv,application/json,text/csv" data-testid="import-file" onChange={(e) => void pick(e.target.files?.[0])} />
      {fileError ? <div className="error-box error-compact" role="alert">{fileError}</div> : null}
      {error ? <ErrorState compact error={error} /> : null}
      {rows ? (
        <div className="form-actions">
          <Button variant="primary" disabled={busy || rows.length === 0} onClick={() => void run()} data-testid="import-run">
            {t("catalog.importRun", { n: rows.length })}
          </Button>
        </div>
      ) : null}
      {result ? (
        <div data-testid="import-result">
          <Notice tone="success">
            {t("catalog.importResult")}: {t("catalog.importCounts", { created: result.created, updated: result.updated, failed: result.failed })}
          </Notice>
          {result.errors.length > 0 ? (
            <>
              <h3>{t("catalog.importErrors")}</h3>
              <table className="table" data-testid="import-errors">
                <tbody>
                  {result.errors.map((e, i) => (
                    <tr key={i}>
                      <td>{t("catalog.row", { n: e.index + 1 })}</td>
                      <td dir="ltr">{e.externalId ?? ""}</td>
                      <td dir="ltr">{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}
