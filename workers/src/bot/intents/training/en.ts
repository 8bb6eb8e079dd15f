// English training phrases, written for Kaleem in the words shoppers of a Saudi online store use
// in a chat (short, informal, often with a Gulf turn of phrase or a loanword). Frames carry the
// ways a request is wrapped; actions/topics carry the intent; sentences are whole messages.
import type { Intent } from "../types.js";
import type { LanguageFrames, PhraseSet } from "./generate.js";

export const ENGLISH_FRAMES: LanguageFrames = {
  action: [
    "{x}", "{x} please", "{x} pls", "please {x}", "pls {x}", "plz {x}", "i want to {x}", "i wanna {x}", "i need to {x}", "i have to {x}",
    "i've got to {x}", "i'd like to {x}", "i would like to {x}", "how do i {x}", "how can i {x}", "how to {x}", "how could i {x}",
    "can i {x}", "could i {x}", "can you {x}", "can u {x}", "could you {x} for me", "help me {x}", "help me to {x}", "can you help me {x}",
    "could you help me to {x}", "i need help to {x}", "i need your help to {x}", "i need assistance to {x}", "where can i {x}", "where do i {x}",
    "where could i {x}", "what do i have to do to {x}", "what should i do to {x}", "what do i need to do to {x}", "i don't know how to {x}",
    "is it possible to {x}", "tell me how to {x}", "show me how to {x}", "i'm trying to {x}", "i tried to {x} but it's not working",
    "i can't {x}", "i cannot {x}", "hi, i want to {x}", "hello, can i {x}?", "salam, i need to {x}", "hey i wanna {x}", "bro how do i {x}",
    "is there a way to {x}", "would it be possible to {x}", "i was wondering how to {x}", "i want to {x} asap", "quick question, can i {x}",
    "any way to {x}?", "i need to {x} today", "ok so i want to {x}", "i'm looking for a way to {x}", "let me {x}", "what's the way to {x}",
  ],
  gerund: [
    "help {x}", "help with {x}", "help me with {x}", "i need help {x}", "question about {x}", "problem {x}", "i have a problem {x}",
    "trouble {x}", "i'm having trouble {x}", "issue {x}", "i have an issue {x}", "could you help me with {x}", "i'm interested in {x}",
  ],
  topic: [
    "{x}", "about {x}", "{x}?", "what about {x}", "question about {x}", "i have a question about {x}", "info on {x}", "information about {x}",
    "i need information about {x}", "tell me about {x}", "help with {x}", "i need help with {x}", "can you help me with {x}", "problem with {x}",
    "regarding {x}", "any info about {x}?", "quick q about {x}", "i want to know about {x}", "i'm asking about {x}",
  ],
  perPhrase: 3,
  typoRate: 0.18,
  fillers: ["please", "pls", "just", "really", "actually", "now", "quickly", "kindly", "guys", "again", "bro", "habibi", "inshallah", "thanks"],
};

export const ENGLISH: Record<Intent, PhraseSet> = {
  product_search: {
    actions: [
      "find a {product}", "buy a {product}", "see your {product}", "get a {product} under 200 riyals", "find {product} in black",
      "find a cheap {product}", "get a {product} as a gift", "find something for my wife", "find a present for my dad", "see new arrivals",
      "see what you have for eid", "find {product} for kids", "order a {product}", "shop for {product}", "see the best sellers",
      "find something for a newborn", "get stuff for a desert trip", "find something to keep me warm", "find a gift for my mum's birthday",
    ],
    topics: ["{product}", "{product} options", "{product} under 300", "your {product}", "cheap {product}", "{product} prices", "best {product}", "gift ideas"],
    sentences: [
      "do you have {product}", "do you sell {product}", "do you have {product} in white", "got any {product}?", "any {product}?", "u have {product}?",
      "looking for {product}", "i'm looking for a {product}", "show me {product}", "show me your {product}", "show me {product} under 150",
      "{product}", "{product} under 100 sar", "{product} black", "{product} size large", "looking for {product} for my son", "what {product} do you have",
      "which {product} do you recommend", "recommend a {product}", "suggest a nice {product}", "i need a {product}", "i need a gift for my mother",
      "what can i get my husband", "something for a newborn", "a perfume that lasts long", "cheapest {product} you have", "any {product} on sale?",
      "i want a red {product}", "need {product} between 100 and 200 riyals", "anything like {product}?", "what's new", "any offers on {product}",
      "gifts for eid", "something for ramadan", "show me more like this", "more options please", "other colours?", "what else do you have",
      "we're going camping, what do we need", "we have guests this weekend", "something to keep warm in winter", "what's good for the gym",
      "my daughter is 6, what toys do you have", "hi, do you have {product}?", "salam, is there {product}?", "i want something for my mom under 200",
      "a gift for my wife", "birthday present for my sister", "anything for a baby shower", "stuff for school",
    ],
  },
  product_question: {
    actions: [
      "know the price of the {product}", "know if this is in stock", "check if it comes in other colours", "know the size of this",
      "know what it's made of", "know if it's original", "check if this is available", "know how many ml this perfume is",
      "compare these two", "know if this fits a medium", "know the warranty on the {product}", "know when this is back in stock",
    ],
    topics: ["the price of this", "the material", "the size chart", "the specs of the {product}", "this product", "the warranty", "the sizes"],
    sentences: [
      "how much is this", "how much is the {product}", "how much is that one", "how much for the second one", "price?", "what's the price",
      "is this in stock", "is it available", "still available?", "do you have it in xl", "does it come in blue", "what colours does it come in",
      "what sizes do you have", "do you have it in 42", "size 44?", "what is it made of", "is it cotton", "is it original", "is it real leather",
      "does it have a warranty", "is the {product} waterproof", "how big is it", "how many ml", "does the perfume last", "what does it smell like",
      "is it ok for kids", "what age is this for", "which one is better", "what's the difference between the two", "is it true to size",
      "when will it be back", "does it come with a charger", "tell me more about it", "more details on the first one", "how long does the battery last",
      "where is it made", "how heavy is it", "what's in the box", "is the black one cheaper", "the second one how much", "does it fit a small",
    ],
  },
  shipping: {
    actions: [
      "order from {country} and get it delivered", "buy from {country}", "place an order from {city}", "check the delivery options to {country}",
      "check the shipping cost", "see the delivery options", "know the delivery time to {city}", "know when my package will arrive", "estimate the arrival date", "see which shipping methods you have", "check if you offer same day delivery", "use a different address for delivery", "add a second delivery address", "set a new shipping address", "edit my shipping address", "correct the address", "get it shipped to {country}", "know if there is free shipping",
      "know how much delivery is", "check the delivery fee to {city}", "know how long delivery takes", "get it delivered to {city}",
      "change my delivery address", "update the address", "fix the address on my order", "get express delivery", "get it tomorrow",
      "know if you ship to {country}", "order from {country}", "pick it up instead", "know which courier you use", "get free shipping",
    ],
    topics: ["delivery", "shipping", "delivery fees", "shipping cost", "delivery time", "my delivery address", "international shipping", "express delivery", "free shipping"],
    sentences: [
      "how soon can i get it", "when can i expect my item", "what are the delivery options", "which shipping methods are available", "is express shipping available", "do you have international shipping", "the shipping address is wrong", "my address changed", "i need to update my shipping address", "can i change the delivery address", "how many days does shipping take", "do you ship to my city", "deliveries to {city}?", "shipping cost to {country}?", "can i order from {country}",
      "do you deliver to {city}", "do you ship to {country}", "delivery to {city}?", "shipping to {country}?", "how much is delivery", "how much is shipping to {city}",
      "how long does delivery take", "how many days to {city}", "when will it arrive", "how fast is delivery", "is delivery free", "free delivery over 300?",
      "is shipping free if i spend 500", "do you deliver on friday", "same day delivery in {city}?", "can i get it tomorrow", "what courier do you use",
      "do you use aramex or smsa", "do you ship outside saudi", "can you deliver to my work address", "i put the wrong address", "i moved, new address",
      "and {city}?", "what about {city}", "how much to {city}", "delivery fee?", "shipping?", "can i pick it up from your shop", "do you deliver to villages",
      "how much is shipping to the uae", "whats the delivery charge", "is there cash on delivery shipping fee",
    ],
  },
  returns_refunds: {
    actions: [
      "check my reimbursement", "get compensation for a damaged item", "know about your money back guarantee", "follow up on my refund", "see the refund policy", "check in what cases i can get a refund",
      "get reimbursed", "ask for a refund", "request a refund", "claim a refund", "return a faulty item", "send back the product", "check the status of my refund", "see if my refund went through", "know the cancellation charges", "know how much it costs to cancel", "check your money back guarantee", "know in which cases i can get a refund",
      "return an item", "return this", "send it back", "send something back", "send an item back", "send the order back", "exchange the size", "swap it for another colour", "get a refund", "get my money back",
      "know your return policy", "check my refund", "know when i get my money back", "return a damaged item", "return order {order}",
    ],
    topics: ["returns", "refunds", "the return policy", "exchanges", "my refund", "refund status", "the cancellation fee"],
    sentences: [
      "any news on my reimbursement", "i want compensation, the item was damaged", "what's your money back guarantee", "is there a penalty if i cancel", "how much do you charge for cancelling",
      "i want to be reimbursed", "has my refund been processed", "is my refund on its way", "any news on my refund", "refund status", "do i get a full refund", "is there a restocking fee", "what are the cancellation charges", "how much does it cost to cancel", "the product is fake, i want a refund", "i received a broken item", "the item is defective", "money back please", "i paid for an item and want a refund",
      "what's your return policy", "can i return it", "can i return it after 20 days", "can i return a perfume i opened", "can i exchange the size",
      "it doesn't fit, can i swap it", "i want my money back", "refund please", "my refund hasn't come", "where is my refund", "how long do refunds take",
      "the item came broken", "i got the wrong item", "it arrived damaged i want a refund", "how many days do i have to return", "are returns free",
      "do you refund the delivery fee", "is there a fee to cancel", "i sent it back, where's my money", "i returned it last week, no refund yet",
      "can i return sale items", "do you do exchanges", "the size is wrong", "is there a return window",
      "is it too late to send it back", "can things be sent back after a month",
    ],
  },
  payment: {
    actions: [
      "report a payment problem", "fix a payment error", "sort out a payment issue", "update my payment method", "add a new card", "remove my saved card", "use a gift card", "pay with paypal", "complete my payment", "pay by credit card",
      "pay cash on delivery", "pay with mada", "pay with apple pay", "pay with tabby", "pay with tamara", "pay in installments", "pay by card",
      "pay with stc pay", "pay by bank transfer", "split the payment", "change the payment method", "know the payment options",
    ],
    topics: ["payment", "payment methods", "cash on delivery", "installments", "tabby", "a payment problem", "apple pay"],
    sentences: [
      "my transaction was declined", "the transaction failed", "my bank rejected the payment", "the payment keeps failing", "i was charged twice", "money was deducted twice", "error when paying", "can i pay later", "buy now pay later?", "do you accept debit cards", "do you accept mastercard", "which cards do you accept", "do you take paypal", "payment error", "i can't complete the payment", "why was my card rejected", "what payment options are there",
      "do you accept mada", "do you take apple pay", "is cash on delivery available", "can i pay cash", "can i pay when it arrives", "cod?", "cod available?",
      "do you have tabby", "is tamara available", "can i pay in 4", "can i split it", "do you accept visa", "do you accept credit cards",
      "how can i pay", "what payment methods do you have", "my card was declined", "payment failed", "it charged me twice", "the payment page is stuck",
      "i paid but the order says unpaid", "the otp never arrives", "is it safe to pay here", "can i pay by bank transfer", "is there a cod fee",
      "payment not going through", "money was taken but no order",
    ],
  },
  order_status: {
    actions: [
      "check the status of purchase {order}", "locate purchase {order}", "see where purchase {order} is", "know the estimated arrival of order {order}", "check when purchase {order} arrives",
      "locate my package", "trace my parcel", "follow my shipment", "check the status of my order", "find out where my package is", "get an update on my order", "check if my order was dispatched", "know when my order will be delivered","track my order", "track order {order}", "check my order", "see where my order is", "check if my order shipped", "get the tracking number"],
    topics: ["my order", "order {order}", "my order status", "tracking", "my package", "my shipment"],
    sentences: [
      "where is purchase {order}", "status of my purchase", "has purchase {order} shipped", "when does my purchase arrive", "what's the delivery date of order {order}",
      "where's my package", "where is my parcel", "has my parcel left", "has my order been dispatched", "has my order been processed", "is my order ready", "my shipment hasn't arrived", "what's happening with my order", "tracking for {order}", "why hasn't my order shipped", "i still haven't received my order", "when will order {order} be delivered",
      "where is my order", "where's my order {order}", "order {order}", "status of order {order}", "has my order shipped", "my order hasn't arrived",
      "still no order", "i ordered last week and nothing came", "when will my order arrive", "is my order on the way", "tracking number please",
      "any update on my order", "my order is late", "it's been 5 days, where is it", "order number {order}", "#{order} where is it", "did you ship {order}",
      "i want to check my order", "whats the status of my order", "my package?", "when does {order} get here", "is {order} out for delivery",
    ],
  },
  order_change: {
    actions: [
      "add some items to my order", "add a few items to purchase {order}", "remove a product from purchase {order}", "change some items in order {order}", "swap a few items in my purchase", "edit purchase {order}", "cancel purchase {order}", "modify purchase {order}",
      "modify my order", "update my order", "amend my order", "replace an item in my order", "swap an item in my order", "call off my order", "stop my order", "cancel my purchase", "cancel an item in my order", "fix a mistake in my order",
      "cancel my order", "cancel order {order}", "change my order", "change the size in my order", "change the colour in my order",
      "add something to my order", "remove an item from my order", "change the quantity", "cancel before it ships", "edit my order",
    ],
    topics: ["cancelling my order", "changing my order", "order {order} changes", "an order cancellation"],
    sentences: [
      "i need to swap some items in my purchase", "i want to add items to order {order}", "i want to remove something from purchase {order}",
      "i made a mistake in my order", "i want my order cancelled", "cancellation of order {order}", "i don't need the order anymore", "can i cancel what i just bought", "i need to change something in my order before it ships", "i want to swap one item in my order",
      "i want to cancel my order", "please cancel {order}", "cancel it please", "i don't want the order anymore", "i ordered by mistake",
      "i changed my mind, cancel it", "can i still change my order", "i ordered the wrong size", "can i add one more item to my order",
      "remove the black one from my order", "change the quantity to 3", "cancel order", "cancel the order i just made", "can i edit my order",
    ],
  },
  purchase: {
    actions: [
      "buy some of your products", "purchase some items from you", "buy a few things", "order some products", "get some of your products", "purchase several items",
      "make a purchase", "place a new order", "buy some items", "purchase this", "put it in my basket", "proceed to checkout", "complete my purchase", "finish my order", "order something from your store","buy this", "order this", "add this to my cart", "add it to the cart", "add 2 to my cart", "checkout", "go to checkout", "place the order", "pay now", "order it"],
    topics: ["my cart", "the checkout", "ordering", "placing an order"],
    sentences: [
      "i want to buy some of your products", "how can i purchase something", "i'd like to place an order for a few items", "i want to purchase some items from your store",
      "can i order on your website", "how does ordering work", "how do i buy from your store", "i'm ready to pay for my cart", "i want to make an order", "where do i order",
      "add to cart", "i'll take it", "i'll take the first one", "i want to buy it", "checkout please", "i want to order", "take me to checkout",
      "i'd like 2 of those", "buy now", "complete the order", "add one more", "put 3 in my cart", "yes add it", "i want this one",
      "order it for me", "how do i order", "can i order through the chat", "i want to place an order", "add the black one", "i want the second one",
      "give me two", "confirm the order", "show my cart",
    ],
  },
  human: {
    actions: [
      "file a claim against your company", "make a formal complaint", "lodge a complaint", "open a complaint", "submit a complaint about your service", "report bad service",
      "contact customer service", "reach your support team", "speak with a representative", "chat with an agent", "file a complaint", "complain about the service", "escalate my issue", "contact the help desk", "get in touch with your team", "speak to a staff member","talk to a person", "speak to someone", "talk to customer service", "speak to an agent", "talk to a real person", "make a complaint", "speak to the manager", "talk to a human"],
    topics: ["customer service", "a complaint", "a real person", "an agent", "support"],
    sentences: [
      "i want to file a claim", "i want to make a formal complaint", "how do i lodge a complaint", "who do i complain to",
      "i want to make a complaint about your staff", "i'm not happy with your service, i want to complain", "is there a live agent", "are you a bot? i want a real person", "i need to speak to a human being", "can i speak to someone in charge", "representative", "operator please", "stop the bot, human", "i had a bad experience and want to complain",
      "human please", "agent", "real person please", "i want a human", "let me talk to someone", "this bot is useless", "get me a person",
      "i have a complaint", "i want to complain", "your service is bad", "connect me to support", "can someone call me", "transfer me to an agent",
      "i need a person not a bot", "talk to human", "customer service", "complaint", "call me please", "is anyone there? i want a person",
      "i want to speak with the team", "can i talk to someone from the store",
    ],
  },
  account: {
    actions: [
      "open a new account", "close my account", "deactivate my profile", "edit my profile", "update my personal details", "recover my password", "retrieve my username", "verify my account", "unlock my account", "switch accounts", "change my phone number on my profile","create an account", "sign up", "register", "delete my account", "change my password", "reset my password", "log in", "log out", "change my email", "update my phone number"],
    topics: ["my account", "my password", "signing up", "login", "account deletion"],
    sentences: [
      "i lost my password", "password reset link doesn't work", "i didn't receive the verification code", "registration isn't working", "the sign up page shows an error", "i have two accounts", "my username is wrong", "i want to change my account name", "how do i become a member", "i'm not registered yet", "login problem", "forgot my pin",
      "i forgot my password", "can't log in", "i can't sign in", "the code never comes", "my account is locked", "i want to delete my account",
      "do i need an account to order", "how do i sign up", "change the email on my account", "update my number on the account", "login not working",
    ],
  },
  invoice: {
    actions: [
      "see my invoice", "find my invoice", "print the invoice", "get a copy of my bill", "check my billing history", "see my last bill", "download my receipt", "request a tax invoice","get my invoice", "download the invoice", "get a tax invoice", "get a receipt", "get the invoice for order {order}"],
    topics: ["my invoice", "the invoice", "a vat invoice", "the receipt", "the bill"],
    sentences: [
      "where can i find my invoice", "i need the invoice for my order", "how do i get my invoices", "i want to see my bills", "bill please", "where's the receipt for my order", "i need an invoice with my company's tax number",
      "i need the invoice", "send me the invoice", "where is my receipt", "i didn't get an invoice", "i need a vat invoice with my company name",
      "the invoice has the wrong name", "invoice for order {order}", "can you email me the receipt", "invoice please",
    ],
  },
  newsletter: {
    actions: [
      "subscribe to the newsletter", "sign up for the newsletter", "unsubscribe from the newsletter", "cancel my newsletter subscription", "stop receiving your emails", "opt out of marketing emails", "be added to the mailing list", "remove my email from the mailing list","subscribe to your offers", "unsubscribe", "stop your emails", "stop the sms offers", "get your offers by email", "join the mailing list"],
    topics: ["the newsletter", "your offers by email", "marketing messages", "promo sms"],
    sentences: [
      "newsletter", "stop sending me emails", "i no longer want the newsletter", "sign me up for news and offers", "is there a newsletter", "newsletter signup", "i want to be told about sales by email",
      "stop sending me messages", "too many promo emails", "remove me from the list", "i want to get your offers", "unsubscribe me", "do you have a newsletter",
      "stop the whatsapp offers", "send me your deals",
    ],
  },
  feedback: {
    actions: [
      "write a review", "submit feedback", "give my opinion", "rate the product", "post a comment about a product", "tell you what i think", "rate my experience", "send you a suggestion","leave a review", "rate my order", "give feedback", "share my experience", "make a suggestion", "rate the delivery"],
    topics: ["a review", "my feedback", "a suggestion", "rating my order"],
    sentences: [
      "where can i rate my order", "how do i review my purchase", "your service is amazing", "i love your store", "the product was excellent", "i'd like to give feedback", "great experience, keep it up", "the service was good", "i want to share my opinion",
      "amazing service", "the abaya is beautiful, thank you", "delivery was super fast, well done", "lovely packaging", "the quality is great",
      "i have a suggestion", "where can i write a review", "your app needs work", "5 stars", "the perfume smells amazing", "not happy with the quality",
      "the driver was rude",
    ],
  },
  greeting: {
    sentences: [
      "hi", "hello", "hey", "hey there", "hi there", "good morning", "good evening", "hiya", "salam", "salam alaikum", "assalamu alaikum", "hala",
      "thanks", "thank you", "thank you so much", "thx", "ty", "ok thanks", "thanks a lot", "bye", "goodbye", "see you", "have a nice day",
      "hello, anyone there?", "hi how are you", "hey how's it going", "morning", "hi team", "thanks for your help", "perfect, thank you",
      "appreciate it", "hello!!", "jazakallah khair", "shukran",
    ],
  },
  other: {
    sentences: [
      "how is the weather in {city} today", "tell me a joke", "who won the match", "how do i cook kabsa", "what's the news", "recommend a movie",
      "what time is it", "what is your name", "are you a robot", "who made you", "ok", "yes", "no", "maybe", "hmm", "lol", "what", "test",
      "i'm bored", "how old are you", "what's 2 plus 2", "translate this to french", "are you hiring", "can i work with you",
      "can i become a supplier", "who owns this store", "nothing", "never mind", "what are your opening hours", "do you have a shop in riyadh",
      "where are you located", "do you wrap gifts",
    ],
  },
};
