// Blocking a widget visitor from the side panel: their chat disconnects at once and they cannot
// connect again with that identity. Any team member may block; owners and admins may lift it.
import type { Visitor } from "@kaleem/shared/contracts";
import { useState } from "react";
import { ApiError } from "../../api/client";
import { blockVisitor, getVisitor, unblockVisitor } from "../../api/endpoints";
import { useSignedIn } from "../../app/auth";
import { useI18n } from "../../i18n/i18n";
import { Button, errorMessage } from "../../ui/components";
import { useAsync } from "../../ui/useAsync";

export function VisitorBlock({ visitorId }: { visitorId: string }) {
  const { t, formatDateTime } = useI18n();
  const { canManage } = useSignedIn();
  const visitor = useAsync<Visitor | null>(() => getVisitor(visitorId), [visitorId]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // An older server without the endpoint: nothing to offer.
  if (visitor.error instanceof ApiError && visitor.error.missingEndpoint) return null;

  const act = async (change: () => Promise<Visitor>) => {
    setBusy(true);
    setError(null);
    try {
      visitor.setData(await change());
    } catch (err) {
      setError(errorMessage(err, t("common.error")));
    } finally {
      setBusy(false);
    }
  };
  const block = () => {
    if (window.confirm(t("inbox.blockConfirm"))) void act(() => blockVisitor(visitorId));
  };

  const blockedAt = visitor.data?.blockedAt ?? null;
  return (
    <div className="visitor-block" data-testid="visitor-block">
      {blockedAt ? (
        <>
          <p className="visitor-blocked" role="status" data-testid="visitor-blocked">
            {t("inbox.blockedSince", { when: formatDateTime(blockedAt) })}
          </p>
          {canManage ? (
            <Button size="sm" variant="ghost" disabled={busy} onClick={() => void act(() => unblockVisitor(visitorId))} data-testid="unblock-visitor">
              {t("inbox.unblockVisitor")}
            </Button>
          ) : null}
        </>
      ) : (
        <Button size="sm" variant="danger" disabled={busy || visitor.loading} onClick={block} data-testid="block-visitor">
          {t("inbox.blockVisitor")}
        </Button>
      )}
      {error ? <div className="error-box error-compact" role="alert">{error}</div> : null}
    </div>
  );
}
