/**
 * operator_console: the person at the launching terminal. Each typed line becomes a Reminder
 * (source `typed`) on `reminder`; episode events, the monitor's questions and the corrections
 * applied are printed back as short lines.
 */
import { QosProfiles } from '../graph/api';
import { declareParameters, type NodeDefinition, type NodeContext, type ParameterSchema } from '../graph/node-definition';
import {
  checkTypedLine,
  describeCorrection,
  describeEpisodeEvent,
  describeQuestion,
  typedReminder,
} from '../operator/console-text';
import { SCENARIOS } from '../sim/types';

const parameters = {
  scenario: {
    defaultValue: 'kitchen',
    descriptor: {
      type: 'string',
      description: 'Scenario the person is watching, named in the greeting',
      choices: SCENARIOS,
      readOnly: true,
    },
  },
  max_length: {
    defaultValue: 500,
    descriptor: { type: 'integer', description: 'Longest reminder accepted, in characters', range: { from: 1, to: 10000 } },
  },
  speaker: {
    defaultValue: '',
    descriptor: { type: 'string', description: 'Pseudonymous speaker id put on each typed reminder; empty when unknown' },
  },
  show_events: {
    defaultValue: true,
    descriptor: { type: 'bool', description: 'Print episode events, monitor questions and corrections for the person' },
  },
} as const satisfies ParameterSchema;

export const operatorConsole: NodeDefinition = {
  executable: 'operator_console',
  defaultName: 'operator_console',
  description: 'Publishes reminders typed on the terminal and prints what the robot reports back',
  parameters,

  start(node, context) {
    const settings = { ...declareParameters(node, parameters) };
    node.onParameterChanged((name, value) => {
      if (name === 'max_length' && typeof value === 'number') settings.max_length = value;
      if (name === 'speaker' && typeof value === 'string') settings.speaker = value;
      if (name === 'show_events' && typeof value === 'boolean') settings.show_events = value;
    });

    const reminders = node.createPublisher('h2r_interfaces/msg/Reminder', 'reminder', QosProfiles.standard);
    const show = (line: string): void => {
      if (settings.show_events) context.print(line);
    };
    const { standard } = QosProfiles;
    node.createSubscription('h2r_interfaces/msg/EpisodeEvent', 'episode/events', (event) => show(describeEpisodeEvent(event)), standard);
    node.createSubscription('std_msgs/msg/String', 'monitor/question', (question) => show(describeQuestion(question.data)), standard);
    node.createSubscription('h2r_interfaces/msg/Correction', 'execution/correction', (fix) => show(describeCorrection(fix)), standard);

    let stopped = false;
    const publishLine = (line: string): void => {
      const verdict = checkTypedLine(line, settings.max_length);
      if (!verdict.accepted) {
        context.print(verdict.reason);
        return;
      }
      reminders.publish(typedReminder(verdict.text, node.now(), settings.speaker));
      node.logger.debug(`reminder published on ${reminders.topic}: ${verdict.text}`);
    };
    if (context.stdinLines === undefined) {
      node.logger.info('no terminal input: typed reminders are off (run it from a terminal to type them)');
    } else {
      context.print(`${settings.scenario}: type a reminder for the robot and press Enter (Ctrl-C ends)`);
      void readLines(context, () => stopped, publishLine).catch((error: unknown) => {
        node.logger.error(`terminal input failed, typed reminders are off: ${String(error)}`);
      });
    }
    return {
      stop() {
        // Nothing physical to halt; lines that arrive from now on are dropped.
        stopped = true;
      },
    };
  },
};

async function readLines(context: NodeContext, isStopped: () => boolean, onLine: (line: string) => void): Promise<void> {
  if (context.stdinLines === undefined) return;
  for await (const line of context.stdinLines) {
    if (isStopped()) return;
    onLine(line);
  }
}
