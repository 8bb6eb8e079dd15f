// Storage keys shared by the client library and the widget loader (which must not load the client).
export const storageKeys = (widgetKey: string) => ({
  visitorToken: `kaleem:${widgetKey}:vt`,
  readSeq: `kaleem:${widgetKey}:read`,
  /** Widget only: unread count for the launcher badge before the chat bundle loads. */
  unread: `kaleem:${widgetKey}:unread`,
  /** Widget only: last public settings, so the launcher has the store's colour at once. */
  settings: `kaleem:${widgetKey}:settings`,
  /** Widget only (sessionStorage): the panel was open, keep it open across page navigations. */
  open: `kaleem:${widgetKey}:open`,
});
