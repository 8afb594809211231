import { isProvince } from "../domain/taxonomy.js";
import type { TFunction } from "../i18n.js";
import { parseAccount } from "../domain/platform.js";
import type { CoordinatorRole, Language, Store } from "../store/port/index.js";
import { digits, ltr } from "../format.js";

/** A role's scope as people read it: a province's name, a centre's or an institution's, or "the whole country". */
export async function scopeLabel(t: TFunction, store: Store, role: CoordinatorRole, scope: string): Promise<string> {
  switch (role) {
    case "national_admin":
      return t("roles.national_scope");
    case "provincial_admin":
      return t(`taxonomy.province.${scope}`);
    case "centre_coordinator":
      return (await store.centres.getCentre(scope))?.name ?? ltr(scope);
    case "institution_operator":
      return (await store.centres.getInstitution(scope))?.name ?? ltr(scope);
  }
}

/** An audit record's scope in words: the country, provinces, a centre's or an institution's name. */
export async function auditScopeLabel(t: TFunction, store: Store, scope: string): Promise<string> {
  if (scope === "*") return t("roles.national_scope");
  const parts = await Promise.all(
    scope
      .split(",")
      .map(async (s) =>
        isProvince(s)
          ? t(`taxonomy.province.${s}`)
          : ((await store.centres.getCentre(s))?.name ?? (await store.centres.getInstitution(s))?.name ?? ltr(s)),
      ),
  );
  return parts.join(t("common.list_separator"));
}

/** Who an audit record's actor is, in words: a person's name and platform, or the command line. */
export async function actorLabel(t: TFunction, lang: Language, store: Store, actor: string): Promise<string> {
  const account = parseAccount(actor);
  if (account) {
    const person = await store.people.findByIdentity(account);
    const name = [person?.firstName, person?.lastName].filter(Boolean).join(" ");
    const platform = t(`platform_name.${account.platform}`);
    return name ? `${name} (${platform})` : t("audit.unnamed", { id: digits(lang, account.userId), platform });
  }
  if (actor === "playground") return t("audit.playground");
  const cli = /^cli:(.*)$/.exec(actor);
  return cli ? t("audit.cli", { user: ltr(cli[1]!) }) : ltr(actor);
}
