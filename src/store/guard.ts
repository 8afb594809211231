import { StoreUnavailableError, type Store } from "./port/index.js";

/**
 * The adapters' edge: every call into a repository (and `ping`) that fails
 * because the database could not be reached — as the adapter's own driver
 * says it (`isDriverUnavailable`) — throws a {@link StoreUnavailableError}
 * instead, the way grammY wraps network failures into `HttpError`. Other
 * errors (a duplicate, a bug) pass unchanged. The repositories are wrapped,
 * not patched: a call from one repository method to another stays inside.
 */
export function guardStore(store: Store, isDriverUnavailable: (error: unknown) => boolean): Store {
  const edge = (error: unknown) => {
    throw isDriverUnavailable(error) ? new StoreUnavailableError(store.kind, error) : error;
  };
  /** A method whose failures pass the edge (a synchronous throw too). */
  const guarded =
    <A extends unknown[], R>(call: (...args: A) => R) =>
    (...args: A): R => {
      try {
        const result = call(...args);
        return (result instanceof Promise ? result.catch(edge) : result) as R;
      } catch (error) {
        return edge(error);
      }
    };
  /** A repository whose methods pass the edge; what a test or a wrapper sets on it is set on the repository. */
  const repository = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key) {
        const value: unknown = Reflect.get(t, key, t);
        return typeof value === "function" ? guarded((value as (...a: unknown[]) => unknown).bind(t)) : value;
      },
    });
  return {
    kind: store.kind,
    people: repository(store.people),
    deliveries: repository(store.deliveries),
    campaigns: repository(store.campaigns),
    centres: repository(store.centres),
    needs: repository(store.needs),
    ledger: repository(store.ledger),
    access: repository(store.access),
    reports: repository(store.reports),
    sessions: repository(store.sessions),
    certificates: repository(store.certificates),
    screening: repository(store.screening),
    peopleWrites: () => store.peopleWrites(),
    ping: guarded(() => store.ping()),
    close: () => store.close(),
  };
}
