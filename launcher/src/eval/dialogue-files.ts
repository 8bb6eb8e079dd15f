// Files the dialogue evaluation reads. A dialogue is a list of shopper turns, each with what the
// answer must show; a turn may type text or tap a quick reply the bot offered. Validated so a
// malformed file fails with the path of the bad field.
import { z } from "zod";
import { botSettingsSchema, knowledgeDataSchema } from "@kaleem/shared";
import { readJsonFile } from "@kaleem/workers";

const phrases = z.array(z.string().min(1)).min(1);

export const turnExpectSchema = z
  .object({
    /** Intent stored on the shopper message by the bot (one of). */
    intent: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    /** Text of the answer (bot and system lines of the turn), case- and digit-insensitive. */
    text: z
      .object({
        all: phrases.optional(),
        any: phrases.optional(),
        none: phrases.optional(),
        /** The answer's first line starts with one of these ("No", "لا"). */
        startsWith: phrases.optional(),
      })
      .strict()
      .optional(),
    /** Product cards by the catalog's externalId. */
    cards: z
      .object({
        /** At least one of these is shown. */
        any: z.array(z.string()).min(1).optional(),
        /** The first card is one of these. */
        top: z.array(z.string()).min(1).optional(),
        /** None of these is shown. */
        none: z.array(z.string()).min(1).optional(),
        /** No card at all (true) or at least one (false). */
        empty: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** The conversation is handed to a human after this turn (true) or not (false). */
    handoff: z.boolean().optional(),
    /** The bot answers this turn at all (false: it stays silent, e.g. while a human is awaited). */
    answered: z.boolean().optional(),
    /** The answer carries a placed-order part (true) or not (false). */
    order: z.boolean().optional(),
    /** The answer carries a cart part whose total is this amount. */
    cartTotal: z.number().nonnegative().optional(),
  })
  .strict();
export type TurnExpect = z.infer<typeof turnExpectSchema>;

export const turnSchema = z
  .object({
    /** What the shopper types. */
    say: z.string().min(1).optional(),
    /** Or: tap the first quick reply (or card "add") of the last answer whose payload starts with this. */
    tap: z.string().min(1).optional(),
    expect: turnExpectSchema.default({}),
  })
  .strict()
  .refine((t) => (t.say === undefined) !== (t.tap === undefined), "a turn has exactly one of say or tap");
export type DialogueTurn = z.infer<typeof turnSchema>;

export const dialogueSchema = z
  .object({
    id: z.string().min(1),
    /** Reported per language: en, ar, arabizi, tricky (or any label). */
    lang: z.string().min(1),
    note: z.string().optional(),
    /** Widget locale the visitor opens the chat with. */
    locale: z.enum(["en", "ar"]).optional(),
    turns: z.array(turnSchema).min(1),
  })
  .strict();
export type Dialogue = z.infer<typeof dialogueSchema>;

export const dialoguesFileSchema = z.object({ dialogues: z.array(dialogueSchema).min(1) });

/** The store's knowledge (policies, FAQs, contact) and, optionally, bot settings to apply. */
export const policiesFileSchema = z.object({
  knowledge: z.array(z.object({ title: z.string().min(1), data: knowledgeDataSchema })).min(1),
  bot: botSettingsSchema.partial().optional(),
});
export type PoliciesFile = z.infer<typeof policiesFileSchema>;

/** A catalog in the /products/import format: the rows are sent as they are. */
export const catalogFileSchema = z.object({ products: z.array(z.record(z.string(), z.unknown())).min(1) });

/** Reads and validates one of the evaluation's JSON files (the bad field's path in the error). */
export const readJson = readJsonFile;
