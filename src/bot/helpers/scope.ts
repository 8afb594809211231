import type { TFunction } from "../../i18n.js";
import type { CoordinatorRole, Store } from "../../store/port/index.js";

/** A role's scope as people read it: a province's name, a centre's or an institution's, or "the whole country". */
export async function scopeLabel(t: TFunction, store: Store, role: CoordinatorRole, scope: string): Promise<string> {
  switch (role) {
    case "national_admin":
      return t("roles.national_scope");
    case "provincial_admin":
      return t(`taxonomy.province.${scope}`);
    case "centre_coordinator":
      return (await store.centres.getCentre(scope))?.name ?? scope;
    case "institution_operator":
      return (await store.centres.getInstitution(scope))?.name ?? scope;
  }
}
