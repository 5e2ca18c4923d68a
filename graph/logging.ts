/**
 * Node loggers that print like rcutils: `[INFO] [1700000000.123456789] [ns.node]: message`, on
 * stderr by default. The time is the graph clock's, so a simulated-time run logs simulated stamps
 * (and tests get reproducible lines). A LogSink receives every line that passes the level filter.
 */
import type { LogLevel, Logger, Time } from './api';
import type { LogLevelSetting } from './ros-args';

export interface LogRecord {
  readonly level: LogLevel;
  readonly time: Time;
  readonly logger: string;
  readonly message: string;
}

export type LogSink = (line: string, record: LogRecord) => void;

const SEVERITY: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40, fatal: 50 };

export function formatLogLine(record: LogRecord): string {
  const nanos = String(record.time.nanosec).padStart(9, '0');
  return `[${record.level.toUpperCase()}] [${record.time.sec}.${nanos}] [${record.logger}]: ${record.message}`;
}

export const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

/** Collects log lines for tests: pass `sink` as the graph's logSink. */
export function captureLogs(): { readonly sink: LogSink; readonly lines: string[]; readonly records: LogRecord[] } {
  const lines: string[] = [];
  const records: LogRecord[] = [];
  return {
    lines,
    records,
    sink: (line, record) => {
      lines.push(line);
      records.push(record);
    },
  };
}

/** The level of one logger: the last setting naming it, else the last unnamed one, else info. */
export function effectiveLogLevel(loggerName: string, settings: readonly LogLevelSetting[]): LogLevel {
  let level: LogLevel = 'info';
  for (const setting of settings) if (setting.logger === undefined) level = setting.level;
  for (const setting of settings) if (setting.logger === loggerName) level = setting.level;
  return level;
}

export class GraphLogger implements Logger {
  constructor(
    readonly name: string,
    public level: LogLevel,
    private readonly now: () => Time,
    private readonly sink: LogSink,
  ) {}

  isEnabledFor(level: LogLevel): boolean {
    return SEVERITY[level] >= SEVERITY[this.level];
  }

  log(level: LogLevel, message: string): void {
    if (!this.isEnabledFor(level)) return;
    const record: LogRecord = { level, time: this.now(), logger: this.name, message };
    this.sink(formatLogLine(record), record);
  }

  debug(message: string): void {
    this.log('debug', message);
  }

  info(message: string): void {
    this.log('info', message);
  }

  warn(message: string): void {
    this.log('warn', message);
  }

  error(message: string): void {
    this.log('error', message);
  }

  fatal(message: string): void {
    this.log('fatal', message);
  }
}
