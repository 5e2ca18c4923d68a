/**
 * Progress of long work (training, evaluation, collection) on stderr. On a terminal one line is
 * redrawn in place; otherwise (CI logs, pipes) a plain line is printed every few seconds. Both
 * show the count, the rate and the time left.
 */
import type { OutputStream } from './command';

export interface ProgressOptions {
  /** What is being counted, e.g. `training epoch 3`. */
  readonly label: string;
  /** Number of items when known; without it there is no bar and no time left. */
  readonly total?: number;
  /** Name of one item in the rate, e.g. `samples`; default `items`. */
  readonly unit?: string;
  readonly stream?: OutputStream;
  /** Clock in ms; tests pass their own. */
  readonly now?: () => number;
  /** Without a terminal: least time between two lines (default 5000 ms). */
  readonly lineIntervalMs?: number;
  /** On a terminal: least time between two redraws (default 100 ms). */
  readonly redrawIntervalMs?: number;
}

const DEFAULT_LINE_INTERVAL_MS = 5000;
const DEFAULT_REDRAW_INTERVAL_MS = 100;
const DEFAULT_COLUMNS = 80;
const MIN_BAR_WIDTH = 10;
const MAX_BAR_WIDTH = 20;

export class ProgressBar {
  private readonly stream: OutputStream;
  private readonly now: () => number;
  private readonly startMs: number;
  private readonly unit: string;
  private lastOutputMs: number;
  private done = 0;
  private finished = false;

  constructor(private readonly options: ProgressOptions) {
    if (options.total !== undefined && !(Number.isFinite(options.total) && options.total >= 0)) {
      throw new Error(`progress '${options.label}': total must be a non-negative number, got ${options.total}`);
    }
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? Date.now;
    this.startMs = this.now();
    this.lastOutputMs = this.startMs;
    this.unit = options.unit ?? 'items';
  }

  /** Counts `count` more items done. */
  tick(count = 1): void {
    this.update(this.done + count);
  }

  /** Sets how many items are done. */
  update(done: number): void {
    if (this.finished) return;
    this.done = done;
    const nowMs = this.now();
    const interval = this.isTerminal()
      ? (this.options.redrawIntervalMs ?? DEFAULT_REDRAW_INTERVAL_MS)
      : (this.options.lineIntervalMs ?? DEFAULT_LINE_INTERVAL_MS);
    if (nowMs - this.lastOutputMs < interval) return;
    this.lastOutputMs = nowMs;
    this.write(nowMs, false);
  }

  /** Prints the final state once; later updates are ignored. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.write(this.now(), true);
  }

  private isTerminal(): boolean {
    return this.stream.isTTY === true;
  }

  private write(nowMs: number, final: boolean): void {
    const elapsedSeconds = (nowMs - this.startMs) / 1000;
    const rate = elapsedSeconds > 0 ? this.done / elapsedSeconds : undefined;
    const { total, label } = this.options;
    const count = total === undefined ? `${this.done} ${this.unit}` : `${this.done}/${total}`;
    const speed = rate === undefined ? `? ${this.unit}/s` : `${formatRate(rate)} ${this.unit}/s`;
    let status: string;
    if (final) {
      status = `done, ${count} in ${formatDuration(elapsedSeconds)} (${speed})`;
    } else {
      const remaining = total === undefined ? undefined : Math.max(0, total - this.done);
      const eta = remaining === undefined ? '' : `, ETA ${rate === undefined || rate === 0 ? '?' : formatDuration(remaining / rate)}`;
      const percent = total === undefined || total === 0 ? '' : ` (${Math.floor((100 * this.done) / total)}%)`;
      status = `${count}${percent}, ${speed}${eta}`;
    }
    if (!this.isTerminal()) {
      this.stream.write(`${label}: ${status}\n`);
      return;
    }
    const columns = this.stream.columns ?? DEFAULT_COLUMNS;
    const barWidth = Math.min(MAX_BAR_WIDTH, columns - label.length - status.length - 6);
    const bar = total === undefined || total === 0 || barWidth < MIN_BAR_WIDTH ? '' : ` [${drawBar(this.done / total, barWidth)}]`;
    // \r returns to the line start, \x1b[K clears what the previous, longer line left behind.
    this.stream.write(`\r${label}${bar} ${status}\x1b[K${final ? '\n' : ''}`);
  }
}

function drawBar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return '#'.repeat(filled) + '-'.repeat(width - filled);
}

function formatRate(rate: number): string {
  return rate >= 100 ? rate.toFixed(0) : rate >= 10 ? rate.toFixed(1) : rate.toFixed(2);
}

/** `8.1s`, `4m05s`, `2h03m` */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : seconds.toFixed(0)}s`;
  const wholeSeconds = Math.round(seconds);
  const minutes = Math.floor(wholeSeconds / 60);
  if (minutes < 60) return `${minutes}m${String(wholeSeconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
