/**
 * The store port: every repository the services use, independent of the
 * database, one file per repository. `sqlite/` and `mongo/` implement it (a
 * file of the same name each), and `test/store/contract/` (again a file per
 * repository) holds them both to the same behaviour.
 */
export type { Gender, GeoPoint, Language } from "../../domain/person.js";
export * from "./people.js";
export * from "./errors.js";
export * from "./deliveries.js";
export * from "./campaigns.js";
export * from "./centres.js";
export * from "./needs.js";
export * from "./ledger.js";
export * from "./access.js";
export * from "./reports.js";
export * from "./sessions.js";
export * from "./screening.js";
import type { PeopleRepository } from "./people.js";
import type { DeliveryRepository } from "./deliveries.js";
import type { CampaignRepository } from "./campaigns.js";
import type { CentreRepository } from "./centres.js";
import type { NeedRepository } from "./needs.js";
import type { LedgerRepository } from "./ledger.js";
import type { AccessRepository } from "./access.js";
import type { ReportRepository } from "./reports.js";
import type { CertificateRepository, SessionRepository } from "./sessions.js";
import type { ScreeningRepository } from "./screening.js";

export interface Store {
  readonly kind: "sqlite" | "mongo";
  readonly people: PeopleRepository;
  readonly deliveries: DeliveryRepository;
  readonly campaigns: CampaignRepository;
  readonly centres: CentreRepository;
  readonly needs: NeedRepository;
  readonly ledger: LedgerRepository;
  readonly access: AccessRepository;
  readonly reports: ReportRepository;
  readonly sessions: SessionRepository;
  readonly certificates: CertificateRepository;
  readonly screening: ScreeningRepository;
  /** Person records written through `people` by this process so far (see `people-writes.ts`). */
  peopleWrites(): number;
  /** Resolves when the database answers; rejects otherwise (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
