import { lazy, Suspense, useEffect, type ReactNode } from "react";
import { useI18n, I18nProvider } from "../i18n/i18n";
import type { StringKey } from "../i18n/strings";
import { InboxPage } from "../pages/inbox/InboxPage";
import { LoginPage } from "../pages/LoginPage";
import { InboxProvider, useInbox } from "../realtime/InboxProvider";
import { Loading } from "../ui/components";
import { Icon, type IconName } from "../ui/icons";
import { AuthProvider, useAuth, useSignedIn } from "./auth";
import { LanguageSwitch } from "./LanguageSwitch";
import { hrefFor, navigate, useRoute, type Route } from "./router";

// Sign-in and the inbox are in the first bundle (where every session starts); every other page is
// its own chunk, fetched when it is first opened.
const AnalyticsPage = lazy(() => import("../pages/AnalyticsPage").then((m) => ({ default: m.AnalyticsPage })));
const AuditPage = lazy(() => import("../pages/AuditPage").then((m) => ({ default: m.AuditPage })));
const BotSettingsPage = lazy(() => import("../pages/BotSettingsPage").then((m) => ({ default: m.BotSettingsPage })));
const CannedRepliesPage = lazy(() => import("../pages/CannedRepliesPage").then((m) => ({ default: m.CannedRepliesPage })));
const CatalogPage = lazy(() => import("../pages/CatalogPage").then((m) => ({ default: m.CatalogPage })));
const ChannelsPage = lazy(() => import("../pages/ChannelsPage").then((m) => ({ default: m.ChannelsPage })));
const WebhooksPage = lazy(() => import("../pages/WebhooksPage").then((m) => ({ default: m.WebhooksPage })));
const KnowledgePage = lazy(() => import("../pages/KnowledgePage").then((m) => ({ default: m.KnowledgePage })));
const ConfirmSignupPage = lazy(() => import("../pages/ConfirmSignupPage").then((m) => ({ default: m.ConfirmSignupPage })));
const OrdersPage = lazy(() => import("../pages/orders/OrdersPage").then((m) => ({ default: m.OrdersPage })));
const TeamPage = lazy(() => import("../pages/TeamPage").then((m) => ({ default: m.TeamPage })));
const WidgetPage = lazy(() => import("../pages/WidgetPage").then((m) => ({ default: m.WidgetPage })));

export function App() {
  return (
    <I18nProvider>
      <AuthProvider>
        <Gate />
      </AuthProvider>
    </I18nProvider>
  );
}

function Gate() {
  const auth = useAuth();
  const route = useRoute();
  const signedIn = auth.status === "signedIn";
  useEffect(() => {
    if (signedIn && (route.page === "login" || route.page === "signup")) navigate({ page: "inbox", conversationId: null }, true);
  }, [signedIn, route.page]);
  if (auth.status === "loading") return <Loading />;
  // The emailed signup link lands here, signed in or not.
  if (route.page === "confirm")
    return (
      <Suspense fallback={<Loading />}>
        <ConfirmSignupPage />
      </Suspense>
    );
  if (!signedIn) return <LoginPage mode={route.page === "signup" ? "signup" : "login"} />;
  return (
    <InboxProvider>
      <Layout route={route} />
    </InboxProvider>
  );
}

type PageKey = Exclude<Route["page"], "login" | "signup" | "confirm">;
interface NavItem {
  page: PageKey;
  label: StringKey;
  icon: IconName;
  /** Only owners and admins. */
  manage?: boolean;
}
const NAV: { section: StringKey; items: NavItem[] }[] = [
  {
    section: "nav.section.work",
    items: [
      { page: "inbox", label: "nav.inbox", icon: "inbox" },
      { page: "orders", label: "nav.orders", icon: "receipt" },
      { page: "replies", label: "nav.replies", icon: "bolt" },
      { page: "catalog", label: "nav.catalog", icon: "bag" },
      { page: "analytics", label: "nav.analytics", icon: "chart", manage: true },
    ],
  },
  {
    section: "nav.section.setup",
    items: [
      { page: "knowledge", label: "nav.knowledge", icon: "book", manage: true },
      { page: "bot", label: "nav.bot", icon: "bot", manage: true },
      { page: "channels", label: "nav.channels", icon: "plug", manage: true },
      { page: "webhooks", label: "nav.webhooks", icon: "send", manage: true },
      { page: "widget", label: "nav.widget", icon: "chat", manage: true },
      { page: "team", label: "nav.team", icon: "users", manage: true },
      { page: "audit", label: "nav.audit", icon: "shield", manage: true },
    ],
  },
];

function Layout({ route }: { route: Route }) {
  const { t } = useI18n();
  const { user, merchant, canManage } = useSignedIn();
  const { signOut } = useAuth();
  const { waitingCount } = useInbox();
  const current = route.page as PageKey;
  const allowed = (page: PageKey) => canManage || !NAV.some((s) => s.items.some((i) => i.page === page && i.manage));

  let page: ReactNode;
  if (!allowed(current)) page = <InboxPage conversationId={null} />;
  else
    switch (route.page) {
      case "inbox":
        page = <InboxPage conversationId={route.conversationId} />;
        break;
      case "orders":
        page = <OrdersPage orderId={route.orderId ?? null} customerId={route.customerId ?? null} />;
        break;
      case "catalog":
        page = <CatalogPage />;
        break;
      case "knowledge":
        page = <KnowledgePage />;
        break;
      case "channels":
        page = <ChannelsPage />;
        break;
      case "webhooks":
        page = <WebhooksPage />;
        break;
      case "widget":
        page = <WidgetPage />;
        break;
      case "team":
        page = <TeamPage />;
        break;
      case "analytics":
        page = <AnalyticsPage />;
        break;
      case "replies":
        page = <CannedRepliesPage />;
        break;
      case "bot":
        page = <BotSettingsPage />;
        break;
      case "audit":
        page = <AuditPage />;
        break;
      default:
        page = <InboxPage conversationId={null} />;
    }

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">K</span>
          <span className="brand-text">{t("appName")}</span>
        </div>
        <div className="store-name" dir="auto" title={merchant.name}>
          {merchant.name}
        </div>
        {NAV.map((section) => {
          const items = section.items.filter((i) => canManage || !i.manage);
          if (items.length === 0) return null;
          return (
            <div key={section.section} className="nav-section">
              <div className="nav-section-title">{t(section.section)}</div>
              {items.map((item) => (
                <a
                  key={item.page}
                  href={hrefFor(item.page === "inbox" ? { page: "inbox", conversationId: null } : { page: item.page })}
                  className={`nav-link ${current === item.page ? "active" : ""}`}
                  data-testid={`nav-${item.page}`}
                  aria-current={current === item.page ? "page" : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(item.page === "inbox" ? { page: "inbox", conversationId: null } : { page: item.page });
                  }}
                >
                  <span className="nav-icon"><Icon name={item.icon} /></span>
                  <span className="nav-label">{t(item.label)}</span>
                  {item.page === "inbox" && waitingCount > 0 ? (
                    <span className="badge" data-testid="waiting-badge">{waitingCount}</span>
                  ) : null}
                </a>
              ))}
            </div>
          );
        })}
        <div className="sidebar-foot">
          <div className="me">
            <div className="me-name" dir="auto">{user.name}</div>
            <div className="me-role">{t(`role.${user.role}`)}</div>
          </div>
          <div className="sidebar-actions">
            <LanguageSwitch />
            <button type="button" className="link-button" onClick={() => void signOut()} data-testid="sign-out">
              {t("auth.signOut")}
            </button>
          </div>
        </div>
      </nav>
      <main className={`content content-${current}`}>
        <Suspense fallback={<Loading />}>{page}</Suspense>
      </main>
    </div>
  );
}
