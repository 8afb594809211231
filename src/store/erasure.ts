import type { PiiCipher } from "../security/pii.js";
import type { ErasedPerson, NewIdentity } from "./port/index.js";

/**
 * The stable pseudonym that replaces an erased person's accounts in the
 * records of who did what (`erased-…`): the same for every record of theirs,
 * so an auditor still sees one actor's actions together, and keyed with the
 * deployment's secret, so it cannot be turned back into an account id.
 */
export function erasurePseudonyms(cipher: PiiCipher, personId: string, identities: NewIdentity[]): ErasedPerson {
  return {
    identities,
    actorIds: identities.map((i) => `${i.platform}:${i.userId}`),
    pseudonym: `erased-${cipher.blindIndex("erased-person", personId).slice(0, 16)}`,
  };
}
