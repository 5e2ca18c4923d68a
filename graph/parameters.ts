/**
 * Parameter overrides and a node's declared parameters.
 *
 * Effective value at declaration: default < parameter files (`--params-file`, in order; within a
 * file, wildcard keys such as `/**` before the node's own key) < command line (`-p name:=v`, then
 * node-scoped `-p node:name:=v`). Global arguments (the graph's) come before the node's own at
 * each level. Node keys are matched like rclcpp: a key without a leading slash gets one, so
 * `talker:` means `/talker`; `/**` and `/ns/*` are wildcards.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import type { ParameterDescriptor, ParameterValidator, ParameterValue, SetParameterResult } from './api';
import { nodeKeyMatches } from './names';
import {
  type ParsedParameterValue,
  YAML_OPTIONS,
  checkJsParameterValue,
  checkParameterValue,
  typeYamlValue,
} from './parameter-values';
import type { ParameterAssignment } from './ros-args';

export interface ParameterOverride {
  readonly value: ParsedParameterValue;
  /** Where the value came from, for error messages (`f.yaml:12`, `-p rate:=3`). */
  readonly source: string;
}

/** One node key of a parameter file with its flattened parameters. */
export interface ParamsFileEntry {
  readonly nodeKey: string;
  readonly parameters: ReadonlyMap<string, ParameterOverride>;
}

export class ParamsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamsFileError';
  }
}

/** Parses the text of a ROS 2 parameter file; errors name the file and line. */
export function parseParamsFile(text: string, file: string): ParamsFileEntry[] {
  const lineCounter = new LineCounter();
  // Keys stay the text written (rcl reads them as strings): YAML 1.1 would turn `y:` or `on:` into booleans.
  const document = parseDocument(text, { ...YAML_OPTIONS, lineCounter, uniqueKeys: (a, b) => keyText(a) === keyText(b) });
  const lineOf = (node: YamlNode | null | undefined): number => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    throw new ParamsFileError(`${file}:${error.linePos?.[0].line ?? 1}: invalid YAML: ${error.message.split('\n')[0]}`);
  }
  const entries: ParamsFileEntry[] = [];
  if (document.contents === null) return entries;
  if (!isMap(document.contents)) throw new ParamsFileError(`${file}:1: expected a map of node names`);

  const flatten = (node: YamlNode, prefix: string, into: Map<string, ParameterOverride>): void => {
    if (!isMap(node)) {
      throw new ParamsFileError(`${file}:${lineOf(node)}: ros__parameters must be a map of parameter names`);
    }
    for (const pair of node.items as Pair<YamlNode, YamlNode>[]) {
      const key = keyText(pair.key);
      const name = prefix ? `${prefix}.${key}` : key;
      const value = pair.value;
      if (value && isMap(value)) {
        flatten(value, name, into);
        continue;
      }
      if (value && isSeq(value) && value.items.some((item) => !isScalar(item))) {
        throw new ParamsFileError(`${file}:${lineOf(value)}: parameter '${name}': nested arrays and maps are not parameter values`);
      }
      const typed = typeYamlValue(value ? value.toJS(document) : null);
      if (typeof typed === 'string') throw new ParamsFileError(`${file}:${lineOf(value ?? pair.key)}: parameter '${name}': ${typed}`);
      into.set(name, { value: typed, source: `${file}:${lineOf(value)}` });
    }
  };

  const visitNodes = (node: YamlNode, path: string): void => {
    if (!isMap(node)) throw new ParamsFileError(`${file}:${lineOf(node)}: expected ros__parameters under '${path}'`);
    for (const pair of node.items as Pair<YamlNode, YamlNode>[]) {
      const key = keyText(pair.key);
      if (key === 'ros__parameters') {
        const parameters = new Map<string, ParameterOverride>();
        if (pair.value) flatten(pair.value, '', parameters);
        entries.push({ nodeKey: path, parameters });
      } else if (pair.value) {
        visitNodes(pair.value, key.startsWith('/') ? `${path}${key}` : `${path}/${key}`);
      } else {
        throw new ParamsFileError(`${file}:${lineOf(pair.key)}: '${key}' has no ros__parameters`);
      }
    }
  };
  visitNodes(document.contents, '');
  return entries;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return typeof key.source === 'string' ? key.source : String(key.value);
  return String(key);
}

export function readParamsFile(file: string): ParamsFileEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ParamsFileError(`cannot read parameter file ${file}: ${(error as Error).message}`);
  }
  return parseParamsFile(text, file);
}

function isWildcard(key: string): boolean {
  return key.includes('*');
}

/**
 * The overrides that apply to one node, by parameter name. `files` are parsed parameter files in
 * the order they were given (global ones first), `assignments` the `-p` arguments likewise.
 */
export function resolveOverrides(
  fullyQualifiedName: string,
  files: readonly ParamsFileEntry[][],
  assignments: readonly ParameterAssignment[],
): Map<string, ParameterOverride> {
  const result = new Map<string, ParameterOverride>();
  for (const entries of files) {
    const matching = entries.filter((e) => nodeKeyMatches(e.nodeKey, fullyQualifiedName));
    const ordered = [...matching.filter((e) => isWildcard(e.nodeKey)), ...matching.filter((e) => !isWildcard(e.nodeKey))];
    for (const entry of ordered) for (const [name, override] of entry.parameters) result.set(name, override);
  }
  const unscoped = assignments.filter((a) => a.node === undefined);
  const scoped = assignments.filter((a) => a.node !== undefined && nodeKeyMatches(a.node, fullyQualifiedName));
  for (const assignment of [...unscoped, ...scoped]) {
    result.set(assignment.name, { value: assignment.value, source: `-p ${assignment.argument}` });
  }
  return result;
}

interface DeclaredParameter {
  value: ParameterValue;
  readonly descriptor: ParameterDescriptor;
}

/** A node's declared parameters, with validation and change callbacks. */
export class ParameterStore {
  readonly #parameters = new Map<string, DeclaredParameter>();
  readonly #validators: ParameterValidator[] = [];
  readonly #listeners: ((name: string, value: ParameterValue) => void)[] = [];

  constructor(
    private readonly nodeName: string,
    private readonly overrides: ReadonlyMap<string, ParameterOverride>,
    private readonly onListenerError: (error: unknown) => void,
  ) {}

  declare<V extends ParameterValue>(name: string, defaultValue: V, descriptor: ParameterDescriptor): V {
    const problem = (text: string): Error => new Error(`node ${this.nodeName}: parameter '${name}' ${text}`);
    if (this.#parameters.has(name)) throw problem('is already declared');
    const checkedDefault = checkJsParameterValue(defaultValue, descriptor);
    if ('reason' in checkedDefault) throw problem(`has an invalid default: ${checkedDefault.reason}`);
    let value = checkedDefault.value;
    const override = this.overrides.get(name);
    if (override) {
      const checked = checkParameterValue(override.value, descriptor);
      if ('reason' in checked) throw problem(`${checked.reason} (from ${override.source})`);
      value = checked.value;
    }
    this.#parameters.set(name, { value, descriptor });
    return value as V;
  }

  has(name: string): boolean {
    return this.#parameters.has(name);
  }

  get(name: string): ParameterValue {
    const parameter = this.#parameters.get(name);
    if (!parameter) throw new Error(`node ${this.nodeName}: parameter '${name}' is not declared`);
    return parameter.value;
  }

  set(name: string, value: ParameterValue): SetParameterResult {
    const reject = (reason: string): SetParameterResult => ({ successful: false, reason: `parameter '${name}': ${reason}` });
    const parameter = this.#parameters.get(name);
    if (!parameter) return reject('is not declared');
    if (parameter.descriptor.readOnly) return reject('is read-only');
    const checked = checkJsParameterValue(value, parameter.descriptor);
    if ('reason' in checked) return reject(checked.reason);
    for (const validator of this.#validators) {
      const reason = validator(name, checked.value);
      if (reason !== null) return reject(reason);
    }
    parameter.value = checked.value;
    for (const listener of this.#listeners) {
      try {
        listener(name, checked.value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
    return { successful: true, reason: '' };
  }

  addValidator(validator: ParameterValidator): void {
    this.#validators.push(validator);
  }

  onChanged(listener: (name: string, value: ParameterValue) => void): void {
    this.#listeners.push(listener);
  }
}
