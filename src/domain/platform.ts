/** The messengers Hamdel runs on; what differs between them is in `src/platforms/capabilities.ts`. */
export const PLATFORMS = ["telegram", "bale"] as const;
export type Platform = (typeof PLATFORMS)[number];
