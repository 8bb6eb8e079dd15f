// The store's contact details as the bot tells them: "what's your phone number?", "عندكم
// واتساب؟", "when do you reply?". Only what the merchant wrote is ever given out.
import type { ContactDetails, KnowledgeItem } from "@kaleem/shared";
import { localized, pick } from "./lang.js";
import type { Lang } from "./state.js";
import { containsAny } from "./words.js";

export function contactOf(items: KnowledgeItem[]): ContactDetails | null {
  for (const item of items) if (item.data.kind === "contact") return item.data.contact;
  return null;
}

const PHONE_WORDS = ["phone number", "your number", "your phone", "call you", "contact number", "hotline", "رقمكم", "رقم التواصل", "رقم الجوال", "رقم الهاتف", "رقم خدمه العملاء", "اتصل فيكم", "اكلمكم", "عندكم رقم", "وش رقمكم", "اعطني رقمكم", "ra8mkom", "rakamkom"];
const WHATSAPP_WORDS = ["whatsapp", "whats app", "واتساب", "واتس", "الواتس", "watsap", "wtsap"];
const EMAIL_WORDS = ["email", "e-mail", "mail", "ايميل", "الايميل", "البريد", "emailkom"];
const ADDRESS_WORDS = ["address", "location", "where are you", "where is your shop", "عنوانكم", "موقعكم", "وين مكانكم", "وين موقعكم", "مكانكم"];
const HOURS_WORDS = ["opening hours", "working hours", "business hours", "when do you reply", "when do you answer", "when will someone reply", "when are you open", "what time do you open", "what time do you close", "اوقات الدوام", "وقت الدوام", "متى تردون", "متى تفتحون", "متى يردون", "متى يرد", "اوقات العمل", "الدوام", "mata trdoon"];
const CONTACT_WORDS = ["contact you", "reach you", "get in touch", "contact details", "how can i contact", "اتواصل معكم", "التواصل معكم", "طرق التواصل", "كيف اتواصل", "atwasal"];

export type ContactAsk = "phone" | "whatsapp" | "email" | "address" | "hours" | "any";

/** What contact detail a message asks for, if it asks for one at all. */
/** "when does your team reply", "what time do you open", "متى تفتحون": a question about hours. */
const WHEN = ["when", "what time", "which hours", "متى", "الساعه كم", "mata", "emta"];
const AVAILABLE = ["reply", "replies", "respond", "answer", "open", "close", "available", "online", "working", "تردون", "يردون", "يرد", "تفتحون", "تسكرون", "تقفلون", "متواجدين", "موجودين", "تداومون", "الدوام", "دوامكم", "trdoon", "tftahoon"];

export function contactAsked(message: string): ContactAsk | null {
  if (containsAny(message, WHATSAPP_WORDS)) return "whatsapp";
  if (containsAny(message, EMAIL_WORDS) && !/@/.test(message)) return "email";
  if (containsAny(message, HOURS_WORDS) || (containsAny(message, WHEN) && containsAny(message, AVAILABLE))) return "hours";
  if (containsAny(message, ADDRESS_WORDS)) return "address";
  if (containsAny(message, PHONE_WORDS)) return "phone";
  if (containsAny(message, CONTACT_WORDS)) return "any";
  return null;
}

/** The answer from the merchant's details, or null when they do not cover what was asked. */
export function contactAnswer(details: ContactDetails, ask: ContactAsk, lang: Lang): string | null {
  const address = localized(details.address, lang);
  const hours = localized(details.hours, lang);
  const lines: string[] = [];
  const phone = () => details.phone && lines.push(pick(lang, `Phone: ${details.phone}`, `الهاتف: ${details.phone}`));
  const whatsapp = () => details.whatsapp && lines.push(pick(lang, `WhatsApp: ${details.whatsapp}`, `واتساب: ${details.whatsapp}`));
  const email = () => details.email && lines.push(pick(lang, `Email: ${details.email}`, `الإيميل: ${details.email}`));
  const where = () => address && lines.push(pick(lang, `Address: ${address}`, `العنوان: ${address}`));
  const when = () => hours && lines.push(pick(lang, `Our team replies: ${hours}`, `فريقنا يرد: ${hours}`));
  if (ask === "hours") when();
  else if (ask === "address") where();
  else if (ask === "email") email();
  else if (ask === "whatsapp") whatsapp();
  else if (ask === "phone") phone();
  // Whatever was asked, the other ways to reach the store come along when the asked one is missing.
  if (lines.length === 0 && ask !== "hours" && ask !== "address") {
    phone();
    whatsapp();
    email();
  }
  if (lines.length === 0) return null;
  if (ask !== "hours") when();
  const intro = pick(lang, "You can reach us here:", "تقدر تتواصل معنا على:");
  return [intro, ...lines].join("\n");
}

/** "A person will reply …" with the hours the merchant gave, for shoppers waiting for the team. */
export function replyWhenLine(details: ContactDetails | null, lang: Lang): string {
  const hours = details ? localized(details.hours, lang) : "";
  return hours
    ? pick(lang, `A team member will reply here as soon as they're back (${hours}).`, `بيرد عليك أحد موظفينا هنا أول ما يرجعون (${hours}).`)
    : pick(lang, "A team member will reply here as soon as they're back.", "بيرد عليك أحد موظفينا هنا أول ما يرجعون.");
}
