import { parseDeepLink } from "../domain/deep-link.js";
import type { Store } from "../store/port/index.js";

/**
 * The registration source a `/start <payload>` names, only when it is a
 * centre or a campaign that exists: an unknown payload is kept nowhere (not
 * as a source, not in a report, not in a log). Invitations are handled before.
 */
export async function knownSource(store: Store, payload: string): Promise<string | undefined> {
  const source = parseDeepLink(payload);
  if (!source) return undefined;
  const [centre, campaign] = await Promise.all([store.centres.getCentre(source), store.campaigns.get(source)]);
  return centre || campaign ? source : undefined;
}
