/**
 * Resolves every node's parameters before launch, in rcl's order: declared default, then
 * parameter files (wildcard sections before sections naming the node), then `-p` values
 * (`<param name value>` first, then the command line's `--ros-args -p`). Every value is checked
 * against the node's schema; the ROS arguments built here make the graph apply the same order.
 */
import * as path from 'path';
import type { ParameterSpec } from '../../graph/node-definition';
import { formatLocation, LaunchError, type SourceLocation } from './errors';
import { isWildcardPattern, loadParameterFile, sectionsForNode, type ParameterFile } from './parameter-file';
import { encodeForRosArguments, parameterValueProblem, typedValueFromText, type TypedValue } from './parameter-values';
import type { PendingNode, PlannedNode } from './plan';

export type ParameterSource =
  | { readonly kind: 'file'; readonly file: string; readonly location: SourceLocation }
  | { readonly kind: 'value'; readonly name: string; readonly value: TypedValue; readonly location: SourceLocation };

export interface PlannedParameter {
  readonly name: string;
  readonly value: TypedValue;
  /** `default`, `file:line` of the YAML or XML that set it, or `command line`. */
  readonly origin: string;
}

/** `-p` and `--params-file` of the `--ros-args` given to h2r launch, which apply to every node. */
interface CommandLineParameters {
  readonly files: readonly string[];
  readonly values: readonly { readonly nodeName?: string; readonly name: string; readonly value: TypedValue; readonly rule: string }[];
}

const COMMAND_LINE = 'command line';

export function resolveNodeParameters(
  nodes: readonly PendingNode[],
  rosArguments: readonly string[],
  parameterFiles: ReadonlyMap<string, ParameterFile>,
): PlannedNode[] {
  const commandLine = readCommandLineParameters(rosArguments);
  const files = new Map(parameterFiles);
  for (const file of commandLine.files) {
    if (!files.has(file)) files.set(file, loadParameterFile(file, undefined));
  }
  const declaredAnywhere = new Set(nodes.flatMap((node) => Object.keys(node.definition.parameters)));
  const passedOn = rosArguments[0] === '--ros-args' ? rosArguments.slice(1) : rosArguments;

  return nodes.map((node) => {
    const resolver = new NodeParameters(node, declaredAnywhere);
    const fileSources = node.parameterSources.filter((source) => source.kind === 'file');
    for (const file of [...fileSources.map((source) => source.file), ...commandLine.files]) {
      for (const section of sectionsForNode(files.get(file) as ParameterFile, node.fullyQualifiedName)) {
        const wildcard = isWildcardPattern(section.nodePattern);
        for (const assignment of section.assignments) {
          resolver.set(assignment.name, assignment.value, assignment.location, wildcard);
        }
      }
    }
    const valueSources = node.parameterSources.flatMap((source) => (source.kind === 'value' ? [source] : []));
    for (const source of valueSources) resolver.set(source.name, source.value, source.location, false);
    for (const entry of commandLine.values) {
      const applies = entry.nodeName === undefined || entry.nodeName === node.name || entry.nodeName === node.fullyQualifiedName;
      if (applies) resolver.set(entry.name, entry.value, COMMAND_LINE, entry.nodeName === undefined, entry.rule);
    }
    const { parameterSources: _sources, definition: _definition, ...rest } = node;
    return {
      ...rest,
      parameterSources: node.parameterSources,
      parameters: resolver.result(),
      rosArguments: [
        '--ros-args',
        ...fileSources.flatMap((source) => ['--params-file', source.file]),
        ...valueSources.flatMap((source) => ['-p', `${source.name}:=${encodeForRosArguments(source.value)}`]),
        ...node.remaps.flatMap((remap) => ['-r', `${remap.from}:=${remap.to}`]),
        ...passedOn,
      ],
    };
  });
}

class NodeParameters {
  private readonly values = new Map<string, PlannedParameter>();
  private readonly schema: Readonly<Record<string, ParameterSpec>>;

  constructor(
    private readonly node: PendingNode,
    private readonly declaredAnywhere: ReadonlySet<string>,
  ) {
    this.schema = node.definition.parameters;
    for (const [name, spec] of Object.entries(this.schema)) {
      this.values.set(name, { name, value: { type: spec.descriptor.type, value: spec.defaultValue }, origin: 'default' });
    }
  }

  /**
   * A value for every node (a wildcard section or a command-line -p without node name) may name a
   * parameter this node lacks, as long as some node of the launch declares it.
   */
  set(name: string, value: TypedValue, where: SourceLocation | typeof COMMAND_LINE, forEveryNode: boolean, rule?: string): void {
    const location = where === COMMAND_LINE ? undefined : where;
    const prefix = rule === undefined ? '' : `--ros-args -p ${rule}: `;
    const spec = this.schema[name];
    if (spec === undefined) {
      if (forEveryNode && this.declaredAnywhere.has(name)) return;
      const declared = Object.keys(this.schema).sort().join(', ') || 'none';
      const detail = forEveryNode
        ? `no node of this launch declares parameter '${name}'`
        : `node ${this.describeNode()} does not declare parameter '${name}' (it declares: ${declared})`;
      throw new LaunchError(location, prefix + detail);
    }
    const problem = parameterValueProblem(spec, value);
    if (problem !== null) {
      throw new LaunchError(location, `${prefix}parameter '${name}' of node ${this.describeNode()}: ${problem}`);
    }
    this.values.set(name, { name, value, origin: location === undefined ? COMMAND_LINE : formatLocation(location) });
  }

  result(): PlannedParameter[] {
    return [...this.values.values()];
  }

  private describeNode(): string {
    return `${this.node.fullyQualifiedName} (${this.node.executable})`;
  }
}

function readCommandLineParameters(rosArguments: readonly string[]): CommandLineParameters {
  const files: string[] = [];
  const values: CommandLineParameters['values'][number][] = [];
  for (let index = 0; index < rosArguments.length; index += 1) {
    const flag = rosArguments[index];
    const operand = rosArguments[index + 1];
    if (flag === '--params-file' && operand !== undefined) {
      files.push(path.resolve(operand));
      index += 1;
    } else if ((flag === '-p' || flag === '--param') && operand !== undefined) {
      values.push(parseParameterRule(operand));
      index += 1;
    }
  }
  return { files, values };
}

/** `[node:]name:=value` */
function parseParameterRule(rule: string): CommandLineParameters['values'][number] {
  const separator = rule.indexOf(':=');
  if (separator <= 0) throw new LaunchError(undefined, `--ros-args -p ${rule}: expected name:=value`);
  const target = rule.slice(0, separator);
  const colon = target.lastIndexOf(':');
  const nodeName = colon === -1 ? undefined : target.slice(0, colon);
  const name = colon === -1 ? target : target.slice(colon + 1);
  try {
    return { nodeName, name, value: typedValueFromText(rule.slice(separator + 2)), rule };
  } catch (error) {
    throw new LaunchError(undefined, `--ros-args -p ${rule}: ${(error as Error).message}`);
  }
}
