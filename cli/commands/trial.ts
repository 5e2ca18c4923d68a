/**
 * `h2r trial`: run episodes through the nodes and report attention-transfer accuracy, failure
 * avoidance, false corrections, too-late and clarification rates, and latency.
 */
import * as fs from 'fs';
import * as path from 'path';
import { UsageError, type Command } from '../command';
import { ProgressBar } from '../progress';
import { integerValue, textValue } from '../option-values';
import { describeReport } from '../../trial/metrics';
import { runTrial } from '../../trial/harness';
import { SCENARIOS, type Scenario } from '../../sim/types';

export const command: Command = {
  name: 'trial',
  summary: 'Run episodes through simulator, parser, attention and monitor; report failure avoidance and more',
  usage: 'h2r trial --scenario kitchen|factory|tabletop [--episodes N] [--seed S] [--json] [--backend builtin|coppeliasim --host H --port P]',
  details: [
    'Episodes cycle through the mistake types and normal episodes. A simulated person finishes',
    'saying a reminder from the held-out template families at a random moment between the mistake',
    'becoming visible and its point of no return (an approval on normal episodes), having started',
    'as long before as the words take at 160 words a minute, and answers the robot\'s questions.',
    'Simulated time advances in lock-step 50 ms steps; latency is wall-clock time from the',
    'reminder\'s words to the correction.',
    '--json prints one JSON object with the figures as the last line; --records FILE writes one JSON',
    'line per episode.',
  ],
  options: [
    { name: 'scenario', value: 'SCENARIO', choices: SCENARIOS, description: 'scenario of every episode (required)' },
    { name: 'episodes', value: 'N', description: 'number of episodes (default 60)' },
    { name: 'seed', value: 'S', description: 'seed of the first episode (default 1)' },
    { name: 'json', description: 'print the figures as one JSON object on the last line' },
    { name: 'records', value: 'FILE', description: 'write one JSON line per episode there' },
    { name: 'backend', value: 'NAME', choices: ['builtin', 'coppeliasim'], description: 'simulator backend (default builtin)' },
    { name: 'host', value: 'HOST', description: 'CoppeliaSim host (default 127.0.0.1)' },
    { name: 'port', value: 'PORT', description: 'CoppeliaSim WebSocket remote-API port (default 23050)' },
    { name: 'language-model', value: 'DIR', description: 'reminder parser model (default the committed models/language)' },
    { name: 'visual-model', value: 'DIR', description: 'visual stage (default the committed models/visual)' },
  ],
  acceptsRosArguments: false,

  async run({ args, io }) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`, 'trial');
    const scenario = args.options['scenario'];
    if (typeof scenario !== 'string' || !(SCENARIOS as readonly string[]).includes(scenario)) {
      throw new UsageError(`--scenario is required: ${SCENARIOS.join(', ')}`, 'trial');
    }
    const episodes = integerValue(args, 'episodes', 'trial', 60, 1, 100000);
    const seed = integerValue(args, 'seed', 'trial', 1, 0, 2 ** 31 - 1);
    const simulator: string[] = [];
    const backend = textValue(args, 'backend', 'trial');
    if (backend) simulator.push(`backend:=${backend}`);
    const host = textValue(args, 'host', 'trial');
    if (host) simulator.push(`host:=${host}`);
    if (args.options['port'] !== undefined) simulator.push(`port:=${integerValue(args, 'port', 'trial', 23050, 1, 65535)}`);
    const languageModel = textValue(args, 'language-model', 'trial');
    const visualModel = textValue(args, 'visual-model', 'trial');
    const recordsFile = textValue(args, 'records', 'trial');
    const bar = new ProgressBar({ label: `trial ${scenario}`, total: episodes, unit: 'episodes', stream: io.stderr });
    const records = recordsFile ? fs.openSync(path.resolve(io.cwd, recordsFile), 'w') : null;
    try {
      const { report } = await runTrial({
        scenario: scenario as Scenario,
        episodes,
        seed,
        parameters: {
          simulator,
          reminder_parser: languageModel ? [`model_path:=${path.resolve(io.cwd, languageModel)}`] : [],
          attention_transfer: visualModel ? [`model_dir:=${path.resolve(io.cwd, visualModel)}`] : [],
        },
        onEpisode: (record, index) => {
          bar.update(index + 1);
          if (records !== null) fs.writeSync(records, `${JSON.stringify(record)}\n`);
        },
      });
      bar.finish();
      io.stdout.write(`${describeReport(report).join('\n')}\n`);
      if (args.options['json'] === true) io.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    } finally {
      if (records !== null) fs.closeSync(records);
    }
  },
};
