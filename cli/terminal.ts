/** The launching terminal: typed lines for nodes, and the signals that end a run. */
import * as readline from 'readline';

export interface TerminalInput {
  /** Lines typed on stdin; stdin is only read once something iterates this. */
  readonly lines: AsyncIterable<string>;
  /** Stops reading stdin so that it no longer keeps the process alive; ends every iteration. */
  release(): void;
}

export function terminalInput(input: NodeJS.ReadableStream): TerminalInput {
  let reader: readline.Interface | undefined;
  let released = false;
  return {
    lines: {
      [Symbol.asyncIterator](): AsyncIterator<string> {
        if (released) return { next: () => Promise.resolve({ done: true, value: undefined }) };
        reader ??= readline.createInterface({ input, terminal: false, crlfDelay: Infinity });
        return reader[Symbol.asyncIterator]();
      },
    },
    release(): void {
      released = true;
      reader?.close();
      // A paused stdin still holds a handle on some platforms; nothing reads it after this.
      if ('destroy' in input && typeof input.destroy === 'function') input.destroy();
    },
  };
}

export type ShutdownSignal = 'SIGINT' | 'SIGTERM';

export interface ShutdownSignals {
  /** Resolves with the first SIGINT or SIGTERM. */
  readonly received: Promise<ShutdownSignal>;
  /** Removes the handlers. */
  dispose(): void;
}

/**
 * Catches SIGINT and SIGTERM. The first one resolves `received` so the caller can stop in order;
 * a second one while stopping calls `onRepeat` (the CLI gives up waiting then).
 */
export function shutdownSignals(onRepeat: (signal: ShutdownSignal) => void, target: NodeJS.Process = process): ShutdownSignals {
  let first: ShutdownSignal | undefined;
  let resolveReceived: (signal: ShutdownSignal) => void = () => undefined;
  const received = new Promise<ShutdownSignal>((resolve) => {
    resolveReceived = resolve;
  });
  const handle = (signal: ShutdownSignal): void => {
    if (first === undefined) {
      first = signal;
      resolveReceived(signal);
    } else {
      onRepeat(signal);
    }
  };
  const onInterrupt = (): void => handle('SIGINT');
  const onTerminate = (): void => handle('SIGTERM');
  target.on('SIGINT', onInterrupt);
  target.on('SIGTERM', onTerminate);
  return {
    received,
    dispose(): void {
      target.off('SIGINT', onInterrupt);
      target.off('SIGTERM', onTerminate);
    },
  };
}
