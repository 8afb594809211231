import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { PiiCipher, PiiDecryptError, resolvePiiKey } from "../../src/security/pii.js";
import { tempDir } from "../support/config.js";

describe("PiiCipher", () => {
  const cipher = new PiiCipher("a-long-enough-secret-for-the-test-suite");

  it("round-trips Persian and digits, with a fresh IV each time", () => {
    const a = cipher.encrypt("۰۰۱۲۳۴۵۶۷۸");
    const b = cipher.encrypt("۰۰۱۲۳۴۵۶۷۸");
    expect(a).not.toBe(b);
    expect(a).not.toContain("۰۰۱۲");
    expect(cipher.decrypt(a)).toBe("۰۰۱۲۳۴۵۶۷۸");
  });

  it("detects tampering and a wrong key", () => {
    const sealed = cipher.encrypt("09121234567");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0]! ^= 1;
    parts[3] = body.toString("base64url");
    expect(() => cipher.decrypt(parts.join("."))).toThrow(PiiDecryptError);
    expect(() => new PiiCipher("another-secret-of-sufficient-length!!").decrypt(sealed)).toThrow(PiiDecryptError);
    expect(() => cipher.decrypt("plain-text")).toThrow(PiiDecryptError);
  });

  it("makes a stable keyed index that differs by kind and by key", () => {
    expect(cipher.blindIndex("phone", "09121234567")).toBe(cipher.blindIndex("phone", "09121234567"));
    expect(cipher.blindIndex("phone", "09121234567")).not.toBe(cipher.blindIndex("national-id", "09121234567"));
    expect(new PiiCipher("another-secret-of-sufficient-length!!").blindIndex("phone", "09121234567")).not.toBe(
      cipher.blindIndex("phone", "09121234567"),
    );
  });
});

describe("resolvePiiKey", () => {
  it("prefers the configured key and writes nothing", () => {
    const dir = tempDir();
    const onGenerated = vi.fn();
    expect(resolvePiiKey("configured-key-configured-key-12345", dir, onGenerated)).toBe(
      "configured-key-configured-key-12345",
    );
    expect(onGenerated).not.toHaveBeenCalled();
  });

  it("generates a key once into DATA_DIR (mode 600) and reuses it", () => {
    const dir = join(tempDir(), "nested");
    const onGenerated = vi.fn();
    const first = resolvePiiKey(undefined, dir, onGenerated);
    const second = resolvePiiKey(undefined, dir, onGenerated);
    expect(first).toBe(second);
    expect(Buffer.from(first, "base64")).toHaveLength(32);
    expect(onGenerated).toHaveBeenCalledTimes(1);
    expect(readFileSync(join(dir, "pii.key"), "utf8").trim()).toBe(first);
    expect(statSync(join(dir, "pii.key")).mode & 0o777).toBe(0o600);
  });
});
