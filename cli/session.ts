/**
 * One run of nodes from the command line (`h2r launch`, `h2r node`): open the graph, start, wait
 * for SIGINT or SIGTERM, then stop every node (the robot first), shut the graph down and release
 * the terminal, so that the process ends by itself with exit code 0.
 */
import type { Logger } from '../graph/api';
import { timeFromMs } from '../graph/clock';
import { createGraph } from '../graph/create-graph';
import { GraphLogger, stderrSink } from '../graph/logging';
import { NODE_DEFINITIONS } from '../nodes/index';
import type { CliIo, GlobalSettings } from './command';
import { startLaunch, type LaunchItems } from './launch/run';
import { shutdownSignals, terminalInput } from './terminal';

/** Exit code after a second Ctrl-C: 128 + SIGINT, as a shell reports an interrupted program. */
const INTERRUPTED_EXIT_CODE = 130;

export function cliLogger(name: string, settings: GlobalSettings): Logger {
  return new GraphLogger(name, settings.logLevel, () => timeFromMs(Date.now()), stderrSink);
}

export async function runUntilSignal(items: LaunchItems, settings: GlobalSettings, io: CliIo, logger: Logger): Promise<number> {
  const signals = shutdownSignals((signal) => {
    logger.warn(`${signal} again: exiting without waiting for the nodes to stop`);
    process.exit(INTERRUPTED_EXIT_CODE);
  });
  const input = terminalInput(io.stdin);
  const graph = await createGraph(settings.graph, { arguments: ['--ros-args', '--log-level', settings.logLevel] }).catch(
    (error: unknown) => {
      signals.dispose();
      throw error;
    },
  );
  try {
    const running = await startLaunch(items, {
      graph,
      nodeDefinitions: NODE_DEFINITIONS,
      context: { stdinLines: input.lines, print: (line) => io.stdout.write(`${line}\n`) },
      logger,
    });
    const count = `${running.nodeNames.length} node(s) and ${items.processes.length} process(es)`;
    logger.info(`running ${count} on the ${graph.backend} graph; Ctrl-C stops`);
    const signal = await signals.received;
    logger.info(`${signal} received: stopping ${count}`);
    const clean = await running.stop();
    return clean ? 0 : 1;
  } finally {
    await graph.shutdown();
    input.release();
    signals.dispose();
    logger.info('graph shut down');
  }
}
