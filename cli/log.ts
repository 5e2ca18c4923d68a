/** The CLI's own log lines, in the ROS 2 console format: `[INFO] [1700000000.123456] [launch]: text`. */
import type { Logger, LogLevel } from '../graph/api';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'fatal'];

export interface LogSink {
  write(text: string): unknown;
}

export function createCliLogger(name: string, level: LogLevel, sink: LogSink = process.stderr, now: () => number = Date.now): Logger {
  const write = (messageLevel: LogLevel, message: string): void => {
    if (LOG_LEVELS.indexOf(messageLevel) < LOG_LEVELS.indexOf(logger.level)) return;
    const seconds = (now() / 1000).toFixed(6);
    sink.write(`[${messageLevel.toUpperCase()}] [${seconds}] [${name}]: ${message}\n`);
  };
  const logger: Logger = {
    name,
    level,
    debug: (message) => write('debug', message),
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
    fatal: (message) => write('fatal', message),
  };
  return logger;
}
