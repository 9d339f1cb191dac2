/**
 * The rollout's `maxParallel` message slots, shared by every wave. A wave's own steps come first; a
 * later wave's staging (nothing live, sent ahead while this wave commits and confirms) only takes a
 * slot no current step waits for, so sending ahead never delays the wave that is going live.
 */
export type SlotPriority = "now" | "ahead";

export class RolloutSlots {
  #active = 0;
  readonly #waiting: Record<SlotPriority, (() => void)[]> = { now: [], ahead: [] };

  constructor(readonly max: number) {}

  async run<T>(priority: SlotPriority, task: () => Promise<T> | T): Promise<T> {
    if (this.#active >= this.max) await new Promise<void>((resolve) => this.#waiting[priority].push(resolve));
    else this.#active++;
    try {
      return await task();
    } finally {
      const next = this.#waiting.now.shift() ?? this.#waiting.ahead.shift();
      if (next) next();
      else this.#active--;
    }
  }
}
