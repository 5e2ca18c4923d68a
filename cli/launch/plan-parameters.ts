/**
 * Checks and resolves every node's parameters before launch, with the graph's own rules
 * (graph/parameters.ts): default < parameter files (wildcard sections before the node's own) <
 * `-p` values (`<param name value>`, then the command line's `--ros-args -p`). Unlike the graph,
 * which ignores values for parameters a node does not declare, a launch rejects them: they are
 * typos. A value meant for every node (a wildcard section, a `-p` without node name) only has to
 * be declared by some node of the launch.
 */
import * as fs from 'fs';
import type { ParameterDescriptor } from '../../graph/api';
import { nodeKeyMatches } from '../../graph/names';
import {
  checkJsParameterValue,
  checkParameterValue,
  describeParameterValue,
  type ParsedParameterValue,
} from '../../graph/parameter-values';
import { type ParamsFileEntry, ParamsFileError, readParamsFile, resolveOverrides } from '../../graph/parameters';
import { type ParameterAssignment, parseRosArguments, type RosArguments } from '../../graph/ros-args';
import { displayPath, formatLocation, LaunchError, type SourceLocation } from './errors';
import { encodeParameterValue } from './encode-parameter';
import type { ParameterSource, PendingNode, PlannedNode, PlannedParameter } from './plan-types';

export interface ResolvedParameters {
  readonly nodes: PlannedNode[];
  /** Parameter-file sections that match no node of the launch. */
  readonly warnings: string[];
}

const COMMAND_LINE = 'command line';

/** Reads a parameter file once; `referencedFrom` is the `<param from>` naming it (none: command line). */
export class ParameterFiles {
  private readonly files = new Map<string, ParamsFileEntry[]>();

  load(file: string, referencedFrom: SourceLocation | undefined): ParamsFileEntry[] {
    const known = this.files.get(file);
    if (known !== undefined) return known;
    if (!fs.existsSync(file)) {
      const via = referencedFrom === undefined ? ' (given with --ros-args --params-file)' : '';
      throw new LaunchError(referencedFrom, `parameter file ${displayPath(file)} does not exist${via}`);
    }
    let entries: ParamsFileEntry[];
    try {
      entries = readParamsFile(file);
    } catch (error) {
      if (!(error instanceof ParamsFileError)) throw error;
      // The graph's message starts with "<file>:<line>: "; show the file as a person wants to read it.
      const message = error.message.startsWith(`${file}:`) ? displayPath(file) + error.message.slice(file.length) : error.message;
      throw new LaunchError(undefined, message);
    }
    this.files.set(file, entries);
    return entries;
  }

  loaded(): ReadonlyMap<string, ParamsFileEntry[]> {
    return this.files;
  }
}

/** Parses the `--ros-args ...` given to h2r launch, which every node receives after its own. */
export function parseCommandLineRosArguments(rosArguments: readonly string[]): RosArguments {
  try {
    return parseRosArguments(rosArguments);
  } catch (error) {
    throw new LaunchError(undefined, `--ros-args: ${(error as Error).message}`);
  }
}

export function resolveNodeParameters(
  nodes: readonly PendingNode[],
  commandLineRosArguments: readonly string[],
  parameterFiles: ParameterFiles,
  /** rclcpp's rule, for runs on real ROS 2; the embedded graph accepts `5` for a double. */
  rejectIntegerForDouble: boolean,
): ResolvedParameters {
  const commandLine = parseCommandLineRosArguments(commandLineRosArguments);
  const launchFiles = new Set(parameterFiles.loaded().keys());
  const commandLineFiles = commandLine.paramsFiles.map((file) => ({ file, entries: parameterFiles.load(file, undefined) }));
  const declaredAnywhere = new Set(nodes.flatMap((node) => Object.keys(node.definition.parameters)));
  const usedSections = new Set<ParamsFileEntry>();
  const passedOn = commandLineRosArguments.filter((argument, index) => !(index === 0 && argument === '--ros-args'));

  const planned = nodes.map((node): PlannedNode => {
    const fileSources = node.parameterSources.flatMap((source) => (source.kind === 'file' ? [source] : []));
    const valueSources = node.parameterSources.flatMap((source) => (source.kind === 'value' ? [source] : []));
    const checker = new NodeParameterChecker(node, declaredAnywhere, rejectIntegerForDouble);
    for (const [name, spec] of Object.entries(node.definition.parameters)) {
      const checked = checkJsParameterValue(spec.defaultValue, spec.descriptor);
      if ('reason' in checked) {
        const detail = `parameter '${name}' has an invalid default in its definition: ${checked.reason}`;
        throw new LaunchError(node.location, `node ${node.fullyQualifiedName} (${node.executable}): ${detail}`);
      }
    }

    const files = [
      ...fileSources.map((source) => parameterFiles.load(source.file, source.location)),
      ...commandLineFiles.map((file) => file.entries),
    ];
    for (const entries of files) {
      for (const entry of entries.filter((candidate) => nodeKeyMatches(candidate.nodeKey, node.fullyQualifiedName))) {
        usedSections.add(entry);
        for (const [name, override] of entry.parameters) {
          checker.check(name, override.value, parseSource(override.source), entry.nodeKey.includes('*'));
        }
      }
    }
    // <param name value> becomes `-p`, ahead of the command line's own `-p`.
    const ownAssignments = valueSources.map((source) => assignment(source));
    for (const [index, source] of valueSources.entries()) {
      checker.check(source.name, source.value, source.location, false, ownAssignments[index]);
    }
    for (const given of commandLine.parameters) {
      if (given.node !== undefined && !nodeKeyMatches(given.node, node.fullyQualifiedName)) continue;
      checker.check(given.name, given.value, undefined, given.node === undefined, given);
    }

    const overrides = resolveOverrides(node.fullyQualifiedName, files, [...ownAssignments, ...commandLine.parameters]);
    // The graph names a -p value's source `-p <argument>`; show the <param> line instead.
    const origins = new Map(
      valueSources.map((source, index) => [`-p ${(ownAssignments[index] as ParameterAssignment).argument}`, formatLocation(source.location)]),
    );
    const parameters = Object.entries(node.definition.parameters).map(([name, spec]): PlannedParameter => {
      const override = overrides.get(name);
      if (override === undefined) return { name, type: spec.descriptor.type, value: spec.defaultValue, origin: 'default' };
      const checked = checkParameterValue(override.value, spec.descriptor);
      const value = 'value' in checked ? checked.value : spec.defaultValue;
      const origin = origins.get(override.source) ?? (override.source.startsWith('-p ') ? COMMAND_LINE : displaySource(override.source));
      return { name, type: spec.descriptor.type, value, origin };
    });

    const remapArguments = node.remaps.flatMap((remap) => ['-r', `${remap.from}:=${remap.to}`]);
    try {
      parseRosArguments(['--ros-args', ...remapArguments]);
    } catch (error) {
      throw new LaunchError(node.location, `node ${node.fullyQualifiedName}: ${(error as Error).message}`);
    }
    return {
      executable: node.executable,
      name: node.name,
      namespace: node.namespace,
      fullyQualifiedName: node.fullyQualifiedName,
      location: node.location,
      output: node.output,
      remaps: node.remaps,
      parameterSources: node.parameterSources,
      parameters,
      rosArguments: [
        '--ros-args',
        ...fileSources.flatMap((source) => ['--params-file', source.file]),
        ...ownAssignments.flatMap((own) => ['-p', own.argument]),
        ...remapArguments,
        ...passedOn,
      ],
    };
  });

  const warnings: string[] = [];
  for (const [file, entries] of parameterFiles.loaded()) {
    if (!launchFiles.has(file)) continue;
    for (const entry of entries.filter((candidate) => !usedSections.has(candidate))) {
      warnings.push(`${displayPath(file)}: section '${entry.nodeKey}' matches no node of this launch`);
    }
  }
  return { nodes: planned, warnings };
}

function assignment(source: Extract<ParameterSource, { kind: 'value' }>): ParameterAssignment {
  return { name: source.name, value: source.value, argument: `${source.name}:=${encodeParameterValue(source.value)}` };
}

/** `/abs/file.yaml:12` as `launch/config/file.yaml:12`. */
function displaySource(source: string): string {
  const match = /^(.*):(\d+)$/.exec(source);
  return match === null ? source : `${displayPath(match[1] as string)}:${match[2] as string}`;
}

class NodeParameterChecker {
  constructor(
    private readonly node: PendingNode,
    private readonly declaredAnywhere: ReadonlySet<string>,
    private readonly rejectIntegerForDouble: boolean,
  ) {}

  /** `location` is undefined for the command line; `forEveryNode` marks wildcard sections and unscoped `-p`. */
  check(
    name: string,
    value: ParsedParameterValue,
    location: SourceLocation | undefined,
    forEveryNode: boolean,
    given?: ParameterAssignment,
  ): void {
    const prefix = location === undefined && given !== undefined ? `--ros-args -p ${given.argument}: ` : '';
    const spec = this.node.definition.parameters[name];
    if (spec === undefined) {
      if (forEveryNode && this.declaredAnywhere.has(name)) return;
      const declared = Object.keys(this.node.definition.parameters).sort().join(', ') || 'none';
      const detail = forEveryNode
        ? `no node of this launch declares parameter '${name}'`
        : `node ${this.describeNode()} does not declare parameter '${name}' (it declares: ${declared})`;
      throw new LaunchError(location, prefix + detail);
    }
    const checked = checkParameterValue(value, spec.descriptor);
    const integerForDouble = value.type.startsWith('integer') && spec.descriptor.type.startsWith('double');
    if ('reason' in checked || (integerForDouble && this.rejectIntegerForDouble)) {
      const expected = describeExpectation(spec.descriptor);
      const hint = integerForDouble ? ' (ROS 2 takes no integer for a double: write it with a decimal point)' : '';
      throw new LaunchError(
        location,
        `${prefix}parameter '${name}' of node ${this.describeNode()}: expected ${expected}, given ${describeParameterValue(value)}${hint}`,
      );
    }
  }

  private describeNode(): string {
    return `${this.node.fullyQualifiedName} (${this.node.executable})`;
  }
}

function parseSource(source: string): SourceLocation | undefined {
  const match = /^(.*):(\d+)$/.exec(source);
  return match === null ? undefined : { file: match[1] as string, line: Number(match[2]) };
}

function describeExpectation(descriptor: ParameterDescriptor): string {
  if (descriptor.range !== undefined) return `${descriptor.type} in ${descriptor.range.from}..${descriptor.range.to}`;
  if (descriptor.choices !== undefined) return `${descriptor.type} (one of ${descriptor.choices.join(', ')})`;
  return descriptor.type;
}
