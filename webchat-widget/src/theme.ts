// Theme colour handling: accept only plain hex colours, and pick readable text by WCAG contrast.
// The rule lives in the shared contracts so the dashboard's preview paints the same header.
export { contrastRatio, DEFAULT_COLOR, luminance, safeColor, textOn } from "@kaleem/shared/contracts";
