import { findNodeDefinition, NODE_DEFINITIONS } from '../../nodes/index';
import { UsageError, type Command } from '../command';
import { cliLogger, runUntilSignal } from '../session';

export const command: Command = {
  name: 'node',
  summary: 'Run one node of package h2r_at (what ros2 run h2r_at <exec> calls)',
  usage: 'h2r node EXECUTABLE [--list] [--ros-args -r __node:=NAME -r __ns:=/NS -p name:=value --params-file FILE ...]',
  details: [
    'The ROS 2 wrappers installed by ros/h2r_at run h2r node EXECUTABLE --graph ros2 --ros-args ...',
    'On the embedded graph the node is alone: that graph lives in this process, so nodes meant to',
    'talk to each other run together with h2r launch.',
  ],
  options: [{ name: 'list', description: 'list the node executables with their parameters, start nothing' }],
  acceptsRosArguments: true,

  async run({ args, settings, io }) {
    if (args.options['list'] === true) {
      io.stdout.write(`${listNodes().join('\n')}\n`);
      return 0;
    }
    const [executable, ...extra] = args.positionals;
    if (executable === undefined) throw new UsageError('no node executable given (see --list)', 'node');
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0] as string}'; ROS arguments go after --ros-args`, 'node');
    const definition = findNodeDefinition(executable);
    if (definition === undefined) {
      const known = NODE_DEFINITIONS.map((candidate) => candidate.executable).join(', ');
      throw new UsageError(`unknown node executable '${executable}' (known: ${known})`, 'node');
    }
    const logger = cliLogger(executable, settings);
    const node = { executable, name: definition.defaultName, namespace: '/', rosArguments: args.rosArguments };
    return runUntilSignal({ nodes: [node], processes: [] }, settings, io, logger);
  },
};

function listNodes(): string[] {
  return NODE_DEFINITIONS.flatMap((definition) => [
    `${definition.executable}: ${definition.description}`,
    ...Object.entries(definition.parameters).map(([name, spec]) => {
      const { type, range, choices } = spec.descriptor;
      const limits = range !== undefined ? ` ${range.from}..${range.to}` : choices !== undefined ? ` (${choices.join('|')})` : '';
      return `  ${name} (${type}${limits}, default ${JSON.stringify(spec.defaultValue)}): ${spec.descriptor.description}`;
    }),
  ]);
}
