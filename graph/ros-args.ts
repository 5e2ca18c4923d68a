/**
 * The ROS 2 command-line argument syntax, parsed as rcl parses it: everything between
 * `--ros-args` and `--` (or the end) is a ROS argument, and there may be several such sections.
 *
 * ROS arguments: `-r/--remap [node:]from:=to`, `-p/--param [node:]name:=yaml`, `--params-file
 * path`, `--log-level [logger:=]level`, `-e/--enclave name`, `--log-config-file path`,
 * `--log-file-name name`, `--enable-/--disable-` `stdout-logs`, `rosout-logs`,
 * `external-lib-logs`. Unknown ROS arguments are an error naming all of them. Pure: no file is read.
 */
import type { LogLevel } from './api';
import { type RemapRule, validateNodeName, validateTopicName } from './names';
import { type ParsedParameterValue, parseYamlParameterValue } from './parameter-values';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'fatal'];

/** `-p [node:]name:=value`; `node` is a node key matched like a parameter-file key. */
export interface ParameterAssignment {
  readonly node?: string;
  readonly name: string;
  readonly value: ParsedParameterValue;
  /** The argument as given, for error messages. */
  readonly argument: string;
}

export interface LogLevelSetting {
  /** A logger name (`ns.node`); absent for the default level of every logger. */
  readonly logger?: string;
  readonly level: LogLevel;
}

export interface RosArguments {
  readonly remaps: readonly RemapRule[];
  readonly parameters: readonly ParameterAssignment[];
  readonly paramsFiles: readonly string[];
  readonly logLevels: readonly LogLevelSetting[];
  readonly enclave?: string;
  readonly logConfigFile?: string;
  readonly logFileName?: string;
  readonly stdoutLogs?: boolean;
  readonly rosoutLogs?: boolean;
  readonly externalLibLogs?: boolean;
  /** Arguments outside the `--ros-args` sections, in order. */
  readonly userArguments: readonly string[];
}

export class RosArgumentsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RosArgumentsError';
  }
}

const TOGGLES: Readonly<Record<string, 'stdoutLogs' | 'rosoutLogs' | 'externalLibLogs'>> = {
  'stdout-logs': 'stdoutLogs',
  'rosout-logs': 'rosoutLogs',
  'external-lib-logs': 'externalLibLogs',
};

/** Splits `[prefix:]left:=right` at the `:=` and at most one `:` before it. */
function splitRule(text: string): { scope?: string; left: string; right: string } | undefined {
  const assign = text.indexOf(':=');
  if (assign <= 0) return undefined;
  const left = text.slice(0, assign);
  const right = text.slice(assign + 2);
  const colon = left.indexOf(':');
  if (colon < 0) return { left, right };
  if (left.indexOf(':', colon + 1) >= 0) return undefined;
  return { scope: left.slice(0, colon), left: left.slice(colon + 1), right };
}

function parseRemap(argument: string): RemapRule {
  const rule = splitRule(argument);
  if (!rule || rule.left === '' || rule.right === '') {
    throw new RosArgumentsError(`cannot parse remap rule '${argument}': expected [node:]from:=to`);
  }
  try {
    if (rule.scope !== undefined) validateNodeName(rule.scope);
    if (rule.left === '__node' || rule.left === '__name') validateNodeName(rule.right);
    else if (rule.left !== '__ns') {
      validateTopicName(rule.left);
      validateTopicName(rule.right);
    }
  } catch (error) {
    throw new RosArgumentsError(`cannot parse remap rule '${argument}': ${(error as Error).message}`);
  }
  return { ...(rule.scope !== undefined ? { nodeName: rule.scope } : {}), from: rule.left, to: rule.right };
}

function parseParameter(argument: string): ParameterAssignment {
  const rule = splitRule(argument);
  if (!rule || rule.left === '') {
    throw new RosArgumentsError(`cannot parse parameter '${argument}': expected [node:]name:=value`);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(rule.left)) {
    throw new RosArgumentsError(`cannot parse parameter '${argument}': '${rule.left}' is not a valid parameter name`);
  }
  const typed = parseYamlParameterValue(rule.right);
  if (typeof typed === 'string') throw new RosArgumentsError(`cannot parse parameter '${argument}': ${typed}`);
  return {
    ...(rule.scope !== undefined ? { node: rule.scope } : {}),
    name: rule.left,
    value: typed,
    argument,
  };
}

function parseLogLevel(argument: string): LogLevelSetting {
  const rule = splitRule(argument);
  const levelText = (rule ? rule.right : argument).toLowerCase();
  const level = LOG_LEVELS.find((l) => l === levelText);
  if (!level) {
    throw new RosArgumentsError(`cannot parse log level '${argument}': expected one of ${LOG_LEVELS.join(', ')}, optionally after logger:=`);
  }
  if (!rule) return { level };
  const logger = rule.scope === undefined ? rule.left : `${rule.scope}:${rule.left}`;
  return { logger, level };
}

/** Parses a full argument vector (program arguments and `--ros-args ... --` sections). */
export function parseRosArguments(argv: readonly string[]): RosArguments {
  const remaps: RemapRule[] = [];
  const parameters: ParameterAssignment[] = [];
  const paramsFiles: string[] = [];
  const logLevels: LogLevelSetting[] = [];
  const userArguments: string[] = [];
  const unknown: string[] = [];
  const result: { -readonly [K in keyof RosArguments]?: RosArguments[K] } = {};
  let inRos = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--ros-args') {
      inRos = true;
      continue;
    }
    if (!inRos) {
      userArguments.push(arg);
      continue;
    }
    if (arg === '--') {
      inRos = false;
      continue;
    }
    const valueOf = (flag: string): string => {
      const next = argv[i + 1];
      if (next === undefined || next === '--' || next === '--ros-args') {
        throw new RosArgumentsError(`ROS argument ${flag} needs a value after it`);
      }
      i++;
      return next;
    };
    const toggle = /^--(enable|disable)-(.+)$/.exec(arg);
    if (arg === '-r' || arg === '--remap') remaps.push(parseRemap(valueOf(arg)));
    else if (arg === '-p' || arg === '--param') parameters.push(parseParameter(valueOf(arg)));
    else if (arg === '--params-file') paramsFiles.push(valueOf(arg));
    else if (arg === '--log-level') logLevels.push(parseLogLevel(valueOf(arg)));
    else if (arg === '-e' || arg === '--enclave') result.enclave = valueOf(arg);
    else if (arg === '--log-config-file') result.logConfigFile = valueOf(arg);
    else if (arg === '--log-file-name') result.logFileName = valueOf(arg);
    else if (toggle && TOGGLES[toggle[2]!]) result[TOGGLES[toggle[2]!]!] = toggle[1] === 'enable';
    else unknown.push(arg);
  }
  if (unknown.length > 0) {
    throw new RosArgumentsError(`unknown ROS arguments: ${unknown.map((u) => `'${u}'`).join(', ')}`);
  }
  return { ...result, remaps, parameters, paramsFiles, logLevels, userArguments };
}

/** True when argv holds a `--ros-args` section. */
export function hasRosArguments(argv: readonly string[]): boolean {
  return argv.includes('--ros-args');
}
