// Keyset pagination lives with the adapter-independent store rules (every adapter pages alike).
export { clampLimit, readCursor, toPage, toPageJson } from "../../store/paging.js";
