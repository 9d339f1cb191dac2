import cron from "node-cron";
import type { Logger } from "pino";

export interface DriftSchedule {
  stop(): Promise<void>;
}

/** Cron ticks request a drift check; the run queue coalesces ticks that arrive during a long run. */
export function startDriftSchedule(options: {
  schedule: string;
  onTick: () => void;
  logger: Logger;
}): DriftSchedule {
  if (!cron.validate(options.schedule)) {
    throw new Error(
      `drift.schedule "${options.schedule}" is not a valid cron expression (e.g. "*/15 * * * *")`,
    );
  }
  const task = cron.schedule(
    options.schedule,
    () => {
      options.logger.debug({ schedule: options.schedule }, "drift schedule: tick");
      options.onTick();
    },
    { name: "drift-check", noOverlap: true },
  );
  options.logger.info({ schedule: options.schedule }, "drift schedule started");
  return {
    stop: async () => {
      await task.stop();
      await task.destroy();
    },
  };
}
