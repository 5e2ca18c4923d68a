/**
 * ROS 2 parameter files (`node_name: {ros__parameters: {...}}`, `/**:` for every node, nested
 * namespace keys, `*` and `**` wildcards), read with the line of every value.
 */
import * as fs from 'fs';
import { isMap, isScalar, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { LaunchError, type SourceLocation } from './errors';
import { typedValueFromYaml, type TypedValue } from './parameter-values';

export interface ParameterAssignment {
  readonly name: string;
  readonly value: TypedValue;
  readonly location: SourceLocation;
}

export interface ParameterFileSection {
  /** Node pattern with a leading '/', e.g. `/operator_console`, `/**`, `/kitchen/*`. */
  readonly nodePattern: string;
  readonly location: SourceLocation;
  readonly assignments: readonly ParameterAssignment[];
}

export interface ParameterFile {
  readonly file: string;
  readonly sections: readonly ParameterFileSection[];
}

const PARAMETERS_KEY = 'ros__parameters';

/** Reads a file named by `<param from>`; errors point at the referring line or into the file. */
export function loadParameterFile(file: string, referencedFrom: SourceLocation | undefined): ParameterFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${String(error)})`;
    throw new LaunchError(referencedFrom, `parameter file ${file} ${reason}`);
  }
  return parseParameterFile(text, file);
}

export function parseParameterFile(text: string, file: string): ParameterFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const at = (offset: number | undefined): SourceLocation => ({
    file,
    line: offset === undefined ? 1 : lineCounter.linePos(offset).line,
  });
  const firstError = document.errors[0];
  if (firstError !== undefined) {
    // yaml appends "at line L, column C:"; the location prefix already says where.
    const message = (firstError.message.split('\n')[0] ?? '').replace(/\s*at line \d+, column \d+:?$/, '');
    throw new LaunchError(at(firstError.pos[0]), `parameter file is not valid YAML: ${message}`);
  }
  const sections: ParameterFileSection[] = [];
  if (document.contents === null) return { file, sections };
  if (!isMap(document.contents)) {
    throw new LaunchError(at(document.contents.range?.[0]), 'a parameter file maps node names to {ros__parameters: {...}}');
  }

  const readNodeLevel = (map: YAMLMap, keyPath: readonly string[]): void => {
    for (const pair of map.items) {
      const key = scalarKey(pair.key);
      const keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      if (key === undefined) throw new LaunchError(at(keyOffset), 'node names must be plain keys');
      if (key === PARAMETERS_KEY) {
        if (keyPath.length === 0) {
          throw new LaunchError(at(keyOffset), `${PARAMETERS_KEY} must sit under a node name (or /** for every node)`);
        }
        if (!isMap(pair.value)) {
          throw new LaunchError(at(keyOffset), `${PARAMETERS_KEY} must map parameter names to values`);
        }
        const assignments: ParameterAssignment[] = [];
        readParameters(pair.value, '', assignments);
        sections.push({ nodePattern: joinNodePattern(keyPath), location: at(keyOffset), assignments });
      } else if (isMap(pair.value)) {
        readNodeLevel(pair.value, [...keyPath, key]);
      } else {
        throw new LaunchError(
          at(keyOffset),
          `'${key}' must hold ${PARAMETERS_KEY} (or nested namespaces), as in ${key}: {${PARAMETERS_KEY}: {...}}`,
        );
      }
    }
  };

  const readParameters = (map: YAMLMap, prefix: string, into: ParameterAssignment[]): void => {
    for (const pair of map.items) {
      const key = scalarKey(pair.key);
      const keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      if (key === undefined) throw new LaunchError(at(keyOffset), 'parameter names must be plain keys');
      const name = prefix === '' ? key : `${prefix}.${key}`;
      if (isMap(pair.value)) {
        // Nested maps are parameter namespaces: {camera: {width: 64}} sets camera.width.
        readParameters(pair.value, name, into);
        continue;
      }
      try {
        into.push({ name, value: typedValueFromYaml(pair.value), location: at(keyOffset) });
      } catch (error) {
        throw new LaunchError(at(keyOffset), `parameter '${name}': ${(error as Error).message}`);
      }
    }
  };

  readNodeLevel(document.contents, []);
  return { file, sections };
}

function scalarKey(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const value: unknown = key.value;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function joinNodePattern(keyPath: readonly string[]): string {
  const tokens = keyPath.flatMap((key) => key.split('/')).filter((token) => token !== '');
  return `/${tokens.join('/')}`;
}

/** rclcpp's rule: `*` matches one name token, `**` any number of tokens (also none). */
export function nodePatternMatches(pattern: string, fullyQualifiedName: string): boolean {
  const patternTokens = pattern.split('/').filter((token) => token !== '');
  const nameTokens = fullyQualifiedName.split('/').filter((token) => token !== '');
  const matchFrom = (p: number, n: number): boolean => {
    if (p === patternTokens.length) return n === nameTokens.length;
    const token = patternTokens[p];
    if (token === '**') {
      for (let skip = n; skip <= nameTokens.length; skip += 1) {
        if (matchFrom(p + 1, skip)) return true;
      }
      return false;
    }
    if (n === nameTokens.length) return false;
    return (token === '*' || token === nameTokens[n]) && matchFrom(p + 1, n + 1);
  };
  return matchFrom(0, 0);
}

export function isWildcardPattern(pattern: string): boolean {
  return pattern.split('/').some((token) => token === '*' || token === '**');
}

/**
 * The sections of a file that apply to a node, in the order they take effect: wildcard sections
 * first, then sections naming the node, each group in file order (the more specific one wins).
 */
export function sectionsForNode(file: ParameterFile, fullyQualifiedName: string): ParameterFileSection[] {
  const matching = file.sections.filter((section) => nodePatternMatches(section.nodePattern, fullyQualifiedName));
  return [
    ...matching.filter((section) => isWildcardPattern(section.nodePattern)),
    ...matching.filter((section) => !isWildcardPattern(section.nodePattern)),
  ];
}
