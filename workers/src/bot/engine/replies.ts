// Stock answers the engine gives in several places: the menu, handoff and "I don't know".
import { answer, type Answer, type HandoffReason } from "./answer.js";
import { pick } from "./lang.js";
import type { Lang } from "./state.js";

export const MENU = (lang: Lang, withHuman: boolean) => ({
  type: "quick_replies" as const,
  replies: [
    { label: pick(lang, "Browse products", "أتصفح المنتجات"), payload: "intent:product_search" },
    { label: pick(lang, "Delivery", "التوصيل"), payload: "intent:shipping" },
    { label: pick(lang, "Returns", "الإرجاع"), payload: "intent:returns_refunds" },
    { label: pick(lang, "Track my order", "تتبع طلبي"), payload: "intent:order_status" },
    ...(withHuman ? [{ label: pick(lang, "Talk to a person", "أكلم موظف"), payload: "human" }] : []),
  ],
});

export const HUMAN_REPLY = (lang: Lang) => ({
  type: "quick_replies" as const,
  replies: [{ label: pick(lang, "Talk to a person", "أكلم موظف"), payload: "human" }],
});

export function handoff(lang: Lang, reason: HandoffReason, text?: string): Answer {
  return answer(
    text ??
      pick(lang, "Sure — I'm connecting you with a team member now. They'll reply here shortly.", "أبشر، بحولك الحين على أحد موظفينا وبيرد عليك هنا بأقرب وقت."),
    [{ type: "handoff", reason }],
    { handoff: reason },
  );
}

export function dontKnow(lang: Lang): Answer {
  return answer(
    pick(
      lang,
      "I'm sorry, I don't have information about that. Would you like me to connect you with a team member?",
      "المعذرة، ما عندي معلومات عن هذا الموضوع. تحب أحولك على أحد موظفينا؟",
    ),
    [HUMAN_REPLY(lang)],
    { fallback: true },
  );
}
