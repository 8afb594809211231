import type { PiiCipher } from "../security/pii.js";
import type { PersonPatch } from "./port/index.js";

/**
 * How the two personal-data fields are kept at rest, shared by both adapters:
 * ciphertext for reading back, blind index for uniqueness and lookup.
 */
export interface SealedPii {
  phoneEnc?: string | null;
  phoneHash?: string | null;
  nationalIdEnc?: string | null;
  nationalIdHash?: string | null;
}

export const phoneIndex = (cipher: PiiCipher, phone: string) => cipher.blindIndex("phone", phone);
export const nationalIdIndex = (cipher: PiiCipher, id: string) => cipher.blindIndex("national-id", id);

/** Seals the PII fields present in a patch; absent fields stay absent. */
export function sealPii(cipher: PiiCipher, patch: PersonPatch): SealedPii {
  const out: SealedPii = {};
  if (patch.phone !== undefined) {
    out.phoneEnc = patch.phone === null ? null : cipher.encrypt(patch.phone);
    out.phoneHash = patch.phone === null ? null : phoneIndex(cipher, patch.phone);
  }
  if (patch.nationalId !== undefined) {
    out.nationalIdEnc = patch.nationalId === null ? null : cipher.encrypt(patch.nationalId);
    out.nationalIdHash = patch.nationalId === null ? null : nationalIdIndex(cipher, patch.nationalId);
  }
  return out;
}

export function openPii(cipher: PiiCipher, sealed: { phoneEnc: string | null; nationalIdEnc: string | null }) {
  return {
    phone: sealed.phoneEnc ? cipher.decrypt(sealed.phoneEnc) : null,
    nationalId: sealed.nationalIdEnc ? cipher.decrypt(sealed.nationalIdEnc) : null,
  };
}
