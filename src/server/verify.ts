import { html } from "../console/html.js";
import { hoursOf } from "../domain/ledger.js";
import { num } from "../format.js";
import type { I18n } from "../i18n.js";
import type { Logger } from "../logger.js";
import { verifyCertificate } from "../services/service-day/index.js";
import type { Store } from "../store/port/index.js";
import type { HttpServer } from "./http.js";
import { clientAddress } from "./origin.js";

/** How many checks one address may make at once, and per second after; and all addresses together. */
export const VERIFY_LIMITS = {
  perAddress: { burst: 20, perSecond: 0.2 },
  total: { burst: 200, perSecond: 20 },
};

export interface VerifyPageOptions {
  /** A token bucket (the shared state's `takeToken`): true when the check may go on. */
  takeToken(key: string, burst: number, perSecond: number): Promise<boolean>;
  /** The proxies whose X-Forwarded-For is believed (TRUST_PROXY). */
  trustProxy: readonly string[];
  onRefused?: () => void;
}

/**
 * `/verify?code=…`: the public check of a certificate of service. It shows
 * only the name, the hours and whether it is valid — never a phone, an ID,
 * a centre or a date — and keeps no record of who asked. A code has 80
 * random bits (older ones 50), and checks are rate limited per address and
 * in total ({@link VERIFY_LIMITS}, across workers with Redis): guessing is
 * hopeless, and no page lists codes.
 */
export function mountVerifyPage(
  server: HttpServer,
  store: Store,
  i18n: I18n,
  logger: Logger,
  options: VerifyPageOptions,
): void {
  const t = i18n.t("fa");
  const allowed = async (address: string) => {
    const { perAddress, total } = VERIFY_LIMITS;
    // A failing shared state lets checks through: the code's 80 bits are the defence that remains.
    const take = (key: string, l: { burst: number; perSecond: number }) =>
      options.takeToken(key, l.burst, l.perSecond).catch(() => true);
    return (await take(`verify:${address}`, perAddress)) && (await take("verify:*", total));
  };
  server.route("GET", "/verify", async (req, res, url) => {
    const code = (url.searchParams.get("code") ?? "").slice(0, 40);
    let result: Awaited<ReturnType<typeof verifyCertificate>> | undefined;
    if (code) {
      if (!(await allowed(clientAddress(req, options.trustProxy)))) {
        options.onRefused?.();
        res.writeHead(429, {
          "content-type": "text/plain; charset=utf-8",
          "retry-after": "60",
          "cache-control": "no-store",
        });
        return res.end(t("certificate.page_too_many"));
      }
      result = await verifyCertificate(store, code);
      logger.info({ valid: result.valid }, "certificate checked");
    }
    const verdict = !result
      ? html``
      : result.valid
        ? html`<section class="ok" data-valid="yes">
            <h2>${t("certificate.page_valid")}</h2>
            <p>${t("certificate.page_name")}: <strong>${result.name}</strong></p>
            <p>${t("certificate.page_hours")}: <strong>${num("fa", hoursOf(result.minutes))}</strong></p>
          </section>`
        : html`<section class="bad" data-valid="no">
            <h2>${t(result.superseded ? "certificate.page_superseded" : "certificate.page_invalid")}</h2>
          </section>`;
    const page = html`<!doctype html>
      <html lang="fa" dir="rtl">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          <title>${t("certificate.page_title")}</title>
          <style>
            body {
              font-family: Vazirmatn, Tahoma, sans-serif;
              max-width: 32rem;
              margin: 2rem auto;
              padding: 0 1rem;
              color: #1f2933;
            }
            section {
              border-radius: 0.5rem;
              padding: 1rem;
              margin-top: 1rem;
            }
            .ok {
              background: #e3f9e5;
            }
            .bad {
              background: #ffe3e3;
            }
            input,
            button {
              font: inherit;
              padding: 0.4rem;
            }
          </style>
        </head>
        <body>
          <h1>${t("certificate.page_title")}</h1>
          <form method="get" action="/verify">
            <label
              >${t("certificate.page_label")} <input name="code" value="${code}" dir="ltr" autocomplete="off"
            /></label>
            <button type="submit">${t("certificate.page_check")}</button>
          </form>
          ${verdict}
        </body>
      </html>`;
    res.writeHead(result && !result.valid ? 404 : 200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cache-control": "no-store",
    });
    res.end(page.value);
  });
}
