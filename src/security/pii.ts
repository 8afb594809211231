import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";

/** Raised when stored ciphertext cannot be opened (wrong key or tampering). */
export class PiiDecryptError extends Error {
  override readonly name = "PiiDecryptError";
}

const VERSION = "v1";

/**
 * AES-256-GCM for personal data at rest, and an HMAC-SHA256 "blind index" so
 * that a national ID or phone can be looked up and kept unique without being
 * stored in the clear. Both keys are derived from one operator secret (HKDF).
 */
export class PiiCipher {
  readonly #encKey: Buffer;
  readonly #macKey: Buffer;

  constructor(secret: string) {
    const ikm = Buffer.from(secret, "utf8");
    this.#encKey = Buffer.from(hkdfSync("sha256", ikm, "hamdel", "pii-encryption", 32));
    this.#macKey = Buffer.from(hkdfSync("sha256", ikm, "hamdel", "pii-blind-index", 32));
  }

  encrypt(plain: string): string {
    const iv = randomIv();
    const cipher = createCipheriv("aes-256-gcm", this.#encKey, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [
      VERSION,
      iv.toString("base64url"),
      cipher.getAuthTag().toString("base64url"),
      body.toString("base64url"),
    ].join(".");
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(".");
    if (version !== VERSION || !iv || !tag || body === undefined)
      throw new PiiDecryptError("unknown ciphertext format");
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#encKey, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    } catch (cause) {
      throw new PiiDecryptError("ciphertext could not be authenticated (wrong PII_KEY?)", { cause });
    }
  }

  /** Keyed hash, stable for one key: used for unique indexes and lookup. */
  blindIndex(kind: string, plain: string): string {
    return createHmac("sha256", this.#macKey).update(`${kind}\u0000${plain}`).digest("base64url");
  }

  /** Constant-time comparison of two blind indexes. */
  static sameIndex(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  }
}

/**
 * A fresh random 96-bit IV for each encryption, cut from a pool filled 4 KiB
 * at a time: one call into the system's random source per 341 IVs instead of
 * one per encryption (every conversation step seals its state). Each IV is
 * still fully random and used once; the pool is handed out, never reused.
 */
const IV_BYTES = 12;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;
function randomIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * 341);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/**
 * Returns the configured key, or in embedded mode the key kept in `keyFile`
 * (`PII_KEY_FILE`, by default `DATA_DIR/pii.key`), generating it once, 0600
 * in a 0700 folder. `onGenerated` is told when a new key was written, so the
 * caller can warn that it must be backed up.
 */
export function resolvePiiKey(
  configured: string | undefined,
  keyFile: string,
  onGenerated: (path: string) => void,
): string {
  if (configured) return configured;
  if (existsSync(keyFile)) {
    if (statSync(keyFile).isDirectory())
      throw new Error(
        `PII_KEY_FILE ${keyFile} is a folder: it must name the key's file (e.g. ${join(keyFile, "pii.key")})`,
      );
    return readFileSync(keyFile, "utf8").trim();
  }
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString("base64");
  writeFileSync(keyFile, key + "\n", { mode: 0o600, flag: "wx" });
  chmodSync(keyFile, 0o600);
  onGenerated(keyFile);
  return key;
}

/** Whether the key file lies inside the data folder (a backup of the folder would carry its own key). */
export function keyInsideDataDir(keyFile: string, dataDir: string): boolean {
  const rel = relative(resolve(dataDir), resolve(keyFile));
  return !rel.startsWith("..") && !isAbsolute(rel);
}
