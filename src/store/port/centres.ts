import type { GeoPoint } from "../../domain/person.js";
import type { CentreKind } from "../../domain/taxonomy.js";

/** Reference data: intermediary institutions, centres and their actions. */

/** An intermediary institution (mo'assese-ye miani): every introduction goes through one. */
export interface Institution {
  code: string;
  name: string;
  province: string;
  phone: string | null;
}

/** A welfare centre: a place where volunteers serve. Its code is also its deep link. */
export interface Centre {
  code: string;
  kind: CentreKind;
  name: string;
  province: string;
  county: string;
  neighbourhood: string | null;
  address: string;
  phone: string | null;
  location: GeoPoint | null;
  /** The institution that introduces volunteers to it. */
  institutionCode: string | null;
}

export interface ImportResult {
  inserted: number;
  updated: number;
}

/** Local actions a centre reports (Ramadan indicators): an iftar gathering, a class, counselling, a screening. */
export const CENTRE_ACTION_KINDS = ["iftar", "class", "counselling", "screening", "other"] as const;
export type CentreActionKind = (typeof CENTRE_ACTION_KINDS)[number];

export interface CentreAction {
  id: string;
  centreCode: string;
  kind: CentreActionKind;
  /** `YYYY-MM-DD`, local. */
  date: string;
  participants: number;
  reportedBy: string;
  createdAt: Date;
}

export interface CentreRepository {
  reportAction(action: Omit<CentreAction, "id" | "createdAt">): Promise<CentreAction>;
  /** Actions of these centres dated within [from, to] (`YYYY-MM-DD`, inclusive). */
  actions(filter: { centreCodes: string[]; from: string; to: string }): Promise<CentreAction[]>;
  /** Inserts or updates every row in one transaction: all of them or none. */
  upsertInstitutions(rows: Institution[]): Promise<ImportResult>;
  upsertCentres(rows: Centre[]): Promise<ImportResult>;
  getInstitution(code: string): Promise<Institution | null>;
  getCentre(code: string): Promise<Centre | null>;
  /** The generation of a centre's check-in codes (0 until first rotated). */
  checkInEpoch(code: string): Promise<number>;
  /** Retires every check-in code of a centre at once (the next generation); null when there is no such centre. */
  rotateCheckIn(code: string): Promise<number | null>;
  listInstitutions(filter?: { province?: string }): Promise<Institution[]>;
  listCentres(filter?: { province?: string; county?: string; codes?: string[] }): Promise<Centre[]>;
}
