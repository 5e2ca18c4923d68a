/**
 * The embedded graph's executor: a FIFO of ready work run from one setImmediate per burst, never
 * inside the call that made the work ready (publish, call). Work items are objects with a `run`
 * method (a subscription with a queued message is its own work item), so a publish allocates
 * nothing here. A throwing item reports its own error and the executor goes on.
 */

/** Work items run per turn of the event loop before the executor yields to I/O and timers. */
const DRAIN_BUDGET = 10_000;

export interface ExecutorWork {
  run(): void;
  /** Logs a failure of run() with what the work belongs to (node, topic, service). */
  reportError(error: unknown): void;
}

export class Executor {
  #ready: ExecutorWork[] = [];
  #spare: ExecutorWork[] = [];
  #scheduled = false;
  #asyncInFlight = 0;
  #idleWaiters: (() => void)[] = [];

  enqueue(work: ExecutorWork): void {
    this.#ready.push(work);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#drain);
    }
  }

  /** Counts asynchronous work (a service handler's promise) that spinUntilIdle must wait for. */
  trackAsync<T>(promise: Promise<T>): Promise<T> {
    this.#asyncInFlight++;
    const settle = (): void => {
      this.#asyncInFlight--;
      this.#wakeIdleWaiters();
    };
    promise.then(settle, settle);
    return promise;
  }

  get idle(): boolean {
    return this.#ready.length === 0 && this.#asyncInFlight === 0;
  }

  /** Resolves once no work is queued and no tracked asynchronous work is running. */
  async spinUntilIdle(): Promise<void> {
    for (;;) {
      // Let promise continuations (awaiting callers, async handlers) run first: they may publish.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#ready.length > 0) {
        this.#drain();
        continue;
      }
      if (this.#asyncInFlight === 0) return;
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
  }

  #wakeIdleWaiters(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }

  readonly #drain = (): void => {
    this.#scheduled = false;
    let ran = 0;
    while (this.#ready.length > 0) {
      if (ran >= DRAIN_BUDGET) {
        // Work that keeps making work (a node answering itself) must not starve I/O and timers.
        this.#scheduled = true;
        setImmediate(this.#drain);
        return;
      }
      ran += this.#ready.length;
      const batch = this.#ready;
      this.#ready = this.#spare;
      for (let i = 0; i < batch.length; i++) {
        const work = batch[i]!;
        try {
          work.run();
        } catch (error) {
          work.reportError(error);
        }
      }
      batch.length = 0;
      this.#spare = batch;
    }
  };
}
