/** Deep-link payloads Telegram and Bale allow: 1–64 of A–Z a–z 0–9 _ -. */
const PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

/** The source a `/start <payload>` names (a campaign slug or centre code), if well-formed. An invitation or a check-in is not a source. */
export const parseDeepLink = (payload: string): string | undefined => {
  const p = payload.trim();
  return PAYLOAD.test(p) && !p.startsWith("inv_") && !p.startsWith("ci_") ? p : undefined;
};
