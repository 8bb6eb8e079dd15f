// Everyday product words across the categories a Gulf online store sells (fashion, oud and
// perfume, electronics, home and kitchen, dates and sweets, coffee and tea, beauty, toys,
// outdoor, sports). A bare product word is most likely a search, so each becomes an example.

export const PRODUCT_WORDS_EN: readonly string[] = [
  "abaya", "thobe", "shemagh", "ghutra", "bisht", "hijab", "scarf", "dress", "evening dress", "jalabiya", "kaftan", "jeans",
  "t-shirt", "shirt", "hoodie", "jacket", "coat", "pajamas", "socks", "sneakers", "running shoes", "sandals", "heels", "boots", "slippers",
  "handbag", "backpack", "wallet", "belt", "sunglasses", "watch", "smart watch", "ring", "necklace", "bracelet", "earrings",
  "oud", "oud oil", "perfume", "cologne", "musk", "bakhoor", "incense", "incense burner", "mabkhara", "body mist", "deodorant",
  "iphone", "samsung phone", "phone", "tablet", "ipad", "laptop", "gaming laptop", "headphones", "earbuds", "airpods", "bluetooth speaker",
  "charger", "fast charger", "usb cable", "type c cable", "power bank", "phone case", "screen protector", "keyboard", "mouse", "monitor", "smart tv",
  "camera", "gaming console", "playstation", "controller", "router", "hard drive", "memory card",
  "coffee maker", "espresso machine", "kettle", "blender", "air fryer", "rice cooker", "toaster", "microwave", "vacuum cleaner", "iron",
  "dallah", "coffee cups", "finjan", "tea set", "thermos", "dinner set", "cooking pots", "frying pan", "knife set", "mugs",
  "sofa", "carpet", "rug", "curtains", "bed sheets", "pillow", "blanket", "lamp", "mirror", "vase", "wall clock",
  "dates", "stuffed dates", "maamoul", "chocolate", "kunafa", "baklava", "honey", "nuts", "gift box",
  "arabic coffee", "saudi coffee", "coffee beans", "ground coffee", "cardamom", "saffron", "green tea", "black tea", "herbal tea",
  "lipstick", "foundation", "mascara", "eyeliner", "makeup brushes", "face cream", "moisturizer", "sunscreen", "serum", "shampoo",
  "hair oil", "hair dryer", "straightener", "nail polish", "face mask", "body lotion", "beard oil", "razor",
  "toys", "lego", "doll", "puzzle", "board game", "remote control car", "baby stroller", "baby clothes", "kids bike", "teddy bear",
  "tent", "camping chair", "sleeping bag", "cooler box", "flashlight", "bbq grill", "hiking boots", "padel racket", "football",
  "yoga mat", "dumbbells", "treadmill", "bicycle", "swimsuit", "water bottle", "prayer mat", "quran stand", "luggage", "suitcase",
];

export const PRODUCT_WORDS_AR: readonly string[] = [
  "عبايه", "ثوب", "شماغ", "غتره", "بشت", "حجاب", "طرحه", "فستان", "فستان سهره", "جلابيه", "قفطان", "جينز", "تيشيرت",
  "قميص", "هودي", "جاكيت", "بيجامه", "شراب", "جزمه", "حذاء رياضي", "صندل", "كعب", "نعال", "شنطه", "حقيبه ظهر", "محفظه", "حزام",
  "نظاره شمسيه", "ساعه", "ساعه ذكيه", "خاتم", "سلسال", "اسواره", "حلق",
  "عود", "دهن عود", "عطر", "مسك", "بخور", "مبخره", "معطر", "مزيل عرق",
  "ايفون", "جوال سامسونج", "جوال", "ايباد", "لابتوب", "سماعات", "سماعه بلوتوث", "شاحن", "كيبل", "باور بانك", "كفر جوال", "شاشه",
  "تلفزيون", "كاميرا", "بلايستيشن", "يد تحكم", "راوتر", "ماوس", "كيبورد",
  "مكينه قهوه", "غلايه", "خلاط", "قلايه هوائيه", "مكنسه كهربائيه", "مكوى", "دله", "فناجين", "طقم شاي", "ترمس", "طقم صحون", "قدور", "مقلاه", "سكاكين",
  "كنب", "زوليه", "سجاده", "ستاير", "مفارش", "مخده", "بطانيه", "اباجوره", "مرايه", "مزهريه",
  "تمر", "تمر محشي", "رطب", "معمول", "شوكولاته", "كنافه", "بقلاوه", "عسل", "مكسرات", "بوكس هدايا",
  "قهوه عربيه", "قهوه سعوديه", "بن", "هيل", "زعفران", "شاي اخضر", "شاي احمر", "اعشاب",
  "روج", "احمر شفاه", "كريم اساس", "ماسكرا", "كحل", "فرش مكياج", "كريم للوجه", "مرطب", "واقي شمس", "سيروم", "شامبو", "زيت شعر",
  "سشوار", "مكواه شعر", "مناكير", "ماسك", "لوشن", "زيت لحيه", "ماكينه حلاقه",
  "العاب", "العاب اطفال", "ليغو", "دميه", "بازل", "عربيه اطفال", "ملابس اطفال", "سيكل اطفال", "دبدوب",
  "خيمه", "كرسي رحلات", "كيس نوم", "ثلاجه رحلات", "كشاف", "شوايه", "مضرب بادل", "كوره", "سجاده صلاه", "حامل مصحف", "شنطه سفر",
  "دمبل", "سير مشي", "دراجه", "مطاره", "مايوه",
];

export const PRODUCT_WORDS_ARABIZI: readonly string[] = [
  "abaya", "thob", "shmagh", "fustan", "joota", "shanta", "sa3a", "3ood", "oud", "3etr", "3tr", "misk", "bukhoor", "mab5ara", "jawal",
  "sama3at", "sha7en", "kafar", "gahwa", "dalla", "fanajeen", "tamr", "sukkari", "ma3mool", "chocolate", "7alawa", "roj", "krem",
  "al3ab", "lego", "khaima", "5ayma", "kanab", "zooliya", "shai", "heel", "za3faran", "ma8la", "5alat", "ghallaya",
];
