import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createI18n } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { PiiCipher } from "../../src/security/pii.js";
import { HttpServer } from "../../src/server/http.js";
import { mountVerifyPage, VERIFY_LIMITS } from "../../src/server/verify.js";
import { newCertificateCode, verifyCertificate } from "../../src/services/service-day/certificate.js";
import { createMemoryState } from "../../src/state/index.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import type { Store } from "../../src/store/port/index.js";
import { tempDir } from "../support/config.js";

/** A GET with the headers given (node:http: fetch cannot set every header). */
const get = (port: number, path: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    request({ host: "127.0.0.1", port, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    })
      .on("error", reject)
      .end();
  });

describe("/verify", () => {
  let server: HttpServer;
  let store: Store;
  afterEach(async () => {
    await server?.close();
    await store?.close();
  });

  async function serve(trustProxy: string[] = []) {
    store = openSqliteStore(tempDir(), new PiiCipher("k".repeat(40)));
    const { person } = await store.people.ensure({ platform: "bale", userId: "1", chatId: "1" });
    await store.people.update(person.id, { registeredAt: new Date() });
    server = new HttpServer(createLogger("silent"));
    const state = createMemoryState(60);
    mountVerifyPage(server, store, await createI18n(), createLogger("silent"), {
      takeToken: (k, b, r) => state.takeToken(k, b, r),
      trustProxy,
    });
    return { port: await server.listen(0, "127.0.0.1"), personId: person.id };
  }

  it("is the organisation's page: its name, what the page is for, what it keeps, an icon, and no outside load", async () => {
    const { port } = await serve();
    const page = await get(port, "/verify");
    expect(page.status).toBe(200);
    expect(page.body).toContain("سازمان بهزیستی کشور · طرح همدل");
    expect(page.body).toContain("کد درستی‌سنجی پایین گواهی خدمت را بنویسید");
    expect(page.body).toContain("چیزی از پرسنده نگه نمی‌دارد");
    expect(page.body).toMatch(/<link rel="icon" href="data:image\/svg\+xml,/);
    expect(page.body).not.toMatch(/(src|href)="https?:/);
  });

  it("says a certificate replaced by a newer one is no longer valid; the newer one is", async () => {
    const { port, personId } = await serve();
    const first = newCertificateCode();
    const second = newCertificateCode();
    await store.certificates.issue({ code: first, personId, name: "نرگس احمدی", minutes: 120, issuedAt: new Date() });
    expect(await verifyCertificate(store, first)).toMatchObject({ valid: true });
    await store.certificates.issue({ code: second, personId, name: "نرگس احمدی", minutes: 240, issuedAt: new Date() });
    expect(await verifyCertificate(store, first)).toEqual({ valid: false, superseded: true });
    expect(await verifyCertificate(store, second)).toEqual({ valid: true, name: "نرگس احمدی", minutes: 240 });
    const page = await get(port, `/verify?code=${first}`);
    expect(page.status).toBe(404);
    expect(page.body).toContain("گواهی تازه‌تری جای آن را گرفته است");
  });

  it("is rate limited per address, and a spoofed X-Forwarded-For buys nothing", async () => {
    const { port } = await serve();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push(
        (await get(port, `/verify?code=${newCertificateCode()}`, { "x-forwarded-for": `10.1.0.${i}` })).status,
      );
    expect(statuses.slice(0, VERIFY_LIMITS.perAddress.burst).every((s) => s === 404)).toBe(true);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(40 - VERIFY_LIMITS.perAddress.burst - 1);
    const refused = await get(port, `/verify?code=${newCertificateCode()}`);
    expect(refused.status).toBe(429);
    expect(refused.body).toContain("یک دقیقه دیگر");
    // The form itself (no code) is always served.
    expect((await get(port, "/verify")).status).toBe(200);
  });

  it("behind a named proxy, each client has its own allowance", async () => {
    const { port } = await serve(["127.0.0.1"]);
    const statuses: number[] = [];
    for (let client = 0; client < 12; client++)
      for (let i = 0; i < 20; i++)
        statuses.push(
          (await get(port, `/verify?code=${newCertificateCode()}`, { "x-forwarded-for": `10.2.0.${client}` })).status,
        );
    // 240 checks from 12 clients, each within its own allowance (one address would have had 20).
    const allowed = statuses.filter((s) => s === 404).length;
    expect(allowed).toBeGreaterThanOrEqual(VERIFY_LIMITS.total.burst);
  });
});
