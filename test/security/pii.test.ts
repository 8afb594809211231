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

  it("never repeats an IV, across refills of the random pool", () => {
    const ivs = Array.from({ length: 2_000 }, (_, i) => {
      const sealed = cipher.encrypt(`x${i}`);
      expect(cipher.decrypt(sealed)).toBe(`x${i}`);
      return sealed.split(".")[1]!;
    });
    expect(new Set(ivs).size).toBe(2_000);
    expect(ivs.every((iv) => Buffer.from(iv, "base64url").length === 12)).toBe(true);
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

  it("generates a key once into its file (mode 600, in a 700 folder) and reuses it", () => {
    const dir = join(tempDir(), "nested");
    const onGenerated = vi.fn();
    const first = resolvePiiKey(undefined, join(dir, "pii.key"), onGenerated);
    const second = resolvePiiKey(undefined, join(dir, "pii.key"), onGenerated);
    expect(first).toBe(second);
    expect(Buffer.from(first, "base64")).toHaveLength(32);
    expect(onGenerated).toHaveBeenCalledTimes(1);
    expect(readFileSync(join(dir, "pii.key"), "utf8").trim()).toBe(first);
    expect(statSync(join(dir, "pii.key")).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("says so when the key's path names a folder", () => {
    expect(() => resolvePiiKey(undefined, tempDir(), () => undefined)).toThrow(/is a folder/);
  });
});

describe("conversation state at rest", () => {
  it("is sealed: mid-registration, neither the national ID nor the phone is in Redis or state.sqlite in clear", async () => {
    const { createHarness, newUser } = await import("../support/harness.js");
    const h = await createHarness();
    try {
      const user = newUser();
      await h.say("telegram", user, "/start");
      await h.tap("telegram", user, "r:consent:yes");
      await h.say("telegram", user, "مریم احمدی");
      await h.contact("telegram", user, "+989121234567");
      // The answer is taken (the next step is asked), so it has passed through the conversation state.
      expect((await h.say("telegram", user, "0012345679")).join("\n")).toContain("سال تولد");
      let values: string[];
      if (h.app.deps.state.kind === "redis") {
        const { Redis } = await import("ioredis");
        const redis = new Redis(process.env.REDIS_URL!);
        const keys = await redis.keys(`${h.config.redis!.prefix}conv:*`);
        values = (await Promise.all(keys.map((k) => redis.get(k)))).map(String);
        redis.disconnect();
      } else {
        const Database = (await import("better-sqlite3")).default;
        const db = new Database(join(h.config.dataDir, "state.sqlite"), { readonly: true });
        values = (db.prepare("SELECT value FROM kv WHERE key LIKE 'conv:%'").all() as { value: string }[]).map(
          (r) => r.value,
        );
        db.close();
      }
      expect(values.length).toBeGreaterThan(0);
      for (const v of values) {
        expect(v).toMatch(/^\{"sealed":"v1\./);
        expect(v).not.toContain("0012345679");
        expect(v).not.toContain("9121234567");
        expect(v).not.toContain("مریم");
      }
    } finally {
      await h.close();
    }
  });
});
