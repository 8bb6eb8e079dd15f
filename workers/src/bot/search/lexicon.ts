// Hand-written shopping vocabulary for English, Arabic (MSA + Gulf) and common Arabizi.
// Entries are written naturally (hamzas, taa marbuta, plurals); they go through the same
// analysis as catalog and query text when loaded, so spelling variants line up.

// Words that carry no product meaning, by kind. They are general resources of each language and
// of shop talk, not the words of particular queries: a word belongs here only if it could never
// name or describe a product.
const FUNCTION_WORDS_EN = [
  // articles, pronouns, auxiliaries, prepositions, conjunctions, question words
  "a", "an", "the", "and", "or", "but", "if", "so", "then", "than", "because", "since", "while", "as", "of", "to", "in", "on",
  "at", "by", "with", "for", "from", "into", "about", "around", "out", "up", "is", "are", "am", "be", "been", "being", "was",
  "were", "it", "its", "this", "that", "these", "those", "i", "im", "ive", "id", "me", "my", "mine", "myself", "we", "our", "us",
  "you", "your", "youre", "ya", "u", "ur", "he", "hes", "him", "his", "she", "shes", "her", "hers", "they", "them", "their",
  "theyre", "s", "t", "re", "ll", "ve", "d", "do", "does", "did", "doing", "have", "has", "had", "having", "can", "could",
  "would", "should", "will", "shall", "may", "might", "must", "not", "no", "yes", "what", "whats", "which", "who", "whom",
  "whose", "where", "when", "why", "how", "there", "here", "any", "some", "every", "each", "all", "both", "either", "other",
  "another", "such", "own", "one", "ones", "someone", "somebody", "anyone", "anybody", "something", "anything", "thing",
  "things", "stuff", "bit", "lot", "lots", "kind", "sort", "type", "very", "really", "just", "also", "too", "still", "even",
  "only", "much", "many", "more", "most", "less", "enough", "maybe", "perhaps", "probably", "quite", "pretty", "ish", "new",
  // words for "things" in general: "camping stuff", "supplies for school"
  "supplies", "essentials", "gear", "items", "item", "products", "product", "equipment", "tools",
];
const SHOP_TALK_EN = [
  // what shoppers say around the product: wanting, looking, asking, liking, paying
  "want", "wanted", "wants", "wanna", "need", "needs", "needed", "looking", "look", "find", "search", "searching", "show",
  "see", "get", "got", "getting", "buy", "buying", "order", "ordering", "purchase", "sell", "selling", "sells", "carry",
  "stock", "available", "availability", "offer", "offers", "recommend", "recommendation", "recommendations", "suggest",
  "suggestion", "suggestions", "advise", "advice", "option", "options", "choice", "choices", "idea", "ideas", "help", "know",
  "tell", "send", "think", "thinking", "wondering", "wonder", "guess", "like", "likes", "liked", "love", "loves", "loved",
  "fan", "prefer", "prefers", "good", "great", "nice", "best", "better", "top", "favourite", "favorite", "use", "using",
  "used", "price", "priced", "prices", "cost", "costs", "budget", "riyal", "riyals", "rial", "rials", "sar", "sr", "money",
  "store", "shop", "website", "site", "app", "online", "guys", "please", "pls", "plz", "kindly", "start", "starting", "begin",
  "try", "trying", "planning", "plan", "going", "gonna", "coming",
];
const TIME_WORDS_EN = [
  "now", "currently", "today", "tonight", "tomorrow", "yesterday", "soon", "later", "morning", "afternoon", "evening",
  "night", "day", "days", "week", "weeks", "weekend", "month", "months", "year", "years", "next", "last", "always", "usually",
  "often", "sometimes", "every", "ago", "old", "aged", "age",
];
const CHAT_WORDS_EN = [
  "hi", "hello", "hey", "salam", "salaam", "assalamu", "alaikum", "thanks", "thank", "ok", "okay", "sure", "well", "oh", "um",
  "hmm", "lol", "dear", "friend", "bro",
  // discourse markers
  "actually", "basically", "honestly", "btw", "anyway", "anyways", "though", "still", "yet", "however", "otherwise", "instead",
];
const FUNCTION_WORDS_AR = [
  "في", "من", "على", "علي", "الى", "إلى", "عن", "مع", "و", "او", "أو", "ثم", "بس", "لكن", "اذا", "إذا", "لو", "عشان", "علشان",
  "لان", "لأن", "هذا", "هذه", "هذي", "ذا", "ذي", "هذيك", "ذاك", "ذيك", "اللي", "الي", "التي", "الذي", "هو", "هي", "هم", "انا",
  "أنا", "انت", "أنت", "انتي", "انتم", "احنا", "نحن", "هل", "ما", "ماذا", "وش", "ايش", "إيش", "شو", "شنو", "شنهو", "وين", "فين",
  "كيف", "كم", "بكم", "متى", "ليش", "لي", "له", "لها", "لهم", "لنا", "فيه", "فيها", "فيهم", "عندكم", "عندك", "عندي", "عنده",
  "عندها", "حق", "حقت", "حقي", "يعني", "كذا", "زي", "مثل", "شي", "شيء", "اشياء", "أشياء", "حاجه", "حاجة", "اي", "أي", "كل",
  "بعض", "نفس", "ثاني", "ثانيه", "غير", "يا", "جدا", "مره", "مرة", "كثير", "وايد", "شوي", "شويه", "مو", "مب", "ترى", "تراه",
  // words for "things" in general: "أغراض كشتة", "مستلزمات المدرسة"
  "اغراض", "أغراض", "مستلزمات", "لوازم", "حاجات", "منتجات", "منتج", "اشياء",
];
const SHOP_TALK_AR = [
  "ابي", "أبي", "ابغى", "أبغى", "ابغا", "ابغي", "أبغي", "اريد", "أريد", "ودي", "بدي", "نبي", "نبغى", "ابيه", "ابيها", "ابغاه",
  "ابغاها", "موجود", "موجوده", "متوفر", "متوفره", "تبيعون", "تبيع", "يبيع", "ابحث", "أبحث", "ادور", "أدور", "دور", "اشوف",
  "أشوف", "شوف", "وريني", "اقترح", "اقتراح", "اقتراحات", "تنصحني", "تنصحوني", "تنصح", "نصيحه", "فكره", "افكار", "خيارات",
  "يحب", "تحب", "يحبون", "احب", "أحب", "يعجب", "افضل", "أفضل", "احسن", "أحسن", "زين", "حلو", "حلوه", "ريال", "ريالات", "رس",
  "سعر", "بسعر", "اسعار", "الميزانيه", "ميزانيه", "ميزانيتي", "حدود", "بحدود", "تقريبا", "لو سمحت", "سمحت", "تكرم", "ممكن",
  "يمديكم", "تقدرون", "ساعدني", "ساعدوني", "تساعدوني", "المتجر", "متجركم", "الموقع", "اشتري", "أشتري", "نشتري", "اشتريت",
  "اخذ", "آخذ", "ناخذ", "اطلب", "أطلب", "نطلب", "جديد", "جديده",
];
const TIME_WORDS_AR = [
  "الحين", "الان", "الآن", "اليوم", "بكره", "بكرة", "امس", "أمس", "قريب", "الصبح", "الظهر", "العصر", "المغرب", "الليل",
  "الاسبوع", "الأسبوع", "اسبوع", "الشهر", "شهر", "السنه", "سنه", "سنوات", "سنين", "الجاي", "الجايه", "القادم", "القادمه",
  "دايم", "دايما", "عمره", "عمرها", "عمر",
];
const CHAT_WORDS_AR = [
  "مرحبا", "هلا", "السلام", "سلام", "عليكم", "اهلا", "أهلا", "شكرا", "يعطيك", "العافيه", "الله", "والله", "طيب", "اوكي",
  "تمام", "اخوي", "اختي", "يا ليت", "ليت",
  // discourse markers
  "بصراحه", "اصلا", "أصلا", "عموما", "المهم", "بعدين", "برضو", "بعد",
];

/** Every word that never carries product meaning, in both languages. */
export const STOPWORDS: readonly string[] = [
  ...FUNCTION_WORDS_EN,
  ...SHOP_TALK_EN,
  ...TIME_WORDS_EN,
  ...CHAT_WORDS_EN,
  ...FUNCTION_WORDS_AR,
  ...SHOP_TALK_AR,
  ...TIME_WORDS_AR,
  ...CHAT_WORDS_AR,
];

/** Broken plurals and irregular forms → the singular used in catalogs. */
export const LEMMAS: Readonly<Record<string, string>> = {
  // Arabic broken plurals
  "تمور": "تمر", "ثياب": "ثوب", "اثواب": "ثوب", "عطور": "عطر", "ألعاب": "لعبة", "العاب": "لعبة", "لعب": "لعبة", "أطفال": "طفل",
  "اطفال": "طفل", "قدور": "قدر", "فناجين": "فنجان", "فناجيل": "فنجان", "صحون": "صحن", "اكواب": "كوب", "أكواب": "كوب",
  "كاسات": "كاسة", "ملابس": "لبس", "احذيه": "حذاء", "أحذية": "حذاء", "جزم": "جزمة", "نعل": "نعال", "شنط": "شنطة", "حقائب": "حقيبة",
  "ساعات": "ساعة", "سماعات": "سماعة", "شواحن": "شاحن", "كيابل": "كيبل", "كفرات": "كفر", "أغطية": "غطاء", "اغطيه": "غطاء",
  "عبايات": "عباية", "عباءات": "عباية", "قفاطين": "قفطان", "بطانيات": "بطانية", "عباءة": "عباية", "طرح": "طرحة", "شيلات": "شيلة", "فساتين": "فستان", "اشمغه": "شماغ",
  "أشمغة": "شماغ", "غتر": "غترة", "بشوت": "بشت", "سراويل": "سروال", "محافظ": "محفظة", "مباخر": "مبخرة", "دلال": "دلة",
  "ترامس": "ترمس", "صواني": "صينية", "خيام": "خيمة", "كراسي": "كرسي", "دراجات": "دراجة", "سيارات": "سيارة", "دمى": "دمية",
  "عرايس": "عروسة", "مكعبات": "مكعب", "زيوت": "زيت", "كريمات": "كريم", "منتجات": "منتج", "هدايا": "هدية", "حلويات": "حلا",
  "حلاوه": "حلا", "شوكولاته": "شوكولاتة", "بهارات": "بهار", "توابل": "بهار", "رجال": "رجل", "نساء": "امرأة", "نسوان": "امرأة",
  "بنات": "بنت", "اولاد": "ولد", "أولاد": "ولد", "اجهزه": "جهاز", "أجهزة": "جهاز", "ادوات": "اداة", "أدوات": "أداة",
  "اقلام": "قلم", "فرش": "فرشاة", "فرشه": "فرشاة", "مضارب": "مضرب", "كور": "كرة", "اوزان": "وزن", "أوزان": "وزن",
  // English irregulars
  "men": "man", "mens": "man", "women": "woman", "womens": "woman", "children": "child", "kids": "kid", "feet": "foot",
  "knives": "knife", "glasses": "glass", "dresses": "dress", "boxes": "box", "watches": "watch", "brushes": "brush",
  "perfumes": "perfume", "shoes": "shoe", "clothes": "clothing", "toys": "toy", "babies": "baby",
};

/**
 * Concepts: words and phrases in any language that mean the same product thing. A catalog text
 * and a query that mention any member of a concept meet on the concept id.
 */
export const CONCEPTS: Readonly<Record<string, readonly string[]>> = {
  // ---- fashion
  abaya: ["abaya", "abayah", "abaya's", "3abaya", "abaya", "عباية", "عبايه", "عباءة", "3baya"],
  hijab: ["hijab", "headscarf", "head scarf", "scarf", "shayla", "sheila", "tarha", "طرحة", "حجاب", "شيلة", "لفة"],
  niqab: ["niqab", "face veil", "veil", "نقاب", "غطوة", "برقع", "burqa"],
  dress: ["dress", "gown", "frock", "فستان", "فسطان", "fustan", "fistan"],
  eveningwear: ["evening", "party", "soiree", "occasion", "wedding", "سهرة", "سهره", "حفلة", "مناسبات", "مناسبة", "عرس", "زواج"],
  prayerwear: ["prayer dress", "isdal", "prayer clothes", "prayer outfit", "جلال صلاة", "اسدال", "جلال", "ملابس صلاة"],
  jalabiya: ["jalabiya", "jalabiyya", "kaftan", "caftan", "جلابية", "جلابيه", "قفطان"],
  thobe: ["thobe", "thawb", "thoub", "dishdasha", "kandura", "ثوب", "دشداشة", "كندورة", "thob", "thoob"],
  shemagh: ["shemagh", "shmagh", "shumagh", "ghutra", "ghutrah", "keffiyeh", "kufiya", "headdress", "شماغ", "غترة", "شماغ", "shimagh", "shmag"],
  agal: ["agal", "iqal", "egal", "عقال"],
  bisht: ["bisht", "mishlah", "cloak", "بشت", "مشلح"],
  sirwal: ["sirwal", "serwal", "trousers", "pants", "سروال", "بنطلون", "بنطال"],
  sandals: ["sandals", "sandal", "slippers", "flip flops", "flipflops", "نعال", "نعل", "شبشب", "زنوبة", "na3al"],
  shoes: ["shoes", "shoe", "footwear", "حذاء", "جزمة", "جزمه", "كندرة"],
  sneakers: ["sneakers", "sneaker", "trainers", "running shoes", "sports shoes", "tennis shoes", "سنيكرز", "حذاء رياضي", "جزمة رياضية", "كوتشي", "بوت رياضي"],
  cufflinks: ["cufflinks", "cuff links", "كبك", "كبكات", "ازرار اكمام"],
  wallet: ["wallet", "purse", "cardholder", "card holder", "billfold", "محفظة", "بوك", "محفظه"],
  bag: ["bag", "backpack", "schoolbag", "school bag", "rucksack", "handbag", "شنطة", "حقيبة", "شنطه", "جنطة"],
  clothing: ["clothing", "clothes", "apparel", "outfit", "wear", "fashion", "لبس", "ملابس", "أزياء"],
  // ---- perfume & oud
  // "scent"/"ريحة" describe many things (a candle, a car freshener): they are not perfume.
  perfume: ["perfume", "fragrance", "cologne", "parfum", "eau de parfum", "edp", "edt", "eau de toilette", "عطر", "برفان", "بارفان", "عطور", "كولونيا", "3etr", "3itr", "itr", "attar"],
  oud: ["oud", "oudh", "agarwood", "aloeswood", "عود", "3ood", "3oud", "ood"],
  oil: ["oil", "oils", "زيت", "دهن", "dehn", "dahn"],
  oudoil: ["oud oil", "dehn oud", "dehn al oud", "دهن عود", "دهن العود", "dahn oud"],
  bakhoor: ["bakhoor", "bakhour", "bukhoor", "bakhur", "incense", "muattar", "mamoul bakhoor", "بخور", "بخور معمول", "تبخير", "دخون", "بخور معطر"],
  burner: ["mabkhara", "mabkhra", "incense burner", "burner", "censer", "مبخرة", "مبخره", "مدخنة"],
  musk: ["musk", "misk", "مسك", "tahara", "white musk", "مسك ابيض", "مسك أبيض", "المسك الابيض", "المسك الأبيض", "مسك الطهارة"],
  bodymist: ["body mist", "body spray", "mist", "معطر جسم", "بودي مست", "سبلاش"],
  roomspray: ["room spray", "air freshener", "fabric spray", "معطر جو", "معطر مفارش", "معطر مفرش", "فواحة"],
  // ---- electronics
  phone: ["phone", "mobile", "smartphone", "cellphone", "cell phone", "mobile phone", "android", "جوال", "موبايل", "هاتف", "تلفون", "جوالات", "هاتف ذكي", "jawal", "jawwal", "mobail"],
  charger: ["charger", "charging", "charge", "adapter", "plug", "شاحن", "شحن", "راس شاحن", "sha7en", "shahen"],
  wirelesscharger: ["wireless charger", "wireless charging", "charging stand", "charging pad", "magsafe charger", "شاحن لاسلكي", "قاعدة شحن"],
  cable: ["cable", "cord", "wire", "كيبل", "سلك", "وصلة", "كابل"],
  usbc: ["usb c", "usbc", "type c", "typec", "تايب سي"],
  lightning: ["lightning", "لايتنينج", "لايتننق"],
  earbuds: ["earbuds", "earphones", "earpods", "in ear", "airpods", "buds", "سماعات", "سماعة", "سماعات اذن", "ايربودز", "earphone", "headset"],
  headphones: ["headphones", "headphone", "over ear", "over the ear", "سماعة رأس", "هيدفون"],
  bluetooth: ["bluetooth", "wireless", "بلوتوث", "لاسلكي", "لاسلكية"],
  powerbank: ["power bank", "powerbank", "portable charger", "battery pack", "portable battery", "external battery", "باور بانك", "شاحن متنقل", "بطارية متنقلة", "بطارية خارجية", "باوربنك", "بطارية"],
  smartwatch: ["smart watch", "smartwatch", "fitness tracker", "fitness band", "ساعة ذكية", "ساعه ذكيه", "سمارت واتش"],
  watch: ["watch", "ساعة", "wristwatch"],
  case: ["case", "cover", "phone case", "كفر", "جراب", "غطاء جوال", "كڤر"],
  carcharger: ["car charger", "شاحن سيارة", "شاحن سياره"],
  // ---- home & kitchen
  coffeemaker: ["coffee maker", "coffee machine", "coffeemaker", "espresso machine", "ماكينة قهوة", "مكينة قهوة", "صانعة قهوة", "آلة قهوة"],
  dallah: ["dallah", "dalla", "coffee pot", "دلة", "دله"],
  thermos: ["thermos", "flask", "vacuum flask", "ترمس", "حافظة", "ترمسة", "دورق"],
  heat: ["hot", "heat", "warm", "warmth", "ساخن", "سخن", "حرارة", "حار", "دافئ", "دافي"],
  keep: ["keep", "keeps", "hold", "holds", "retain", "retains", "maintain", "maintains", "preserve", "يحافظ", "يحفظ", "تحافظ", "تحفظ"],
  insulated: ["insulated", "thermal", "keep warm", "keeps warm", "keep hot", "keeps hot", "hot and cold", "معزول", "معزولة", "يحفظ الحرارة", "حافظ للحرارة"],
  cups: ["cups", "cup", "mugs", "mug", "finjan", "fenjan", "فنجان", "فناجين", "كوب", "بيالة", "بيالات", "istikana", "كاسة"],
  cookware: ["cookware", "cook", "cooking", "طبخ", "pots", "pot", "pans", "pan", "saucepan", "cooking pot", "قدر", "قدور", "طنجرة", "حلة", "مقلاة"],
  pressurecooker: ["pressure cooker", "قدر ضغط", "حلة ضغط"],
  dinnerware: ["dinnerware", "dinner set", "dinner service", "plates", "plate", "dishes", "tableware", "صحون", "صحن", "أطباق", "طقم صحون", "سفرة"],
  tray: ["tray", "serving tray", "صينية", "صواني"],
  kettle: ["kettle", "water boiler", "غلاية", "كتل", "سخان ماء"],
  grinder: ["grinder", "mill", "مطحنة", "مطحنه", "طاحونة"],
  dateserver: ["date server", "date bowl", "date dish", "تمرية", "تمريه"],
  // ---- food
  dates: ["dates", "date fruit", "tamr", "tamer", "tamur", "تمر", "تمور", "rutab", "رطب"],
  sukkari: ["sukkari", "sukari", "sokkari", "sukkary", "سكري"],
  ajwa: ["ajwa", "ajwah", "3ajwa", "عجوة", "عجوه"],
  medjool: ["medjool", "medjoul", "mejdool", "majdool", "مجدول", "مجهول"],
  maamoul: ["maamoul", "mamoul", "ma'amoul", "maamool", "معمول"],
  chocolate: ["chocolate", "choco", "pralines", "شوكولاتة", "شوكولاته", "شوكلت", "شوكولا", "chocolates"],
  sweets: ["sweets", "dessert", "desserts", "candy", "treats", "حلا", "حلويات", "حلى", "حلاوة", "سويتس"],
  gift: ["gift", "gifts", "present", "presents", "gift box", "gift set", "هدية", "هديه", "هدايا", "hadiya", "hadiyah", "hdya"],
  syrup: ["syrup", "dibs", "molasses", "دبس", "شيرة"],
  paste: ["paste", "عجينة", "عجينه"],
  nuts: ["nuts", "almonds", "almond", "pistachio", "pistachios", "cashew", "لوز", "فستق", "مكسرات", "كاجو"],
  cookies: ["cookies", "biscuits", "kleija", "klaija", "كليجا", "كليجة", "بسكويت"],
  // ---- coffee & tea
  coffee: ["coffee", "قهوة", "قهوه", "بن", "gahwa", "qahwa", "kahwa", "gahwah", "coffe", "cofee"],
  arabiccoffee: ["arabic coffee", "saudi coffee", "gulf coffee", "gahwa", "qahwa", "gahwah", "قهوة عربية", "قهوة سعودية", "قهوة شقراء", "قهوه عربي"],
  specialtycoffee: ["specialty coffee", "speciality coffee", "specialty", "third wave", "v60", "pour over", "filter coffee", "قهوة مختصة", "مختصة", "مختص", "فلتر"],
  beans: ["beans", "coffee beans", "whole beans", "whole bean", "حبوب", "بن"],
  capsules: ["capsules", "capsule", "coffee pods", "pods", "nespresso", "كبسولات", "كبسولة", "كبسول", "كبسولات قهوة"],
  espresso: ["espresso", "اسبريسو", "إسبريسو", "اسبرسو"],
  cardamom: ["cardamom", "cardamon", "hail", "hel", "heil", "هيل", "حبهان"],
  saffron: ["saffron", "زعفران", "za3faran"],
  tea: ["tea", "chai", "shai", "shay", "شاي", "شاهي"],
  blacktea: ["black tea", "red tea", "شاي احمر", "شاي أسود"],
  greentea: ["green tea", "شاي اخضر", "شاي أخضر"],
  herbal: ["herbal", "herbal tea", "chamomile", "camomile", "infusion", "أعشاب", "اعشاب", "بابونج", "زهورات"],
  karak: ["karak", "chai karak", "كرك"],
  instant: ["instant", "سريعة التحضير", "فورية", "فوري"],
  // ---- beauty
  serum: ["serum", "سيروم", "سيرم"],
  sunscreen: ["sunscreen", "sunblock", "sun block", "sun cream", "spf", "واقي شمس", "واقي الشمس", "صن بلوك", "كريم شمس"],
  moisturizer: ["moisturizer", "moisturiser", "moisturizing", "hydrating", "hydration", "lotion", "مرطب", "ترطيب", "كريم ترطيب"],
  cleanser: ["cleanser", "face wash", "facial wash", "face cleanser", "غسول", "غسول وجه"],
  shampoo: ["shampoo", "شامبو", "شامبوو", "shampu"],
  conditioner: ["conditioner", "بلسم"],
  hairoil: ["hair oil", "زيت شعر", "زيت للشعر"],
  hairloss: ["hair fall", "hair loss", "hairfall", "thinning hair", "تساقط", "تساقط الشعر"],
  lipstick: ["lipstick", "lip stick", "lip color", "lip colour", "rouge", "روج", "احمر شفاه", "أحمر شفايف", "احمر شفايف"],
  mascara: ["mascara", "ماسكرا", "مسكرة"],
  eyeliner: ["eyeliner", "eye liner", "kohl", "kajal", "كحل", "آيلاينر", "ايلاينر"],
  foundation: ["foundation", "كريم أساس", "فاونديشن"],
  makeup: ["makeup", "make up", "cosmetics", "مكياج", "ميك اب", "تجميل"],
  brushes: ["brush", "brushes", "فرش", "فرشاة"],
  beard: ["beard", "لحية", "دقن", "ذقن"],
  skincare: ["skincare", "skin care", "عناية بالبشرة", "بشرة"],
  // ---- toys
  toy: ["toy", "toys", "game", "games", "plaything", "لعبة", "العاب", "ألعاب", "لعب", "لعبه", "al3ab", "alaab"],
  educational: ["educational", "learning", "stem", "montessori", "تعليمي", "تعليمية", "تعليم", "تنمية", "تعلم"],
  blocks: ["building blocks", "blocks", "bricks", "lego", "construction toy", "مكعبات", "مكعبات بناء", "تركيب", "ليغو"],
  rccar: ["remote control car", "rc car", "remote car", "سيارة ريموت", "سيارة تحكم"],
  car: ["car", "cars", "vehicle", "سيارة", "سيارات", "سياره", "sayyara"],
  doll: ["doll", "dolls", "baby doll", "دمية", "عروسة", "عروسه", "باربي"],
  puzzle: ["puzzle", "jigsaw", "بزل", "بازل", "لغز"],
  bicycle: ["bicycle", "bike", "cycle", "دراجة", "سيكل", "دراجه", "بسكليت"],
  scooter: ["scooter", "سكوتر"],
  plush: ["plush", "soft toy", "stuffed toy", "teddy", "محشو", "دبدوب"],
  tablet: ["tablet", "tab", "ipad", "تابلت", "ايباد"],
  // ---- outdoor & sports
  tent: ["tent", "خيمة", "خيمه", "بيت شعر"],
  camping: ["camping", "camp", "campsite", "outdoor", "outdoors", "رحلات", "كشتة", "كشتات", "كشته", "بر", "البر", "تخييم", "مخيم", "kashta"],
  chair: ["chair", "seat", "كرسي"],
  stove: ["stove", "cooker", "burner stove", "cook", "cooking", "طبخ", "طباخ", "موقد"],
  grill: ["grill", "bbq", "barbecue", "barbeque", "شواية", "شوايه", "منقل", "شوي"],
  lantern: ["lantern", "flashlight", "torch", "lamp", "كشاف", "فانوس", "اضاءة", "لمبة"],
  sleepingbag: ["sleeping bag", "كيس نوم"],
  mat: ["mat", "rug", "carpet", "فرشة", "سجادة", "مفرش", "حصيرة"],
  fitness: ["fitness", "gym", "workout", "exercise", "training", "sport", "sports", "رياضة", "رياضي", "رياضية", "تمارين", "جيم", "لياقة"],
  dumbbells: ["dumbbells", "dumbbell", "weights", "دمبل", "دمبلز", "اثقال", "أوزان"],
  treadmill: ["treadmill", "running machine", "walking machine", "جهاز مشي", "سير مشي", "تريدميل"],
  ball: ["ball", "football", "soccer", "كرة", "كورة", "كرة قدم"],
  racket: ["racket", "racquet", "مضرب"],
  padel: ["padel", "paddle", "بادل"],
  bottle: ["bottle", "water bottle", "قارورة", "مطارة", "زمزمية", "غرشة"],
  // ---- more product types (also ones a store may not sell: a query naming them finds nothing
  // rather than something else)
  blanket: ["blanket", "throw", "comforter", "duvet", "quilt", "بطانية", "بطانيه", "بطانيات", "لحاف", "مفرش شتوي"],
  pillow: ["pillow", "cushion", "مخدة", "مخده", "وسادة", "خداديه"],
  heater: ["heater", "space heater", "fan heater", "radiator", "دفاية", "دفايه", "دفايات", "مدفأة", "مدفاة", "heater fan"],
  coat: ["coat", "jacket", "parka", "hoodie", "sweater", "jumper", "cardigan", "farwa", "farwah", "فروة", "فروه", "جاكيت", "جاكيتات", "معطف", "بالطو", "هودي", "سويتر", "كنزة"],
  gloves: ["gloves", "glove", "mittens", "قفازات", "جوانتي", "كفوف"],
  socks: ["socks", "sock", "شراب", "جوارب", "دلاغات"],
  jewelry: ["jewelry", "jewellery", "jewel", "necklace", "pendant", "chain", "earrings", "earring", "bracelet", "bangle", "ring", "anklet", "مجوهرات", "اكسسوارات", "سلسال", "سلسله", "عقد", "قلادة", "حلق", "اقراط", "خاتم", "اسوارة", "اسواره", "غوايش", "خلخال"],
  flowers: ["flowers", "flower", "bouquet", "باقة ورد", "بوكيه", "زهور"],
  stationery: ["stationery", "pen", "pens", "pencil", "notebook", "pencil case", "قلم", "اقلام", "دفتر", "مقلمة", "قرطاسية"],
  lunchbox: ["lunch box", "lunchbox", "snack box", "علبة اكل", "لانش بوكس", "صندوق طعام"],
  luggage: ["luggage", "suitcase", "travel bag", "carry on", "trolley bag", "شنطة سفر", "حقيبة سفر", "شنط سفر"],
  fan: ["fan", "electric fan", "cooling fan", "مروحة", "مروحه", "مراوح"],
  speaker: ["speaker", "speakers", "sound system", "سماعة خارجية", "مكبر صوت", "سبيكر"],
  gaming: ["gaming", "game controller", "controller", "gamepad", "joystick", "console", "playstation", "xbox", "يد تحكم", "جويستك", "بلايستيشن", "سوني"],
  honey: ["honey", "sidr", "عسل", "سدر", "3asal"],
  airfryer: ["air fryer", "airfryer", "قلاية هوائية", "قلايه هوائيه", "اير فراير"],
  blender: ["blender", "mixer", "juicer", "خلاط", "عصارة"],
  cooler: ["cooler", "ice box", "cool box", "ثلاجة رحلات", "ترمس ثلج", "صندوق ثلج"],
  charcoal: ["charcoal", "firewood", "فحم", "حطب"],
  prayerrug: ["prayer rug", "prayer mat", "janamaz", "سجادة صلاة", "سجاده صلاه", "سجادة"],
  misbaha: ["misbaha", "prayer beads", "tasbih", "سبحة", "مسبحة"],
  decor: ["decoration", "decorations", "decor", "ornament", "زينة", "زينه", "ديكور", "تزيين"],
  babygear: ["stroller", "pram", "diaper", "diapers", "nappies", "bodysuit", "onesie", "baby clothes", "عربية اطفال", "عربة اطفال", "حفاضات", "حفايض", "ملابس مواليد", "مواليد"],
  // types a fashion, home or gift store rarely sells, so asking for them finds nothing
  furniture: ["sofa", "couch", "furniture", "bed", "mattress", "wardrobe", "table", "desk", "كنب", "كنبة", "كنبه", "اثاث", "أثاث", "سرير", "مرتبة", "دولاب", "طاولة", "طاوله"],
  bigappliance: ["washing machine", "washer", "dryer", "fridge", "refrigerator", "freezer", "dishwasher", "oven", "air conditioner", "غسالة", "غساله", "نشافة", "ثلاجة", "ثلاجه", "فريزر", "فرن", "مكيف", "مكيفات", "جلاية"],
  computer: ["laptop", "computer", "pc", "printer", "ink", "toner", "monitor", "keyboard", "mouse", "لابتوب", "كمبيوتر", "طابعة", "طابعه", "حبر", "شاشة كمبيوتر", "كيبورد", "ماوس"],
  tv: ["tv", "television", "تلفزيون", "تلفاز", "شاشة تلفزيون"],
  autoparts: ["tyre", "tyres", "tire", "tires", "car battery", "spare parts", "car parts", "engine oil", "اطارات", "إطارات", "قطع غيار", "بطارية سيارة", "زيت محرك"],
  books: ["book", "books", "novel", "كتاب", "كتب", "رواية"],
  medicine: ["medicine", "pills", "painkiller", "دواء", "ادوية", "حبوب مسكن"],
  // ---- qualities
  comfort: ["comfortable", "comfy", "cozy", "cosy", "relaxed fit", "loose", "soft", "مريح", "مريحة", "مريحه", "واسع", "واسعة", "ناعم", "ناعمة"],
  elegant: ["elegant", "classy", "stylish", "chic", "أنيق", "انيق", "أنيقة", "انيقه", "شيك", "راقي"],
  light: ["light", "lightweight", "thin", "breathable", "خفيف", "خفيفة", "خفيفه"],
  longlasting: ["long lasting", "long-lasting", "lasts long", "lasts all day", "ثابت", "ثابته", "ثبات", "ثبات عالي", "يثبت", "يدوم"],
  luxury: ["luxury", "premium", "deluxe", "high end", "fancy", "royal", "فاخر", "فاخرة", "فخم", "ملكي", "راقي"],
  cheap: ["cheap", "cheaper", "cheapest", "less expensive", "lower price", "budget", "affordable", "inexpensive", "economy", "basic", "رخيص", "رخيصة", "اقتصادي", "اقتصادية", "ارخص", "أرخص", "مناسب السعر", "ar5as", "arkhas", "ar5s", "r5ees", "rkhees", "ri5ees", "rakhees"],
  summer: ["summer", "hot weather", "صيفي", "صيفية", "صيف"],
  winter: ["winter", "cold", "شتوي", "شتوية", "شتاء", "برد", "بارد", "الباردة"],
  electric: ["electric", "electrical", "كهربائي", "كهربائية", "كهرباء"],
  rechargeable: ["rechargeable", "قابل للشحن", "قابلة للشحن", "يشحن"],
  portable: ["portable", "travel", "on the go", "foldable", "folding", "متنقل", "متنقلة", "محمول", "قابل للطي", "سفر"],
  waterproof: ["waterproof", "water resistant", "مقاوم للماء", "مقاومة للماء", "ضد الماء"],
  large: ["large", "big", "family size", "كبير", "كبيرة", "عائلي"],
  set: ["set", "kit", "bundle", "pack", "collection", "طقم", "مجموعة", "بكج"],
};

/** Colours: id → words (adjective forms: masculine, feminine, plural, dialect, Arabizi). */
export const COLOURS: Readonly<Record<string, readonly string[]>> = {
  black: ["black", "أسود", "اسود", "سوداء", "سودا", "سود", "aswad", "sooda", "sawda", "souda"],
  white: ["white", "أبيض", "ابيض", "بيضاء", "بيضا", "abyad", "baida", "bayda"],
  red: ["red", "أحمر", "احمر", "حمراء", "حمرا", "حمر", "a7mar", "ahmar", "7amra", "hamra"],
  blue: ["blue", "أزرق", "ازرق", "زرقاء", "زرقا", "زرق", "azra8", "azraq", "azrag"],
  navy: ["navy", "navy blue", "dark blue", "كحلي", "كحلية", "ka7li", "kohli"],
  green: ["green", "emerald", "أخضر", "اخضر", "خضراء", "خضرا", "زمردي", "زيتي", "akhdar", "a5dar"],
  grey: ["grey", "gray", "رمادي", "رمادية", "رصاصي", "ramadi"],
  brown: ["brown", "بني", "بنية", "بنيه", "bunni", "bonni"],
  beige: ["beige", "بيج", "bej"],
  pink: ["pink", "rose pink", "dusty pink", "وردي", "وردية", "زهري", "بمبي", "wardi"],
  purple: ["purple", "violet", "lilac", "بنفسجي", "موف", "ليلكي"],
  gold: ["gold", "golden", "ذهبي", "ذهبية", "ذهبيه", "dahabi"],
  silver: ["silver", "فضي", "فضية", "فضيه", "fiddi"],
  yellow: ["yellow", "أصفر", "اصفر", "صفراء", "صفرا"],
  orange: ["orange", "برتقالي", "برتقالية"],
  burgundy: ["burgundy", "maroon", "wine", "عنابي", "عنابية", "خمري"],
  nude: ["nude", "نود"],
  clear: ["clear", "transparent", "شفاف", "شفافة"],
};
/** A product of the key colour also satisfies a query for each listed colour. */
export const COLOUR_ALSO_MATCHES: Readonly<Record<string, readonly string[]>> = {
  navy: ["blue"],
  burgundy: ["red"],
  multicolor: [
    "black", "white", "red", "blue", "navy", "green", "grey", "brown", "beige", "pink", "purple", "gold", "silver",
    "yellow", "orange",
  ],
};

/** Materials that shoppers state as a requirement ("linen abaya", "جلد طبيعي"). */
export const MATERIALS: Readonly<Record<string, readonly string[]>> = {
  cotton: ["cotton", "قطن", "قطني", "قطنية"],
  linen: ["linen", "كتان"],
  silk: ["silk", "حرير", "حريري"],
  wool: ["wool", "woolen", "woollen", "صوف", "صوفي"],
  leather: ["leather", "جلد", "جلدي", "جلد طبيعي"],
  crepe: ["crepe", "كريب"],
  chiffon: ["chiffon", "شيفون"],
  satin: ["satin", "ساتان"],
  polyester: ["polyester", "بوليستر"],
  nida: ["nida", "ندا"],
  steel: ["stainless steel", "stainless", "steel", "ستانلس", "ستيل", "ستانلس ستيل", "استيل"],
  brass: ["brass", "copper", "نحاس", "نحاسي"],
  porcelain: ["porcelain", "ceramic", "بورسلين", "سيراميك", "خزف"],
  wood: ["wood", "wooden", "خشب", "خشبي", "خشبية"],
  crystal: ["crystal", "كريستال"],
  canvas: ["canvas", "كانفس", "كنفاس"],
  aluminium: ["aluminium", "aluminum", "المنيوم", "ألمنيوم", "الومنيوم"],
};

export type Audience = "men" | "women" | "kids";
/** Who a product is for. "unisex" words satisfy both men and women. */
export const AUDIENCE_WORDS: Readonly<Record<Audience | "unisex", readonly string[]>> = {
  men: [
    "men", "man", "mens", "male", "gentleman", "gentlemen", "dad", "father", "husband", "brother", "grandfather",
    "grandpa", "boyfriend", "fiance", "رجالي", "رجاليه", "رجال", "للرجال", "رجل", "الرجال", "زوجي", "ابوي", "والدي", "اخوي",
    "جدي", "rijali", "rjali", "shabab", "شباب",
  ],
  women: [
    "women", "woman", "womens", "ladies", "lady", "female", "mom", "mum", "mother", "wife", "sister", "grandmother",
    "grandma", "girlfriend", "fiancee", "نسائي", "نسائيه", "نسائية", "نساء", "للنساء", "حريمي", "حريم", "زوجتي", "امي", "أمي",
    "والدتي", "اختي", "أختي", "جدتي", "nisai", "nisa2i", "7arimi", "harimi",
  ],
  kids: [
    "kids", "kid", "child", "children", "baby", "babies", "toddler", "toddlers", "infant", "boy", "boys", "girl", "girls",
    "son", "daughter", "junior", "school", "أطفال", "اطفال", "طفل", "للأطفال", "للاطفال", "ولد", "ولدي", "بنت", "بنتي",
    "بناتي", "اولادي", "أولادي", "ولادي", "عيالي", "رضع", "رضيع", "بيبي", "صغار", "atfal", "a6fal",
  ],
  unisex: ["unisex", "للجنسين", "both"],
};
