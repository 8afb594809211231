import { headquartersScopeOf, institutionsOf, isNational, type Actor } from "../services/access.js";

/**
 * Whom a console page's menu entry is shown to (each page's service checks
 * the account's scope again: the menu only hides what would be refused).
 */
export const everyone = () => true;
export const headquarters = (a: Actor) => headquartersScopeOf(a) !== undefined;
/** Coordinators of a centre, a province or the country: not an institution's operators alone. */
export const centreSide = (a: Actor) => a.grants.some((g) => g.role !== "institution_operator");
export const institutionSide = (a: Actor) => institutionsOf(a).length > 0;
export const nationalOnly = isNational;
