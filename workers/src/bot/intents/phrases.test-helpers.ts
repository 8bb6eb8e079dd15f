// Held-out phrases for the intent tests: written separately from ./training, never trained on.
import type { Intent } from "./types.js";

export interface HeldOutPhrase {
  text: string;
  intent: Intent;
  lang: "en" | "ar" | "arabizi";
}

const en = (intent: Intent, texts: string[]): HeldOutPhrase[] => texts.map((text) => ({ text, intent, lang: "en" }));
const ar = (intent: Intent, texts: string[]): HeldOutPhrase[] => texts.map((text) => ({ text, intent, lang: "ar" }));
const az = (intent: Intent, texts: string[]): HeldOutPhrase[] => texts.map((text) => ({ text, intent, lang: "arabizi" }));

export const HELD_OUT: HeldOutPhrase[] = [
  ...en("product_search", ["got any oud under 300 riyals?", "looking for a white thobe size 56", "show me some toys for a 3 year old", "I want a gift for my husband, maybe a watch", "do you guys sell air fryers", "any cheap earbuds"]),
  ...ar("product_search", ["عندكم ساعات رجالية؟", "ابغى عطر نسائي بأقل من ٣٠٠", "أبحث عن حقيبة جلد سوداء", "وريني العبايات الجديدة"]),
  ...az("product_search", ["3ndkom 3etr rjali?", "abi sa3a aqal min 500"]),

  ...en("product_question", ["how much does the blue one cost", "is the watch water resistant", "does this dress come in small", "what's this bag made of", "is it in stock right now", "how long does the perfume last on skin"]),
  ...ar("product_question", ["بكم العباية السوداء", "هل الساعة مقاومة للماء", "المقاس الصغير متوفر؟", "الجوال هذا عليه ضمان؟"]),
  ...az("product_question", ["bkam hathi el shanta", "fee ma8as small?"]),

  ...en("shipping", ["do you deliver to Kuwait City", "what does shipping cost to Abha", "how many days until it arrives in Jeddah", "i need to change the address for delivery", "is next day delivery an option", "can I add a second address for shipments"]),
  ...ar("shipping", ["كم تكلفة الشحن للدمام", "توصلون لمكة؟", "كم يوم التوصيل للرياض", "ابي اغير عنوان التوصيل"]),
  ...az("shipping", ["kam el sha7n l jeddah", "twasloon l dammam?"]),

  ...en("returns_refunds", ["can I send back shoes that don't fit", "how do I get reimbursed for a broken blender", "it's been two weeks and my refund is missing", "what's the policy on returns", "is there a charge if I cancel", "I'd like my money returned please"]),
  ...ar("returns_refunds", ["ابغى ارجع الجزمة", "ما رجعت لي الفلوس للحين", "وش سياسة الإرجاع عندكم", "المنتج وصلني مكسور وابي استرداد"]),
  ...az("returns_refunds", ["abi arja3 el joota", "floosi ma rj3at"]),

  ...en("payment", ["can I use my visa card", "my transaction keeps getting rejected", "do you offer pay later options", "is paying on delivery possible", "what ways can I pay", "the money left my account twice"]),
  ...ar("payment", ["هل يوجد دفع عند الاستلام", "البطاقة ما تنقبل", "تقبلون فيزا؟", "ابي اقسط المبلغ"]),
  ...az("payment", ["agdar adfa3 b visa?", "el daf3 ma 9ar"]),

  ...en("order_status", ["where's order 55120 right now", "has my parcel left the warehouse", "track 884213 please", "my order still hasn't come", "any news on order #77812", "what's the status of my purchase from monday"]),
  ...ar("order_status", ["وين وصل طلبي ٤٥٦٧٨", "طلبي ما وصلني للحين", "ابي اتتبع الشحنة", "وش حالة طلبي"]),
  ...az("order_status", ["wain talabi 45678", "talabi ma wsal lil7in"]),

  ...en("order_change", ["please cancel order 99812", "i need to swap the size on my order before it ships", "remove one item from my order", "I want to call off my purchase", "can you change the color in order 55421", "cancel what I ordered yesterday"]),
  ...ar("order_change", ["ابي الغي طلبي رقم ٧٧٨٨", "ممكن اعدل الطلب قبل الشحن", "الغوا طلبي الله يعافيكم", "ابي اغير المقاس في طلبي"]),
  ...az("order_change", ["abi algi 6alabi", "kansel el talab law sama7t"]),

  ...en("purchase", ["put two of them in my cart", "ok I'll buy it", "let's checkout", "I'd like to place an order for this", "add the red one to the basket", "how do I go about ordering this"]),
  ...ar("purchase", ["ضيف اثنين للسلة", "ابي اشتريه", "كمل الطلب لو سمحت", "ابي اطلب هذا"]),
  ...az("purchase", ["deef 2 lil salla", "abi ashtreeh"]),

  ...en("human", ["get me a real human", "I want to speak to someone from support", "I'd like to make a complaint", "connect me with an agent please", "can I talk to a person", "how do I reach customer service"]),
  ...ar("human", ["ابغى اكلم موظف خدمة عملاء", "ابي اقدم شكوى", "حولني لموظف", "ابي اتكلم مع شخص"]),
  ...az("human", ["abgha akallem a7ad min el 5idma", "3ndi shakwa 3la el 5idma"]),

  ...en("account", ["I can't remember my password", "how do I make an account", "please delete my profile", "I want to update my email address on my account", "sign-up keeps failing", "switch me to the premium account"]),
  ...ar("account", ["نسيت الرقم السري", "ودي اسجل حساب جديد عندكم", "احذفوا حسابي", "ما اقدر اسجل دخول"]),
  ...az("account", ["ma atthakar el password", "abi asawi 7sab"]),

  ...en("invoice", ["send me the invoice for order 4412", "where do I download my bill", "can I get a tax invoice with my company name", "can I see invoice #3319"]),
  ...ar("invoice", ["ابي فاتورة طلبي", "وين القى الفاتورة", "ارسلوا الفاتورة على الايميل"]),
  ...az("invoice", ["wain ala8i el fatora"]),

  ...en("newsletter", ["sign me up for your newsletter", "stop sending me promo emails", "how do I unsubscribe from the newsletter"]),
  ...ar("newsletter", ["ابي اشترك في النشرة", "وقفوا الايميلات التسويقية"]),
  ...az("newsletter", ["sajjelni fel nashra el bareediya"]),

  ...en("feedback", ["I want to leave a review for the perfume", "great store, loved the packaging", "how do I give stars to the product I got", "I have some feedback about your website"]),
  ...ar("feedback", ["ابي اكتب تقييم للمنتج", "المنتج ممتاز والتغليف حلو", "عندي ملاحظة على الموقع"]),
  ...az("feedback", ["el montaj momtaz"]),

  ...en("greeting", ["hiii there", "good morning team", "thanks so much for the help!", "hey guys", "thank you very much", "hello again"]),
  ...ar("greeting", ["السلام عليكم ورحمة الله وبركاته", "مرحبا بكم", "شكرا على المساعدة", "هلا بك"]),
  ...az("greeting", ["hala wallah ya shabab", "salam 3alaikum"]),

  ...en("other", ["what's the weather in riyadh", "make me laugh", "who are you"]),
  ...ar("other", ["كم الساعة الحين", "انت مين"]),

  // Gulf-dialect and MSA requests written after the training phrases were rewritten, by a
  // different hand: how shoppers in a Saudi store actually open a chat.
  ...ar("product_search", ["ودي اشوف فساتين سهرة", "عندكم شي حلو للمجلس؟", "ابغى شنطة بني جلد", "محتاجة عبايات للدوام", "وش تنصحوني اهدي زوجتي", "فيه عطور للعود؟", "دوري لي على ساعة للولد"]),
  ...ar("product_question", ["كم سعر الكحلية؟", "العطر هذا يثبت؟", "متوفر مقاس ٥٨؟", "وش نوع القماش؟", "بكم الشنطة البنية"]),
  ...ar("shipping", ["كم يوم ياخذ الشحن لحائل", "توصلون القرى؟", "رسوم التوصيل للخبر كم", "يوصل بكره لو طلبت الحين؟", "عندكم توصيل لجازان"]),
  ...ar("returns_refunds", ["المقاس طلع صغير ابي ارجعه", "متى ترجع فلوسي؟", "اقدر ابدل العطر؟", "كم مدة الاسترجاع عندكم", "وصلتني قطعة مشقوقة"]),
  ...ar("payment", ["ينفع ادفع بالبطاقة عند الاستلام؟", "فيه تقسيط تمارا؟", "تاخذون STC pay", "انسحب المبلغ مرتين من البطاقة", "الدفع عند الاستلام عليه رسوم؟"]),
  ...ar("order_status", ["طلبي ٤٥١٢ وينه", "ابي اعرف طلبي وش صار عليه", "متى توصل شحنتي", "مر اسبوع وطلبي ما وصل", "وش رقم تتبع الشحنة حقتي"]),
  ...ar("order_change", ["ابي اغير اللون في طلبي", "ممكن تلغون الطلب قبل يطلع", "ابغى ازيد قطعة على طلبي", "غلطت في المقاس ابي اعدله"]),
  ...ar("purchase", ["خلاص ابي الاولى", "حطها في السلة", "ابي اكمل الشراء", "اطلب لي وحدة"]),
  ...ar("human", ["ابي احد من الموظفين يكلمني", "ما ابي بوت ابي شخص", "وش رقم خدمة العملاء", "عندي مشكلة ابي موظف"]),
  ...ar("account", ["كيف اغير كلمة السر", "الكود ما وصلني", "ابي اسوي حساب"]),
  ...ar("invoice", ["ابي فاتورة ضريبية", "الفاتورة ما وصلت"]),
  ...ar("greeting", ["اهلين فيكم", "صباحكم خير", "يعطيكم العافية"]),
];
