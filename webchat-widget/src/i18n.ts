// UI strings (English and Arabic) and number/time formatting for the widget.
import { formatPrice as sharedFormatPrice, WIDGET_BOT_SUBTITLE, type DigitStyle } from "@kaleem/shared/contracts";

export type UiLocale = "en" | "ar";

const en = {
  openChat: "Open chat",
  closeChat: "Close chat",
  unread: (n: string) => `${n} unread`,
  title: "Chat with us",
  subtitleBot: WIDGET_BOT_SUBTITLE.en,
  subtitleWaiting: "Waiting for a person to join…",
  subtitleHuman: (name: string) => `You're chatting with ${name}`,
  subtitleClosed: "This conversation is closed",
  greeting: "Hi! How can we help you today?",
  placeholder: "Type your message…",
  inputLabel: "Message",
  send: "Send",
  talkToPerson: "Talk to a person",
  offline: "You're offline. We'll reconnect automatically.",
  reconnecting: "Reconnecting…",
  connecting: "Connecting…",
  typingAgent: (name: string) => `${name} is typing…`,
  typingSomeone: "Typing…",
  stopped: "Answer stopped",
  sending: "Sending",
  sent: "Sent",
  read: "Read",
  failed: "Not sent. Tap to retry",
  view: "View",
  addToCart: "Add to cart",
  outOfStock: "Out of stock",
  cart: "Your cart",
  total: "Total",
  order: (n: string) => `Order ${n}`,
  products: "Products",
  you: "You",
  bot: "Assistant",
  agent: "Agent",
  newMessage: (who: string, text: string) => `${who}: ${text}`,
  /** A tapped card "Add" button, as the shopper's bubble reads. */
  addedLabel: (name: string) => `Added ${name} to the cart`,
  messages: "Conversation",
  attach: "Attach a photo or file",
  attachment: "Attachment",
  removeFile: "Remove",
  retryUpload: "Retry",
  uploadFailed: "Upload failed",
  closeImage: "Close image",
  dropHere: "Drop files to attach",
  orderStatus: { pending: "pending", confirmed: "confirmed", shipped: "shipped", delivered: "delivered", cancelled: "cancelled" },
};
export type Strings = typeof en;

const ar: Strings = {
  openChat: "افتح المحادثة",
  closeChat: "أغلق المحادثة",
  unread: (n) => `${n} غير مقروءة`,
  title: "تواصل معنا",
  subtitleBot: WIDGET_BOT_SUBTITLE.ar,
  subtitleWaiting: "بانتظار انضمام أحد موظفينا…",
  subtitleHuman: (name) => `تتحدث الآن مع ${name}`,
  subtitleClosed: "تم إغلاق هذه المحادثة",
  greeting: "أهلاً! كيف نقدر نساعدك اليوم؟",
  placeholder: "اكتب رسالتك…",
  inputLabel: "الرسالة",
  send: "إرسال",
  talkToPerson: "أكلم موظف",
  offline: "أنت غير متصل. سنعيد الاتصال تلقائياً.",
  reconnecting: "جارٍ إعادة الاتصال…",
  connecting: "جارٍ الاتصال…",
  typingAgent: (name) => `${name} يكتب…`,
  typingSomeone: "يكتب…",
  stopped: "توقف الرد",
  sending: "جارٍ الإرسال",
  sent: "أُرسلت",
  read: "قُرئت",
  failed: "لم تُرسل. اضغط لإعادة المحاولة",
  view: "عرض",
  addToCart: "أضف للسلة",
  outOfStock: "غير متوفر",
  cart: "سلتك",
  total: "الإجمالي",
  order: (n) => `طلب ${n}`,
  products: "المنتجات",
  you: "أنت",
  bot: "المساعد",
  agent: "الموظف",
  newMessage: (who, text) => `${who}: ${text}`,
  addedLabel: (name) => `أضفت ${name} للسلة`,
  messages: "المحادثة",
  attach: "إرفاق صورة أو ملف",
  attachment: "مرفق",
  removeFile: "إزالة",
  retryUpload: "إعادة المحاولة",
  uploadFailed: "فشل الرفع",
  closeImage: "إغلاق الصورة",
  dropHere: "أفلت الملفات لإرفاقها",
  orderStatus: { pending: "قيد المراجعة", confirmed: "مؤكد", shipped: "تم الشحن", delivered: "تم التوصيل", cancelled: "ملغي" },
};

export const strings = (locale: UiLocale): Strings => (locale === "ar" ? ar : en);

/** BCP 47 tag for Intl, with the merchant's digit style in Arabic (Western unless they chose Arabic-Indic). */
const intlTag = (locale: UiLocale, digits: DigitStyle) => (locale === "ar" ? (digits === "arabic" ? "ar-SA-u-nu-arab" : "ar-SA-u-nu-latn") : "en-US");

export function formatNumber(n: number, locale: UiLocale, digits: DigitStyle = "western"): string {
  return new Intl.NumberFormat(intlTag(locale, digits)).format(n);
}

/** The shared price format ("420 SAR", "420 ر.س" / "٤٢٠ ر.س"): the same as the bot's text beside it. */
export function formatPrice(amount: number, currency: string, locale: UiLocale, digits: DigitStyle = "western"): string {
  return sharedFormatPrice(amount, currency, locale, digits);
}

export function formatTime(iso: string, locale: UiLocale, digits: DigitStyle = "western"): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat(intlTag(locale, digits), { hour: "numeric", minute: "2-digit" }).format(d);
}

/** The locale to show: explicit choice, else the browser's if the store speaks it, else the store's default. */
export function pickLocale(explicit: string | null | undefined, browser: readonly string[], languages?: readonly string[], fallback?: string): UiLocale {
  const norm = (v: string | null | undefined): UiLocale | null => (v ? (v.toLowerCase().startsWith("ar") ? "ar" : v.toLowerCase().startsWith("en") ? "en" : null) : null);
  const ex = norm(explicit);
  if (ex) return ex;
  const allowed = (l: UiLocale) => !languages || languages.length === 0 || languages.includes(l);
  for (const b of browser) {
    const l = norm(b);
    if (l && allowed(l)) return l;
  }
  return norm(fallback) ?? (languages && norm(languages[0])) ?? "en";
}
