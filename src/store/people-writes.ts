import type { PeopleRepository } from "./port/index.js";

/**
 * Whether each people-repository method changes a person record (drafts are
 * not part of the record). A `Record` over every method: a new method does
 * not compile until it is classified here.
 */
export const CHANGES_PERSON: Readonly<Record<keyof PeopleRepository, boolean>> = {
  get: false,
  findByIdentity: false,
  ensure: true,
  update: true,
  setSourceIfEmpty: true,
  findByNationalId: false,
  findByVolunteerCode: false,
  findByPhone: false,
  linkIdentity: true,
  setReachable: true,
  transferIdentity: true,
  getDraft: false,
  saveDraft: false,
  erase: true,
  segment: false,
  count: false,
  registrationFunnel: false,
  listRegistered: false,
};

/** The methods that change a person record. */
export const PERSON_WRITES = (Object.keys(CHANGES_PERSON) as (keyof PeopleRepository)[]).filter(
  (m) => CHANGES_PERSON[m],
);

/**
 * An adapter's people repository with a count of the person records written
 * through it (`Store.peopleWrites`): a cache of a record (the bot's
 * per-update `PersonLoader`) knows from it whether the record may have
 * changed. The repository is wrapped, not patched.
 */
export function countingPeople(people: PeopleRepository): { people: PeopleRepository; writes: () => number } {
  let writes = 0;
  const methods = people as unknown as Record<keyof PeopleRepository, (...args: unknown[]) => Promise<unknown>>;
  const wrapped = Object.fromEntries(
    (Object.keys(CHANGES_PERSON) as (keyof PeopleRepository)[]).map((name) => {
      const call = methods[name].bind(people);
      return [name, CHANGES_PERSON[name] ? (...args: unknown[]) => call(...args).finally(() => void writes++) : call];
    }),
  ) as unknown as PeopleRepository;
  return { people: wrapped, writes: () => writes };
}
