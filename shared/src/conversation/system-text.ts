// Timeline text of state changes, in the conversation's language.
import type { Locale } from "../contracts/domain.js";

export type SystemEvent =
  | { kind: "takeover"; agentName: string }
  | { kind: "released" }
  | { kind: "waiting_human"; teamOffline?: boolean }
  | { kind: "assigned"; agentName: string | null }
  | { kind: "closed" }
  | { kind: "reopened" };

export function systemText(event: SystemEvent, locale: Locale | null): string {
  const ar = locale === "ar";
  switch (event.kind) {
    case "takeover":
      return ar ? `انضم ${event.agentName} إلى المحادثة` : `${event.agentName} joined the conversation`;
    case "released":
      return ar ? "عادت المحادثة إلى المساعد الآلي" : "The assistant is back in the conversation";
    case "waiting_human":
      if (event.teamOffline) {
        return ar
          ? "حوّلنا طلبك لفريقنا. ما فيه أحد متصل الحين، وبنرد عليك هنا أول ما نرجع"
          : "We've passed your request to our team. Nobody is online right now — we'll reply here as soon as we're back";
      }
      return ar ? "جارٍ تحويلك إلى أحد موظفينا، لحظات من فضلك" : "Connecting you with a team member, one moment please";
    case "assigned":
      return event.agentName
        ? ar
          ? `تم إسناد المحادثة إلى ${event.agentName}`
          : `Conversation assigned to ${event.agentName}`
        : ar
          ? "أُلغي إسناد المحادثة"
          : "Conversation unassigned";
    case "closed":
      return ar ? "أُغلقت المحادثة" : "Conversation closed";
    case "reopened":
      return ar ? "أُعيد فتح المحادثة" : "Conversation reopened";
  }
}
