/**
 * The service's last line of defence: a fault that escaped every named error (a library's promise
 * nobody awaited, an exception thrown from a socket callback) is logged with its stack, counted in
 * /metrics, and the service keeps serving. Without these handlers Node ends the process on the first
 * one, and every queued run, webhook and drift check with it. Each run still has its own try/catch
 * (jobs.ts) and the switches their commit timers; this only keeps the process alive.
 */
import type { Logger } from "pino";

export type FaultKind = "unhandled-rejection" | "uncaught-exception";

export function installLastResortHandlers(
  logger: Logger,
  count: (kind: FaultKind) => void,
  target: NodeJS.EventEmitter = process,
): () => void {
  const onRejection = (reason: unknown) => {
    count("unhandled-rejection");
    logger.error(
      { err: reason, fault: "unhandled-rejection" },
      "a promise failed with nobody handling it; still serving",
    );
  };
  const onException = (error: unknown) => {
    count("uncaught-exception");
    logger.error(
      { err: error, fault: "uncaught-exception" },
      "an exception escaped every handler; still serving",
    );
  };
  target.on("unhandledRejection", onRejection);
  target.on("uncaughtException", onException);
  return () => {
    target.off("unhandledRejection", onRejection);
    target.off("uncaughtException", onException);
  };
}
