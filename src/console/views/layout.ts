import type { TFunction } from "../../i18n.js";
import { PLACES_ATTRIBUTION } from "../../domain/places/index.js";
import { html, type Html } from "../html.js";

export interface PageContext {
  t: TFunction;
  /** The signed-in account's name as coordinators read it (no number, no id). */
  who?: string;
  csrf?: string;
  /** The page in the menu (its key in `pages.ts`). */
  current?: string;
  /** The pages this account's roles open, in menu order (`menuOf` in `pages.ts`). */
  pages?: readonly { key: string; href: string }[];
}

/** Every console page: Persian, right to left, one stylesheet, no inline script. */
export function layout(c: PageContext, title: string, body: Html, head: Html = html``): Html {
  const nav = ({ key, href }: { key: string; href: string }) =>
    html`<a href="${href}" ${key === c.current ? html`aria-current="page"` : ""}>${c.t(`console.nav.${key}`)}</a>`;
  return html`<!doctype html>
    <html lang="fa" dir="rtl">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — ${c.t("console.title")}</title>
        <link rel="stylesheet" href="/console/static/console.css" />
        ${head}
      </head>
      <body>
        <header>
          <strong>${c.t("console.title")}</strong>
          ${
            c.who
              ? html`<nav>${(c.pages ?? [{ key: "overview", href: "/console/" }]).map(nav)}</nav>
                  <form method="post" action="/console/logout" class="logout">
                    <span>${c.who}</span>
                    ${csrfField(c)}
                    <button type="submit">${c.t("console.logout")}</button>
                  </form>`
              : ""
          }
        </header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
        <footer>${PLACES_ATTRIBUTION}</footer>
      </body>
    </html>`;
}

/** The session's CSRF token, in every form that changes something. */
export const csrfField = (c: PageContext) => html`<input type="hidden" name="_csrf" value="${c.csrf ?? ""}" />`;

/** What an action did, above the page it returns to (nothing when there is no notice). */
/** A PNG inline, as the console's content policy allows (`img-src data:`). */
const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString("base64")}`;

/**
 * A chart across the page: the wide drawing on a laptop, the narrow one (its
 * words the same size at a third of the width) on a phone.
 */
export const chartPicture = (wide: Buffer, narrow: Buffer, alt: string) =>
  html`<picture class="chart">
    <source media="(max-width: 40rem)" srcset="${dataUrl(narrow)}" />
    <img class="chart" src="${dataUrl(wide)}" alt="${alt}" />
  </picture>`;

/** A chart in a grid of columns (the overview's): the narrow drawing, whatever the screen. */
export const chartInColumn = (narrow: Buffer, alt: string) => html`<img src="${dataUrl(narrow)}" alt="${alt}" />`;

export const statusNotice = (text: string | undefined) =>
  text ? html`<p class="notice" role="status">${text}</p>` : "";

/** A refusal or a notice, on its own page. */
export const messagePage = (c: PageContext, title: string, text: string) =>
  layout(c, title, html`<p class="notice">${text}</p>`);

/**
 * A sign-in link's page: one button that spends the link (a POST). Fetching
 * the link (a messenger's preview, a security scanner) spends nothing.
 */
export const signInPage = (t: PageContext["t"], token: string) =>
  layout(
    { t },
    t("console.signin_title"),
    html`<p>${t("console.signin_text")}</p>
      <form method="post" action="/console/login">
        <input type="hidden" name="t" value="${token}" />
        <button type="submit">${t("console.signin_button")}</button>
      </form>`,
  );

/** After a sign-in: moves on to the overview by itself (a same-site navigation, so the session cookie goes along). */
export const signedInPage = (t: PageContext["t"]) =>
  layout(
    { t },
    t("console.signed_in"),
    html`<p class="notice"><a href="/console/">${t("console.continue")}</a></p>`,
    html`<meta http-equiv="refresh" content="0;url=/console/" />`,
  );
