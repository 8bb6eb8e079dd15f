// Needs: what a shopper says when they describe a situation instead of a product ("something to
// keep me warm", "for the desert trip", "guests are coming", "a gift for my mother"). Each need
// lists the ways people say it (English, MSA, Gulf dialect, Arabizi) and the product concepts
// (ids in ./lexicon.ts CONCEPTS) that serve it, with how directly they serve it (0..1).
//
// This is a general retail resource written by situation, the way a shop assistant thinks: it
// names kinds of products, never a store's own items, so it works on any catalog. A product whose
// own text says the need ("for desert trips") also matches the need directly.

export interface Need {
  /** Phrases that express the need; analysed like any other text (plural, article, hamza). */
  says: readonly string[];
  /** Concept id → how well a product of that concept serves the need. */
  serves: Readonly<Record<string, number>>;
}

export const NEEDS: Readonly<Record<string, Need>> = {
  // Keeping a person warm (not a drink: see hotdrinks).
  warmth: {
    says: [
      "keep me warm", "keeps me warm", "keep warm", "keeping warm", "stay warm", "staying warm", "keep us warm", "keep the kids warm",
      "keep my family warm", "something warm", "warm clothes", "for the cold", "cold weather", "cold nights", "cold days", "freezing",
      "يدفيني", "يدفي", "تدفي", "يدفينا", "تدفيني", "دفا", "الدفا", "دفء", "الدفء", "للبرد", "البرد", "برد الشتاء", "ليالي الشتاء",
      "ملابس شتوية", "شي دافي", "شي دافئ", "yedfeeni", "dafa", "lil bard",
    ],
    serves: { winter: 1, coat: 1, blanket: 1, heater: 1, gloves: 0.9, socks: 0.7, wool: 0.8, thermos: 0.4 },
  },
  // Drinks or food kept hot or cold on the way.
  hotdrinks: {
    says: [
      "keep tea hot", "keeps tea hot", "keep coffee hot", "keeps coffee hot", "keep drinks hot", "keeps drinks hot", "keep tea warm",
      "keep coffee warm", "keep it hot", "keeps it hot", "keep drinks cold", "keeps drinks cold", "keep water cold", "hot for hours",
      "cold for hours", "يحفظ الحرارة", "يحافظ على الحرارة", "يحفظ الشاي حار", "يحفظ القهوة حارة", "يخلي الشاي حار", "يخلي القهوة حارة",
      "يبرد الماء", "يحفظ البرودة",
    ],
    serves: { thermos: 1, insulated: 1, cooler: 0.8, bottle: 0.6, cups: 0.3 },
  },
  // A trip to the desert or the wild: the Gulf "kashta".
  camping: {
    says: [
      "desert trip", "trip to the desert", "desert", "camping trip", "camping", "going camping", "camp out", "picnic", "outing",
      "road trip", "weekend away", "كشتة", "كشته", "كشتات", "طلعة بر", "طلعه بر", "رحلة بر", "رحله بر", "رحلة برية", "البر", "للبر",
      "مخيم", "تخييم", "نزهة", "رحلة", "رحلات", "الربيع", "kashta", "kashtah", "ba7r", "bar trip",
    ],
    serves: { camping: 1, tent: 1, chair: 0.9, grill: 0.9, lantern: 0.9, stove: 0.9, sleepingbag: 0.9, cooler: 0.8, thermos: 0.8, charcoal: 0.8, mat: 0.6, portable: 0.5, coat: 0.4, dallah: 0.4 },
  },
  // Guests and family gatherings: serving coffee, dates, food and incense.
  hosting: {
    says: [
      "family gathering", "gathering", "get together", "guests", "guest", "hosting", "host", "visitors", "having people over", "majlis",
      "dinner party", "عزيمة", "عزيمه", "عزومة", "عزومه", "عزايم", "جمعة", "جمعه", "جمعة العائلة", "جمعة الأهل", "لمة", "لمه", "ضيوف",
      "الضيوف", "ضيوفي", "ضيف", "مجلس", "المجلس", "استقبال", "قهوة الضيوف", "azeema", "3azeema", "dhyoof", "6uyoof",
    ],
    serves: { dallah: 1, cups: 0.9, tray: 0.9, dateserver: 0.9, dinnerware: 0.8, arabiccoffee: 0.8, coffee: 0.6, dates: 0.7, bakhoor: 0.8, burner: 0.8, sweets: 0.6, chocolate: 0.5, thermos: 0.6 },
  },
  // A present. Who it is for (mother, husband, son) and the budget come from the constraints.
  gift: {
    says: [
      "gift", "gifts", "present", "presents", "gift idea", "gift ideas", "surprise", "something special", "هدية", "هديه", "هدايا",
      "اهدي", "أهدي", "اهديها", "اهديه", "مفاجأة", "مفاجاه", "hadiya", "hadiyah", "hdya", "hadiyya",
    ],
    serves: { gift: 1, perfume: 0.9, jewelry: 0.9, watch: 0.8, chocolate: 0.7, flowers: 0.8, set: 0.6, bakhoor: 0.6, oud: 0.6, bodymist: 0.6, burner: 0.5, wallet: 0.6, cufflinks: 0.6, makeup: 0.5, skincare: 0.5, sweets: 0.5, smartwatch: 0.6, earbuds: 0.4, toy: 0.5 },
  },
  // Occasions a gift is for; the same products, the occasion word itself says nothing more.
  occasion: {
    says: [
      "birthday", "birthday gift", "anniversary", "mother's day", "mothers day", "father's day", "graduation", "engagement",
      "عيد ميلاد", "ميلاد", "ميلادها", "ميلاده", "عيد الأم", "عيد الام", "ذكرى زواج", "تخرج", "تخرجها", "تخرجه", "خطوبة", "بيرثداي",
      "birthday party",
    ],
    serves: { gift: 1, perfume: 0.8, jewelry: 0.8, watch: 0.7, chocolate: 0.7, flowers: 0.8, set: 0.6, sweets: 0.5 },
  },
  wedding: {
    says: ["wedding", "weddings", "bride", "groom", "زواج", "الزواج", "عرس", "العرس", "زفاف", "ملكة", "ملكه", "عروس", "العروس", "معرس", "3ers", "zawaj"],
    serves: { eveningwear: 1, bisht: 0.9, perfume: 0.8, jewelry: 0.8, gift: 0.7, oud: 0.7, dress: 0.7, abaya: 0.5 },
  },
  ramadan: {
    says: ["ramadan", "ramadhan", "iftar", "suhoor", "رمضان", "الشهر الفضيل", "فطور رمضان", "سحور", "افطار", "إفطار"],
    serves: { decor: 0.9, lantern: 0.9, dates: 0.9, dallah: 0.7, arabiccoffee: 0.7, prayerrug: 0.7, misbaha: 0.6, bakhoor: 0.6, sweets: 0.6, tray: 0.6 },
  },
  eid: {
    says: ["eid", "eid gift", "eidiya", "العيد", "عيد الفطر", "عيد الأضحى", "عيدية", "لبس العيد", "3eed"],
    serves: { gift: 0.9, perfume: 0.8, oud: 0.7, bakhoor: 0.7, sweets: 0.7, chocolate: 0.7, thobe: 0.6, abaya: 0.6, dress: 0.6, toy: 0.6 },
  },
  newbaby: {
    says: ["newborn", "new baby", "new born", "baby shower", "baby gift", "just had a baby", "مولود", "مولوده", "مولودة", "مواليد", "ولادة", "ولاده", "بيبي جديد", "مولود جديد", "maulood"],
    serves: { babygear: 1, gift: 0.6, plush: 0.7, blanket: 0.6, toy: 0.5 },
  },
  fitness: {
    says: [
      "work out", "working out", "workout", "workouts", "exercise", "exercising", "gym", "home gym", "get fit", "getting fit", "lose weight",
      "training", "نادي", "النادي", "للنادي", "جيم", "الجيم", "تمارين", "تمرين", "اتمرن", "أتمرن", "رياضة", "الرياضة", "لياقة", "رجيم", "انحف",
      "nadi", "jym", "tamreen",
    ],
    serves: { fitness: 1, dumbbells: 1, treadmill: 1, mat: 0.8, sneakers: 0.7, smartwatch: 0.6, bottle: 0.6, ball: 0.4 },
  },
  school: {
    says: ["school", "back to school", "new school year", "class", "classes", "مدرسة", "مدرسه", "المدرسة", "المدارس", "الدوام المدرسي", "العودة للمدارس", "madrasa"],
    serves: { bag: 1, stationery: 1, lunchbox: 0.9, bottle: 0.7, educational: 0.5 },
  },
  hotweather: {
    says: ["hot weather", "the heat", "summer heat", "hot days", "beat the heat", "الحر", "حر الصيف", "الصيف", "للصيف", "شوب", "حر"],
    serves: { summer: 1, fan: 0.9, linen: 0.8, cotton: 0.6, sunscreen: 0.8, bottle: 0.6, cooler: 0.6 },
  },
  travel: {
    says: ["travel", "travelling", "traveling", "trip abroad", "flight", "vacation", "holiday", "سفر", "السفر", "مسافر", "مسافرة", "اسافر", "أسافر", "للسفر", "اجازة", "إجازة"],
    serves: { luggage: 1, portable: 0.8, powerbank: 0.8, bag: 0.6, earbuds: 0.5, pillow: 0.5, charger: 0.5 },
  },
  drive: {
    says: ["long drive", "in the car", "for the car", "car ride", "on the road", "مشوار", "مشاوير", "السيارة", "للسيارة", "الطريق", "للطريق", "سفر بالسيارة"],
    serves: { thermos: 0.9, carcharger: 1, roomspray: 0.6, powerbank: 0.7, cooler: 0.6 },
  },
  prayer: {
    says: ["prayer", "praying", "pray", "mosque", "hajj", "umrah", "صلاة", "الصلاة", "للصلاة", "صلاه", "مسجد", "المسجد", "حج", "الحج", "عمرة", "العمرة", "العمره"],
    serves: { prayerrug: 1, prayerwear: 1, misbaha: 0.9, musk: 0.5, mat: 0.6 },
  },
  cooking: {
    says: ["cooking", "cook", "in the kitchen", "for the kitchen", "kitchen", "طبخ", "الطبخ", "اطبخ", "أطبخ", "للمطبخ", "المطبخ", "مطبخ"],
    serves: { cookware: 1, pressurecooker: 0.9, airfryer: 0.9, blender: 0.8, kettle: 0.6, grinder: 0.6, dinnerware: 0.5 },
  },
  sleep: {
    says: ["sleep", "sleeping", "bedtime", "can't sleep", "نوم", "النوم", "للنوم", "انام", "أنام"],
    serves: { blanket: 1, pillow: 1, sleepingbag: 0.8, tent: 0.5 },
  },
  dryhair: {
    says: ["dry hair", "hair is dry", "frizzy hair", "damaged hair", "hair falling", "شعري جاف", "شعر جاف", "الشعر الجاف", "شعري متقصف", "تقصف", "هيشان"],
    serves: { hairoil: 1, conditioner: 0.9, shampoo: 0.7, hairloss: 0.6 },
  },
  dryskin: {
    says: ["dry skin", "skin is dry", "flaky skin", "بشرتي جافة", "بشرة جافة", "البشرة الجافة", "جفاف البشرة", "جفاف"],
    serves: { moisturizer: 1, skincare: 0.8, serum: 0.6 },
  },
  scenthome: {
    says: ["make the house smell nice", "house smell", "home fragrance", "for the house", "for the home", "ريحة البيت", "ريحه البيت", "للبيت", "البيت", "للمنزل", "المنزل"],
    serves: { bakhoor: 0.9, burner: 0.8, roomspray: 1, oud: 0.5, decor: 0.5 },
  },
};
