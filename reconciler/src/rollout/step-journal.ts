import type { SwitchStep } from "../journal/index.ts";

/** Writes one step of some switches to durable storage before the rollout goes on (the journal). */
export type RecordStep = (step: SwitchStep, devices: string[]) => Promise<void>;

/**
 * The rollout's side of the journal: each step is written as it happens, and the first failed write
 * is kept. A rollout that cannot write its steps must stop changing switches (a crash would leave
 * changes no record explains), so the caller asks `isBroken` before every irreversible step.
 */
export class StepJournal {
  #failure: Error | undefined;

  constructor(private readonly write: RecordStep | undefined) {}

  get failure(): Error | undefined {
    return this.#failure;
  }

  get isBroken(): boolean {
    return this.#failure !== undefined;
  }

  /** True when written (or nothing to write); false once the journal failed (now or before). */
  async record(step: SwitchStep, devices: string[]): Promise<boolean> {
    if (devices.length === 0 || !this.write) return !this.isBroken;
    try {
      await this.write(step, devices);
    } catch (error) {
      this.#failure ??= error instanceof Error ? error : new Error(String(error));
    }
    return !this.isBroken;
  }
}
