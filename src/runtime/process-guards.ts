import type { Counter } from "prom-client";
import type { Logger } from "../logger.js";

/** What the guards need of `process`: its events and a way out (a test passes its own). */
export interface GuardedProcess {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Node's own listener type
  on(event: string, listener: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  off(event: string, listener: (...args: any[]) => void): unknown;
  exit(code: number): unknown;
}

export interface ProcessGuardOptions {
  logger: Logger;
  /** `hamdel_process_faults_total{kind}`: counted before anything else happens. */
  faults: Counter<"kind">;
  /** Called before exiting on an uncaught exception: flush what can be flushed (bounded by `exitAfterMs`). */
  beforeExit?: () => Promise<void>;
  /** The longest the exit waits for `beforeExit`. */
  exitAfterMs?: number;
}

/**
 * The process-level policy (docs/operations.md, "When something is thrown and not caught"):
 *
 * - **An unhandled rejection** is a promise that failed with nobody awaiting it: one request's or
 *   one tick's work. Every piece of shared state here (the outbox, the ledger, sessions) is changed
 *   in store transactions or idempotent steps, so a dropped promise leaves nothing half-written in
 *   memory. It is logged with its context, counted, and the process serves on.
 * - **An uncaught exception** was thrown synchronously out of an event handler: Node no longer
 *   knows which invariants of which object hold. It is logged and counted, the app is asked to
 *   stop (bounded), and the process exits 1 for its supervisor (systemd, the container runtime)
 *   to restart. Every durable step is replayed from the store on start.
 *
 * Returns a function that removes the guards.
 */
export function installProcessGuards(proc: GuardedProcess, options: ProcessGuardOptions): () => void {
  const { logger, faults } = options;
  const onRejection = (reason: unknown) => {
    faults.inc({ kind: "unhandled_rejection" });
    logger.error(
      { err: describe(reason), stack: stackOf(reason), policy: "serve on" },
      "unhandled promise rejection: logged and counted; the process serves on",
    );
  };
  let exiting = false;
  const onException = (err: Error, origin: string) => {
    faults.inc({ kind: "uncaught_exception" });
    logger.fatal(
      { err: describe(err), stack: stackOf(err), origin, policy: "exit" },
      "uncaught exception: the process state is unknown; stopping for the supervisor to restart it",
    );
    if (exiting) return;
    exiting = true;
    const timer = setTimeout(() => proc.exit(1), options.exitAfterMs ?? 5000);
    timer.unref?.();
    void (options.beforeExit?.() ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        clearTimeout(timer);
        proc.exit(1);
      });
  };
  proc.on("unhandledRejection", onRejection);
  proc.on("uncaughtException", onException);
  return () => {
    proc.off("unhandledRejection", onRejection);
    proc.off("uncaughtException", onException);
  };
}

/** The message only: an error's other properties may carry a request's data. */
const describe = (reason: unknown) =>
  reason instanceof Error ? `${reason.name}: ${reason.message}` : typeof reason === "string" ? reason : typeof reason;

/** The stack's frames (code locations, no data), first eight. */
const stackOf = (reason: unknown) =>
  reason instanceof Error
    ? reason.stack
        ?.split("\n")
        .slice(1, 9)
        .map((l) => l.trim())
    : undefined;
