/**
 * HTML from a template literal, every interpolated value escaped unless it
 * is already `Html` (a nested template): the console's one template tool. A
 * template engine would add a second language for a handful of pages; this
 * keeps them typed TypeScript, and escaping is the default, never a choice.
 */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type Value = Html | string | number | null | undefined | false | readonly Value[];

const render = (v: Value): string =>
  v instanceof Html
    ? v.value
    : Array.isArray(v)
      ? v.map(render).join("")
      : v === null || v === undefined || v === false
        ? ""
        : escape(String(v));

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ""), ""));
}
