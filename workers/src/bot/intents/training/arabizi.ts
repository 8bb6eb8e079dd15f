// Arabizi (Gulf/Saudi Arabic in Latin letters and digits) training phrases, written for Kaleem.
// Spellings vary on purpose: shoppers write "abi/abgha/ebgha", "talabi/6alabi".
import type { Intent } from "../types.js";
import type { LanguageFrames, PhraseSet } from "./generate.js";

export const ARABIZI_FRAMES: LanguageFrames = {
  action: [
    "{x}", "abi {x}", "abgha {x}", "ebgha {x}", "ana abi {x}", "kaif {x}", "keef {x}", "shlon {x}", "mumkin {x}", "momken {x}",
    "law sama7t abi {x}", "wdi {x}", "ba3raf kaif {x}", "kaif agdar {x}", "salam, abi {x}", "hala abgha {x}", "abi {x} law sama7t",
    "ma a3ref kaif {x}", "wain {x}",
  ],
  topic: ["{x}", "abi {x}", "mumkin {x}", "bikhsoos {x}", "sou2al 3n {x}", "3ndi moshkela fi {x}", "abgha a3rf 3n {x}", "esti'sar 3n {x}"],
  perPhrase: 3,
  typoRate: 0,
  fillers: ["law sama7t", "ya akhi", "bsr3a", "tayeb", "ya3ni", "alhin", "plz"],
};

export const ARABIZI: Record<Intent, PhraseSet> = {
  product_search: {
    actions: ["ashtri {azproduct}", "adawer {azproduct}", "ashoof {azproduct} 3ndkom", "atlob {azproduct}"],
    topics: ["{azproduct}", "{azproduct} ar5as shay", "{azproduct} aswad", "afdal {azproduct}"],
    sentences: [
      "3ndkom {azproduct}?", "fee {azproduct}?", "abi {azproduct} aswad", "abgha {azproduct} a8al min 200", "adawer {azproduct} lil3eed",
      "wareeni {azproduct}", "wesh 3ndkom min {azproduct}", "abi hadiya l omi", "3ndkom shay lil atfal", "abi {azproduct} asli",
      "abi {azproduct}", "ebgha {azproduct} bain 100 w 200", "fee shay ar5as",
    ],
  },
  product_question: {
    actions: ["a3rf se3r {azproduct}", "a3rf eza mawjood", "a3rf el ma8asat"],
    topics: ["se3r hatha", "ma8asat {azproduct}", "el dhaman"],
    sentences: [
      "fee ma8as large?", "bkam el {azproduct}", "{azproduct} bkam", "fee size medium?",
      "bkam hatha", "kam se3ra", "kam si3r {azproduct}", "hatha mawjood?", "mutawaffer?", "fee lon thani?", "wesh el alwan", "wesh el ma8asat",
      "asli wala taqleed", "3laih dhaman?", "kam ml el 3etr", "re7ta thabta?", "wesh el far8 bain hatha w hatha", "mata yetwaffar",
    ],
  },
  shipping: {
    actions: ["a3rf kam el tawseel", "a8ayer 3nwan el sha7n", "aghayer el 3nwan", "adeef 3nwan jdeed", "a3rf mata yewsal"],
    topics: ["el sha7n", "el tawseel", "rusoom el sha7n", "muddat el tawseel", "3nwan el tawseel"],
    sentences: [
      "twasloon riyadh?", "twasloon jeddah", "kam el tawseel", "kam yoom yewsal", "el sha7n majani?", "fee tawseel majani", "tesh7noon barra?",
      "meen sharikat el sha7n", "el 3nwan ghalat", "kam ta5th el sha7na", "tawseel nafs el yoom fee?", "mata yewsal el 6alab 3ada",
    ],
  },
  returns_refunds: {
    actions: ["arja3 el montaj", "astarje3 floosi", "abaddel el ma8as", "a3rf siyasat el estirja3"],
    topics: ["el estirja3", "el isterdad", "siyasat el irja3", "rusoom el elgha2"],
    sentences: [
      "abi floosi", "wain floosi", "raja3t el montaj w ma rj3t el floos", "el montaj wasal 5arban", "abi arja3 el 6alab", "kam yoom lil estirja3",
      "fee rusoom 3la el elgha2?", "mata tarja3 el floos", "abi a3wee'9", "el ma8as ma 9ba6 abi abadla",
    ],
  },
  payment: {
    actions: ["adfa3 kash", "adfa3 b mada", "adfa3 b apple pay", "adfa3 bel ta8seet", "a3rf 6ur8 el daf3"],
    topics: ["el daf3", "el daf3 3nd el estilam", "6ur8 el daf3", "tabby w tamara"],
    sentences: [
      "abi a8sa6", "fee ta8seet?",
      "tgbloon mada?", "fee daf3 3nd el estilam", "agdar adfa3 kash", "fee tabby?", "fee tamara?", "el daf3 ma yemshi", "el bitaga enrafa'9at",
      "en5a9am el mablagh marteen", "6ala3 li 5a6a2 fel daf3", "kaif adfa3",
    ],
  },
  order_status: {
    actions: ["atatabba3 6alabi", "a3rf wain talabi", "a3rf 7alat el talab"],
    topics: ["7alat el talab", "talabi", "el sha7na", "ra8m el tatabbo3"],
    sentences: [
      "wain talabi", "wain 6alabi {order}", "talabi ma wasal", "6alabi t2a5ar", "wesh 9ar 3la talabi", "lil7in ma wasalni el talab",
      "6alabt min osboo3 w ma wasal shay", "abi ra8m el tatabbo3", "talabi {order} wain wasal", "hal 6alabi enshe7an?",
    ],
  },
  order_change: {
    actions: ["algi talabi", "alghi el talab {order}", "a3adel el 6alab", "aghayer el 6alab", "adeef 8e6'3a lil 6alab", "akansel el talab"],
    topics: ["elgha2 el talab", "ta3deel el talab", "kansalat el 6alab"],
    sentences: [
      "abi algi talabi", "alghoo el talab", "kanslo el 6alab law sama7t", "ma abi el talab 5alas", "6alabt bel8alat alghooh", "abi a3adel 3la el talab",
      "cancel el talab {order}",
    ],
  },
  purchase: {
    actions: ["ashtri", "atlob", "adeefa lil salla", "akammel el talab", "akammel el shera"],
    topics: ["el salla", "el shera", "tareeqat el 6alab"],
    sentences: ["deefa lil salla", "abeeh", "abgha", "ba5utha", "kammel el talab", "abi atlob", "7u6a fel salla", "6alab wa7ed min hatha", "kaif atlob min 3ndkom"],
  },
  human: {
    actions: ["akalim mowazaf", "akallem 5idmat el 3omala", "atkallam m3 insan", "arfa3 shakwa", "ashtki", "akalim el modeer"],
    topics: ["5idmat el 3omala", "mowazaf", "shakwa", "el da3m el fanni"],
    sentences: [
      "abi akalim mowazaf", "abgha mowazaf", "7awelni 3la mowazaf", "mowazaf law sama7t", "abi insan mo robot", "3ndi shakwa", "abi ashtki",
      "ra8m 5idmat el 3omala", "kaif atwasal m3kom", "el bot ma fahamni abi mowazaf", "abi a7ad 7a8ee8i", "abi akalim a7ad",
    ],
  },
  account: {
    actions: ["aftah 7sab", "asawi 7sab jdeed", "asajel", "a7thef 7sabi", "aghayer el password", "astarje3 el password", "ad5ol 7sabi", "a3adel bayanati"],
    topics: ["7sabi", "el tasjeel", "kalimat el sir", "7athf el 7sab"],
    sentences: ["naseet el password", "naseet kalimat el sir", "ma agdar ad5ol 7sabi", "ma agdar asajel", "ma wasalni el code", "7sabi mgfool", "abi a7thef 7sabi"],
  },
  invoice: {
    actions: ["a6alle3 el fatora", "a7ammel el fatora", "ashoof el fatora"],
    topics: ["el fatora", "fatorat el talab", "fatora dharebiya"],
    sentences: ["abi el fatora", "wain el fatora", "arsloli el fatora", "ma wasaltni fatora", "el fatora feeha 5a6a2"],
  },
  newsletter: {
    actions: ["ashtrek fel nashra", "algi el eshtirak fel nashra", "awa8ef el emailat"],
    topics: ["el nashra el bareediya", "el eshtirak fel nashra"],
    sentences: ["wa8foo el rasayel", "la tarsiloon li emailat", "abi ashtrek bel nashra", "shiloo emaili min el nashra"],
  },
  feedback: {
    actions: ["aktob ta8yeem", "a8ayem el montaj", "a3teekom mola7atha", "a8addem e8tira7"],
    topics: ["ta8yeem el montaj", "ra2yi fel 5idma", "e8tira7"],
    sentences: ["5idmatkom momtaza", "el montaj ra2e3", "el tawseel kan saree3 ya3teekom el 3afya", "3ndi e8tira7", "wain aktob ta8yeem"],
  },
  greeting: {
    sentences: [
      "salam", "assalam 3alaikum", "alsalam alaykum", "salam 3likom", "hala", "halaa", "hala wallah", "ahlan", "marhaba", "mar7aba", "hii",
      "9aba7 el 5air", "masa el 5air", "shukran", "shokran", "ya3tik el3afya", "mashkoor", "tislam", "ma3a salama", "shlonk", "kaifak", "hala w ghala",
    ],
  },
  other: {
    sentences: ["kam el sa3a", "wesh el jaw el yoom", "gool nokta", "meen faz", "wesh ismak", "enta robot?", "tamam", "okay", "na3am", "la", "6ayeb", "wain maw8e3kom"],
  },
};
