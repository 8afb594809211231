import type { StorageAdapter } from "grammy";
import type { PiiCipher } from "../security/pii.js";
import type { StateBackend } from "./backend.js";

/**
 * Seals every value written through `storage()` with the PII key (AES-256-GCM)
 * and opens it on read. Conversation state holds what a person answered in
 * the current step — a national ID, a phone — and the updates themselves, so
 * it is personal data at rest in Redis or `state.sqlite` like any other. A
 * value that cannot be opened (written before sealing, another key) reads as
 * absent: the conversation starts again from the draft in the store.
 */
export function sealedState(inner: StateBackend, cipher: PiiCipher): StateBackend {
  return {
    ...inner,
    storage<T>(namespace: string): StorageAdapter<T> {
      const raw = inner.storage<{ sealed: string }>(namespace);
      return {
        async read(key) {
          const value = await raw.read(key);
          if (!value || typeof value.sealed !== "string") return undefined;
          try {
            return JSON.parse(cipher.decrypt(value.sealed)) as T;
          } catch {
            return undefined;
          }
        },
        write: (key, value) => raw.write(key, { sealed: cipher.encrypt(JSON.stringify(value)) }),
        delete: (key) => raw.delete(key),
      };
    },
  };
}
