/**
 * Graph clocks and timers. The system clock follows wall time; the manual clock stands still until
 * a harness advances it (like use_sim_time with a /clock publisher), so a simulation can be
 * stepped deterministically. Timers are ordered by due time, ties by creation.
 */
import type { Time } from './api';

export type ClockKind = 'system' | 'manual';

export interface GraphClock {
  readonly kind: ClockKind;
  /** Milliseconds since the epoch (system) or since the simulation start (manual). */
  nowMs(): number;
  now(): Time;
}

export function timeFromMs(ms: number): Time {
  const sec = Math.floor(ms / 1000);
  const nanosec = Math.min(999_999_999, Math.round((ms - sec * 1000) * 1e6));
  return { sec, nanosec };
}

export class SystemClock implements GraphClock {
  readonly kind = 'system' as const;
  readonly #origin = performance.timeOrigin;

  nowMs(): number {
    return this.#origin + performance.now();
  }

  now(): Time {
    return timeFromMs(this.nowMs());
  }
}

export class ManualClock implements GraphClock {
  readonly kind = 'manual' as const;
  #ms: number;

  constructor(startMs = 0) {
    this.#ms = startMs;
  }

  nowMs(): number {
    return this.#ms;
  }

  now(): Time {
    return timeFromMs(this.#ms);
  }

  /** Only the graph moves the clock, timer by timer, so that due timers fire in order. */
  set(ms: number): void {
    if (ms < this.#ms) throw new Error(`the simulated clock cannot go back from ${this.#ms} ms to ${ms} ms`);
    this.#ms = ms;
  }
}

export interface ScheduledTimer {
  readonly periodMs: number;
  dueMs: number;
  readonly sequence: number;
  cancelled: boolean;
  readonly fire: () => void;
}

/** The set of running timers of one graph. */
export class TimerSchedule {
  readonly #timers: ScheduledTimer[] = [];
  #sequence = 0;

  add(periodMs: number, nowMs: number, fire: () => void): ScheduledTimer {
    if (!(periodMs > 0) || !Number.isFinite(periodMs)) throw new Error(`timer period must be a positive number of ms, got ${periodMs}`);
    const timer: ScheduledTimer = { periodMs, dueMs: nowMs + periodMs, sequence: this.#sequence++, cancelled: false, fire };
    this.#timers.push(timer);
    return timer;
  }

  remove(timer: ScheduledTimer): void {
    timer.cancelled = true;
    const index = this.#timers.indexOf(timer);
    if (index >= 0) this.#timers.splice(index, 1);
  }

  clear(): void {
    for (const timer of this.#timers) timer.cancelled = true;
    this.#timers.length = 0;
  }

  /** The timer due first (ties: created first), or undefined when none runs. */
  next(): ScheduledTimer | undefined {
    let best: ScheduledTimer | undefined;
    for (const timer of this.#timers) {
      if (!best || timer.dueMs < best.dueMs || (timer.dueMs === best.dueMs && timer.sequence < best.sequence)) best = timer;
    }
    return best;
  }

  /** Moves a fired timer to its next period after nowMs, skipping missed periods like rcl. */
  reschedule(timer: ScheduledTimer, nowMs: number): void {
    timer.dueMs += timer.periodMs;
    if (timer.dueMs < nowMs) timer.dueMs += Math.ceil((nowMs - timer.dueMs) / timer.periodMs) * timer.periodMs;
  }
}
