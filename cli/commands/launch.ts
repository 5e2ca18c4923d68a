import * as fs from 'fs';
import * as path from 'path';
import { NODE_DEFINITIONS } from '../../nodes/index';
import { UsageError, type Command } from '../command';
import { describeLaunchArguments, describePlan } from '../launch/describe';
import { LaunchError } from '../launch/errors';
import { buildLaunchPlan, readLaunchFile } from '../launch/plan';
import { NODE_PACKAGE, packageShareDirectories, repositoryRoot } from '../repo';
import { cliLogger, runUntilSignal } from '../session';

export const command: Command = {
  name: 'launch',
  summary: 'Run the nodes of a ROS 2 launch XML file together on one graph, in this process',
  usage: 'h2r launch FILE [name:=value ...] [--show-args] [--dry-run] [--ros-args ...]',
  details: [
    'FILE is a path, or the name of a file in the repository\'s launch/ directory (kitchen.launch.xml).',
    'name:=value sets a launch argument, as with ros2 launch. --ros-args ... after them goes to every',
    'node (after the node\'s own arguments), e.g. --ros-args -p max_length:=200.',
    'The whole file is checked first (arguments, substitutions, nodes, parameter files and every',
    'parameter against its node\'s declaration); nothing starts unless all of it is right.',
    'Ctrl-C (SIGINT) or SIGTERM stops every node, the ones driving the robot first, and exits with 0.',
  ],
  options: [
    { name: 'show-args', description: 'list the launch arguments with defaults and descriptions, start nothing' },
    { name: 'dry-run', description: 'check the file and print the launch plan, start nothing' },
  ],
  acceptsRosArguments: true,

  async run({ args, settings, io }) {
    const [given, ...assignments] = args.positionals;
    if (given === undefined) throw new UsageError('no launch file given', 'launch');
    const root = repositoryRoot();
    const file = resolveLaunchFile(given, io.cwd, root);
    if (args.options['show-args'] === true) {
      io.stdout.write(`${describeLaunchArguments(readLaunchFile(file), file).join('\n')}\n`);
      return 0;
    }
    const plan = buildLaunchPlan({
      file,
      launchArguments: parseLaunchArguments(assignments),
      rosArguments: args.rosArguments,
      nodeDefinitions: NODE_DEFINITIONS,
      packages: packageShareDirectories(root),
      nodePackage: NODE_PACKAGE,
      environment: io.env,
      cwd: io.cwd,
      rejectIntegerForDouble: settings.graph === 'ros2',
    });
    if (args.options['dry-run'] === true) {
      io.stdout.write(`${describePlan(plan).join('\n')}\n`);
      return 0;
    }
    const logger = cliLogger('launch', settings);
    for (const warning of plan.warnings) logger.warn(warning);
    if (plan.nodes.length === 0 && plan.processes.length === 0) {
      logger.warn(`nothing to start: every node of ${given} is switched off by its arguments`);
      return 0;
    }
    return runUntilSignal(plan, settings, io, logger);
  },
};

/** `name:=value` pairs; the same name twice is a mistake. */
function parseLaunchArguments(assignments: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const assignment of assignments) {
    const separator = assignment.indexOf(':=');
    if (separator <= 0) throw new UsageError(`expected a launch argument name:=value, got '${assignment}'`, 'launch');
    const name = assignment.slice(0, separator);
    if (values.has(name)) throw new UsageError(`launch argument '${name}' is given twice`, 'launch');
    values.set(name, assignment.slice(separator + 2));
  }
  return values;
}

/** A path from the working directory, else a file of the repository's launch/ directory. */
function resolveLaunchFile(given: string, cwd: string, root: string): string {
  const direct = path.resolve(cwd, given);
  if (fs.existsSync(direct)) return direct;
  const launchDirectory = path.join(root, 'launch');
  const shipped = path.join(launchDirectory, given);
  if (!given.includes('/') && fs.existsSync(shipped)) return shipped;
  const available = fs.readdirSync(launchDirectory).filter((name) => name.endsWith('.launch.xml'));
  throw new LaunchError(undefined, `launch file ${given} does not exist (shipped: ${available.join(', ')})`);
}
