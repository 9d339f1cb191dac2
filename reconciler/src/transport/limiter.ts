/** Bounded concurrency and one-at-a-time lanes (per switch, per room). */

export class Limiter {
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  #idle: (() => void)[] = [];
  /** When the last task ended (or the limiter was made): how long it has been quiet. */
  #lastEnd = performance.now();

  constructor(readonly max: number) {}

  /** Resolves once no task has run for `quietMs`: not between two tasks of a burst, but after it. */
  async whenQuiet(quietMs: number): Promise<void> {
    for (;;) {
      await this.whenIdle();
      const left = this.#lastEnd + quietMs - performance.now();
      if (left <= 0 && this.#active === 0) return;
      await new Promise((r) => setTimeout(r, Math.max(left, 1)));
    }
  }

  /** Resolves when no task runs (at once if none does). */
  whenIdle(): Promise<void> {
    if (this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active++;
    try {
      return await task();
    } finally {
      this.#lastEnd = performance.now();
      const next = this.#waiting.shift();
      if (next) next();
      else if (--this.#active === 0) {
        const idle = this.#idle;
        this.#idle = [];
        for (const resolve of idle) resolve();
      }
    }
  }
}

/** Runs tasks for one key strictly one after another (at most one request in flight per switch/room). */
export class Lanes {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
