import { html } from "../console/html.js";
import { hoursOf } from "../domain/ledger.js";
import { num } from "../format.js";
import type { I18n } from "../i18n.js";
import type { Logger } from "../logger.js";
import { verifyCertificate } from "../services/service-day/index.js";
import type { Store } from "../store/port/index.js";
import type { HttpServer } from "./http.js";
import { clientAddress } from "./origin.js";

/** The page's icon: the seedling the playground shows, inline (the page loads nothing). */
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 100 100%22%3E%3Ctext y=%22.9em%22 font-size=%2290%22%3E%F0%9F%8C%B1%3C/text%3E%3C/svg%3E";

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
          <link rel="icon" href="${FAVICON}" />
          <style>
            body {
              font-family: Vazirmatn, Tahoma, sans-serif;
              max-width: 32rem;
              margin: 0 auto 2rem;
              padding: 0 1rem;
              color: #1f2933;
            }
            header {
              border-top: 6px solid #2f855a;
              padding: 1rem 0 0.5rem;
              margin-bottom: 1rem;
              border-bottom: 1px solid #c3cfd9;
            }
            header .brand {
              color: #2f855a;
              font-weight: bold;
              margin: 0;
            }
            h1 {
              font-size: 1.4rem;
              margin: 0.25rem 0 0;
            }
            .muted {
              color: #52606d;
              font-size: 0.9rem;
            }
            input {
              max-width: 100%;
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
          <header>
            <p class="brand">🌱 ${t("certificate.page_brand")}</p>
            <h1>${t("certificate.page_title")}</h1>
          </header>
          <p>${t("certificate.page_intro")}</p>
          <form method="get" action="/verify">
            <label
              >${t("certificate.page_label")} <input name="code" value="${code}" dir="ltr" autocomplete="off"
            /></label>
            <button type="submit">${t("certificate.page_check")}</button>
          </form>
          ${verdict}
          <p class="muted">${t("certificate.page_privacy")}</p>
        </body>
      </html>`;
    res.writeHead(result && !result.valid ? 404 : 200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cache-control": "no-store",
    });
    res.end(page.value);
  });
}
