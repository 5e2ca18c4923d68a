/**
 * Turns a launch XML file plus `name:=value` arguments into a LaunchPlan: plain data saying which
 * nodes and processes to start, with their names, namespaces, remaps and checked parameters.
 * Building the plan reads files but starts nothing; every mistake is reported here with
 * `file:line`, before the first node exists.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fullyQualifiedNodeName, validateNamespace, validateNodeName } from '../../graph/names';
import { parseYamlParameterValue } from '../../graph/parameter-values';
import { LaunchError, type SourceLocation } from './errors';
import { ParameterFiles, resolveNodeParameters } from './plan-parameters';
import type {
  LaunchArgument,
  LaunchPlan,
  LaunchPlanOptions,
  OutputMode,
  ParameterSource,
  PendingNode,
  PlannedNode,
  PlannedParameter,
  PlannedProcess,
  Remap,
} from './plan-types';
import { checkLaunchStructure } from './schema';
import { SubstitutionError, substitute, type SubstitutionContext } from './substitutions';
import { parseXml, type XmlElement } from './xml';
import { findProgram, splitCommandLine } from './command-line';

export type { LaunchArgument, LaunchPlan, LaunchPlanOptions, OutputMode, PlannedNode, PlannedParameter, PlannedProcess, Remap };

interface Scope {
  configurations: Map<string, string>;
  /** Namespace pushed by `<push-ros-namespace>`; undefined for none. */
  namespace: string | undefined;
}

const OUTPUT_MODES: readonly OutputMode[] = ['screen', 'log', 'both'];

/** Reads the file's `<arg>` declarations without evaluating anything, for `--show-args`. */
export function readLaunchFile(file: string, text?: string): XmlElement {
  let source = text;
  if (source === undefined) {
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : String(error);
      throw new LaunchError(undefined, `launch file ${file} ${reason}`);
    }
  }
  const root = parseXml(source, file);
  checkLaunchStructure(root);
  return root;
}

export function buildLaunchPlan(options: LaunchPlanOptions): LaunchPlan {
  const root = readLaunchFile(options.file, options.text);
  const planner = new Planner(options);
  planner.checkCommandLineArguments(root);
  planner.visitChildren(root, {
    configurations: new Map(options.launchArguments),
    namespace: undefined,
  });
  return planner.finish();
}

class Planner {
  private readonly launchArguments: LaunchArgument[] = [];
  private readonly nodes: PendingNode[] = [];
  private readonly processes: PlannedProcess[] = [];
  private readonly parameterFiles = new ParameterFiles();

  constructor(private readonly options: LaunchPlanOptions) {}

  checkCommandLineArguments(root: XmlElement): void {
    const declared = new Set(collect(root, 'arg').map((element) => attributeText(element, 'name')));
    for (const name of this.options.launchArguments.keys()) {
      if (!declared.has(name)) {
        const list = declared.size === 0 ? 'it declares none' : `declared: ${[...declared].sort().join(', ')}`;
        const detail = `${this.options.file} has no <arg name="${name}"> (${list})`;
        throw new LaunchError(undefined, `unknown launch argument '${name}:=...': ${detail}`);
      }
    }
  }

  visitChildren(parent: XmlElement, scope: Scope): void {
    for (const element of parent.children) this.visit(element, scope);
  }

  finish(): LaunchPlan {
    const resolved = resolveNodeParameters(
      this.nodes,
      this.options.rosArguments ?? [],
      this.parameterFiles,
      this.options.rejectIntegerForDouble ?? false,
    );
    return {
      file: this.options.file,
      arguments: this.launchArguments,
      nodes: resolved.nodes,
      processes: this.processes,
      warnings: resolved.warnings,
    };
  }

  private visit(element: XmlElement, scope: Scope): void {
    if (!this.conditionHolds(element, scope)) return;
    switch (element.name) {
      case 'arg':
        this.declareArgument(element, scope);
        break;
      case 'let':
        scope.configurations.set(attributeText(element, 'name'), this.evaluate(element, 'value', scope));
        break;
      case 'push-ros-namespace':
        scope.namespace = this.pushNamespace(element, scope);
        break;
      case 'group':
        this.visitGroup(element, scope);
        break;
      case 'node':
        this.addNode(element, scope);
        break;
      case 'executable':
        this.addProcess(element, scope);
        break;
      default:
        // checkLaunchStructure admits no other element here.
        throw new LaunchError(element.location, `unexpected <${element.name}>`);
    }
  }

  private declareArgument(element: XmlElement, scope: Scope): void {
    const name = attributeText(element, 'name');
    const description = element.attributes.get('description')?.value ?? '';
    const earlier = this.launchArguments.find((argument) => argument.name === name);
    if (earlier !== undefined) {
      throw new LaunchError(element.location, `launch argument '${name}' is declared twice (first at line ${earlier.location.line})`);
    }
    const given = this.options.launchArguments.get(name);
    let value = scope.configurations.get(name);
    if (value === undefined) {
      if (!element.attributes.has('default')) {
        const about = description === '' ? '' : ` (${description})`;
        throw new LaunchError(element.location, `launch argument '${name}'${about} is required: give it as ${name}:=VALUE`);
      }
      value = this.evaluate(element, 'default', scope);
      scope.configurations.set(name, value);
    }
    const choices = element.children.map((choice) => attributeText(choice, 'value'));
    if (choices.length > 0 && !choices.includes(value)) {
      throw new LaunchError(element.location, `launch argument '${name}' is '${value}', expected one of ${choices.join(', ')}`);
    }
    this.launchArguments.push({
      name,
      value,
      source: given !== undefined ? 'command line' : 'default',
      description,
      location: element.location,
    });
  }

  private visitGroup(element: XmlElement, scope: Scope): void {
    const scoped = element.attributes.has('scoped') ? this.evaluateBoolean(element, 'scoped', scope) : true;
    if (!scoped) {
      this.visitChildren(element, scope);
      return;
    }
    this.visitChildren(element, { configurations: new Map(scope.configurations), namespace: scope.namespace });
  }

  private pushNamespace(element: XmlElement, scope: Scope): string {
    const pushed = this.evaluate(element, 'namespace', scope);
    const namespace = joinNamespace(scope.namespace, pushed);
    checkName(() => validateNamespace(namespace), attributeLocation(element, 'namespace'));
    return namespace;
  }

  private addNode(element: XmlElement, scope: Scope): void {
    const pkg = this.evaluate(element, 'pkg', scope);
    if (pkg !== this.options.nodePackage) {
      const known = Object.keys(this.options.packages).includes(pkg)
        ? `package '${pkg}' has no nodes`
        : `unknown package '${pkg}'`;
      throw new LaunchError(attributeLocation(element, 'pkg'), `${known}: h2r launch runs nodes of package '${this.options.nodePackage}'`);
    }
    const executable = this.evaluate(element, 'exec', scope);
    const definition = this.options.nodeDefinitions.find((candidate) => candidate.executable === executable);
    if (definition === undefined) {
      const known = this.options.nodeDefinitions.map((candidate) => candidate.executable).join(', ');
      const detail = `unknown node executable '${executable}' in package '${pkg}' (known: ${known})`;
      throw new LaunchError(attributeLocation(element, 'exec'), detail);
    }
    const name = element.attributes.has('name') ? this.evaluate(element, 'name', scope) : definition.defaultName;
    checkName(() => validateNodeName(name), attributeLocation(element, 'name'));
    const ownNamespace = element.attributes.has('namespace') ? this.evaluate(element, 'namespace', scope) : undefined;
    const namespace = joinNamespace(scope.namespace, ownNamespace);
    checkName(() => validateNamespace(namespace), attributeLocation(element, 'namespace'));
    const fullyQualifiedName = fullyQualifiedNodeName(namespace, name);
    const twin = this.nodes.find((node) => node.fullyQualifiedName === fullyQualifiedName);
    if (twin !== undefined) {
      const detail = `a second node named ${fullyQualifiedName} (the first is at line ${twin.location.line})`;
      throw new LaunchError(element.location, `${detail}; give one a different name or namespace`);
    }
    const remaps: Remap[] = [];
    const parameterSources: ParameterSource[] = [];
    for (const child of element.children) {
      if (child.name === 'remap') {
        remaps.push({ from: this.evaluate(child, 'from', scope), to: this.evaluate(child, 'to', scope) });
      } else {
        this.addParameterSources(child, '', scope, parameterSources);
      }
    }
    this.nodes.push({
      executable,
      definition,
      name,
      namespace,
      fullyQualifiedName,
      location: element.location,
      output: this.evaluateOutput(element, scope),
      remaps,
      parameterSources,
    });
  }

  private addParameterSources(element: XmlElement, prefix: string, scope: Scope, into: ParameterSource[]): void {
    const has = (attribute: string): boolean => element.attributes.has(attribute);
    if (has('from')) {
      if (has('name') || has('value') || element.children.length > 0 || prefix !== '') {
        throw new LaunchError(element.location, '<param from="..."> stands alone: no name, value or nested <param>');
      }
      const file = path.resolve(this.options.cwd, this.evaluate(element, 'from', scope));
      const location = attributeLocation(element, 'from');
      this.parameterFiles.load(file, location);
      into.push({ kind: 'file', file, location });
      return;
    }
    if (!has('name')) throw new LaunchError(element.location, '<param> needs either from="file.yaml" or name="..."');
    const name = prefix === '' ? this.evaluate(element, 'name', scope) : `${prefix}.${this.evaluate(element, 'name', scope)}`;
    if (has('value') === element.children.length > 0) {
      throw new LaunchError(element.location, `<param name="${name}"> needs either value="..." or nested <param> elements`);
    }
    if (!has('value')) {
      for (const child of element.children) this.addParameterSources(child, name, scope, into);
      return;
    }
    const location = attributeLocation(element, 'value');
    const text = this.evaluate(element, 'value', scope);
    // launch_ros reads the value as YAML; an empty value is the empty string.
    const value = text === '' ? { type: 'string' as const, value: '' } : parseYamlParameterValue(text);
    if (typeof value === 'string') throw new LaunchError(location, `parameter '${name}': value="${text}" is ${value}`);
    into.push({ kind: 'value', name, value, location });
  }

  private addProcess(element: XmlElement, scope: Scope): void {
    const commandText = this.evaluate(element, 'cmd', scope);
    const location = attributeLocation(element, 'cmd');
    let command: string[];
    try {
      command = splitCommandLine(commandText);
    } catch (error) {
      throw new LaunchError(location, `cmd="${commandText}": ${(error as Error).message}`);
    }
    const program = command[0];
    if (program === undefined) throw new LaunchError(location, '<executable> has an empty cmd');
    const cwd = path.resolve(this.options.cwd, element.attributes.has('cwd') ? this.evaluate(element, 'cwd', scope) : '.');
    if (!fs.existsSync(cwd)) throw new LaunchError(attributeLocation(element, 'cwd'), `working directory ${cwd} does not exist`);
    if (findProgram(program, cwd, this.options.environment['PATH'] ?? '') === undefined) {
      throw new LaunchError(location, `program '${program}' not found (not a file and not on PATH)`);
    }
    const name = element.attributes.has('name') ? this.evaluate(element, 'name', scope) : path.basename(program);
    this.processes.push({ name, command, cwd, output: this.evaluateOutput(element, scope), location: element.location });
  }

  private evaluateOutput(element: XmlElement, scope: Scope): OutputMode {
    if (!element.attributes.has('output')) return 'log';
    const output = this.evaluate(element, 'output', scope);
    if (!(OUTPUT_MODES as readonly string[]).includes(output)) {
      throw new LaunchError(attributeLocation(element, 'output'), `output="${output}": expected one of ${OUTPUT_MODES.join(', ')}`);
    }
    return output as OutputMode;
  }

  private conditionHolds(element: XmlElement, scope: Scope): boolean {
    if (element.attributes.has('if')) return this.evaluateBoolean(element, 'if', scope);
    if (element.attributes.has('unless')) return !this.evaluateBoolean(element, 'unless', scope);
    return true;
  }

  /** launch's rule for conditions: true/1 or false/0, in any case. */
  private evaluateBoolean(element: XmlElement, attribute: string, scope: Scope): boolean {
    const value = this.evaluate(element, attribute, scope);
    const normalized = value.trim().toLowerCase();
    if (normalized === 'true' || normalized === '1') return true;
    if (normalized === 'false' || normalized === '0') return false;
    const written = attributeText(element, attribute);
    const detail = `${attribute}="${written}" gives '${value}', expected true, false, 1 or 0`;
    throw new LaunchError(attributeLocation(element, attribute), detail);
  }

  private evaluate(element: XmlElement, attribute: string, scope: Scope): string {
    const written = attributeText(element, attribute);
    try {
      return substitute(written, this.substitutionContext(element, scope));
    } catch (error) {
      if (!(error instanceof SubstitutionError)) throw error;
      throw new LaunchError(attributeLocation(element, attribute), `<${element.name} ${attribute}="${written}">: ${error.message}`);
    }
  }

  private substitutionContext(element: XmlElement, scope: Scope): SubstitutionContext {
    const packages = this.options.packages;
    return {
      configurations: scope.configurations,
      environment: this.options.environment,
      findPackageShare: (pkg) => packages[pkg],
      knownPackages: Object.keys(packages),
      launchFileDirectory: path.dirname(element.location.file),
    };
  }
}

/** launch_ros's rule: an absolute namespace replaces the pushed one, a relative one extends it. */
function joinNamespace(base: string | undefined, namespace: string | undefined): string {
  const own = namespace ?? '';
  const joined = own.startsWith('/') ? own : `${base ?? ''}/${own}`;
  return `/${joined.split('/').filter((token) => token !== '').join('/')}`;
}

function checkName(validate: () => void, location: SourceLocation): void {
  try {
    validate();
  } catch (error) {
    throw new LaunchError(location, (error as Error).message);
  }
}

function attributeText(element: XmlElement, attribute: string): string {
  const value = element.attributes.get(attribute)?.value;
  if (value === undefined) throw new LaunchError(element.location, `<${element.name}> needs the attribute '${attribute}'`);
  return value;
}

function attributeLocation(element: XmlElement, attribute: string): SourceLocation {
  const line = element.attributes.get(attribute)?.line ?? element.location.line;
  return { file: element.location.file, line };
}

function collect(element: XmlElement, name: string): XmlElement[] {
  const found = element.name === name ? [element] : [];
  return found.concat(element.children.flatMap((child) => collect(child, name)));
}
