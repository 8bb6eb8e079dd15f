// The bot's text normalization lives in shared (the store's search folds text the same way).
export * from "@kaleem/shared/text";
