/**
 * ROS 2 name rules as rcl applies them: validation of node names, namespaces and topic/service
 * names, expansion of relative and `~` names against a node, and remapping (first matching rule
 * wins; a rule's `from` is expanded against the node and compared with the expanded name).
 */

const MAX_NAME_LENGTH = 255;

export class InvalidNameError extends Error {
  constructor(kind: string, name: string, reason: string) {
    super(`invalid ${kind} '${name}': ${reason}`);
    this.name = 'InvalidNameError';
  }
}

/** A remapping rule from `-r [node:]from:=to`. */
export interface RemapRule {
  /** Only the node of this name applies the rule. */
  readonly nodeName?: string;
  readonly from: string;
  readonly to: string;
}

function tokenProblem(tokens: readonly string[]): string | undefined {
  for (const token of tokens) {
    if (/^[0-9]/.test(token)) return `a name part must not start with a digit ('${token}')`;
  }
  return undefined;
}

export function validateNodeName(name: string): void {
  if (name.length === 0) throw new InvalidNameError('node name', name, 'it must not be empty');
  const bad = /[^A-Za-z0-9_]/.exec(name);
  if (bad) {
    throw new InvalidNameError('node name', name, `it contains '${bad[0]}' at index ${bad.index}; only letters, digits and _ are allowed`);
  }
  if (/^[0-9]/.test(name)) throw new InvalidNameError('node name', name, 'it must not start with a digit');
  if (name.length > MAX_NAME_LENGTH) throw new InvalidNameError('node name', name, `it is longer than ${MAX_NAME_LENGTH} characters`);
}

/** Returns the namespace made absolute (`''` and `ns` become `/` and `/ns`, as rcl does). */
export function normalizeNamespace(namespace: string): string {
  const absolute = namespace.startsWith('/') ? namespace : `/${namespace}`;
  validateNamespace(absolute);
  return absolute;
}

export function validateNamespace(namespace: string): void {
  if (!namespace.startsWith('/')) throw new InvalidNameError('namespace', namespace, 'it must be absolute (start with /)');
  if (namespace === '/') return;
  if (namespace.endsWith('/')) throw new InvalidNameError('namespace', namespace, 'it must not end with /');
  if (namespace.includes('//')) throw new InvalidNameError('namespace', namespace, 'it must not contain //');
  const bad = /[^A-Za-z0-9_/]/.exec(namespace);
  if (bad) {
    throw new InvalidNameError('namespace', namespace, `it contains '${bad[0]}' at index ${bad.index}; only letters, digits, _ and / are allowed`);
  }
  const problem = tokenProblem(namespace.slice(1).split('/'));
  if (problem) throw new InvalidNameError('namespace', namespace, problem);
}

/** Checks a topic or service name as written (relative, absolute, `~` and `{node}`/`{ns}` allowed). */
export function validateTopicName(name: string, kind = 'topic name'): void {
  if (name.length === 0) throw new InvalidNameError(kind, name, 'it must not be empty');
  if (name.endsWith('/')) throw new InvalidNameError(kind, name, 'it must not end with /');
  if (name.includes('//')) throw new InvalidNameError(kind, name, 'it must not contain //');
  const bad = /[^A-Za-z0-9_/~{}]/.exec(name);
  if (bad) {
    throw new InvalidNameError(kind, name, `it contains '${bad[0]}' at index ${bad.index}; only letters, digits, _, /, ~ and {} are allowed`);
  }
  const tilde = name.indexOf('~', 1);
  if (tilde > 0) throw new InvalidNameError(kind, name, "'~' is only allowed at the start");
  if (name.startsWith('~') && name.length > 1 && name[1] !== '/') {
    throw new InvalidNameError(kind, name, "'~' must be followed by / or nothing");
  }
  const withoutSubstitutions = name.replace(/\{[A-Za-z_][A-Za-z0-9_]*\}/g, 'x');
  if (/[{}]/.test(withoutSubstitutions)) throw new InvalidNameError(kind, name, 'it has an unbalanced or empty {} substitution');
  const problem = tokenProblem(name.replace(/^~?\/?/, '').split('/'));
  if (problem) throw new InvalidNameError(kind, name, problem);
}

export function fullyQualifiedNodeName(namespace: string, nodeName: string): string {
  return namespace === '/' ? `/${nodeName}` : `${namespace}/${nodeName}`;
}

/**
 * Expands a topic or service name against a node like rcl_expand_topic_name: `~` is the node's
 * fully qualified name, `{node}` and `{ns}`/`{namespace}` are substituted, and a relative name is
 * put under the node's namespace. Throws naming the problem when the name is invalid.
 */
export function expandTopicName(name: string, nodeName: string, namespace: string, kind = 'topic name'): string {
  validateTopicName(name, kind);
  let expanded = name;
  if (expanded === '~' || expanded.startsWith('~/')) {
    expanded = fullyQualifiedNodeName(namespace, nodeName) + expanded.slice(1);
  }
  expanded = expanded.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, key: string) => {
    if (key === 'node') return nodeName;
    if (key === 'ns' || key === 'namespace') return namespace === '/' ? '' : namespace.slice(1);
    throw new InvalidNameError(kind, name, `unknown substitution ${whole}`);
  });
  if (!expanded.startsWith('/')) expanded = namespace === '/' ? `/${expanded}` : `${namespace}/${expanded}`;
  if (expanded.length > MAX_NAME_LENGTH) throw new InvalidNameError(kind, name, `it expands to more than ${MAX_NAME_LENGTH} characters`);
  validateTopicName(expanded, kind);
  return expanded;
}

const SPECIAL_RULES: ReadonlySet<string> = new Set(['__node', '__name', '__ns']);

/** Applies the first matching topic/service remap rule to an already expanded name. */
export function remapName(
  expanded: string,
  rules: readonly RemapRule[],
  nodeName: string,
  namespace: string,
  kind = 'topic name',
): string {
  for (const rule of rules) {
    if (SPECIAL_RULES.has(rule.from)) continue;
    if (rule.nodeName !== undefined && rule.nodeName !== nodeName) continue;
    if (expandTopicName(rule.from, nodeName, namespace, kind) === expanded) {
      return expandTopicName(rule.to, nodeName, namespace, kind);
    }
  }
  return expanded;
}

/** The node name after `-r [node:]__node:=new` (or `__name`) rules; scoped rules match the original name. */
export function remapNodeName(nodeName: string, rules: readonly RemapRule[]): string {
  const rule = rules.find(
    (r) => (r.from === '__node' || r.from === '__name') && (r.nodeName === undefined || r.nodeName === nodeName),
  );
  if (!rule) return nodeName;
  validateNodeName(rule.to);
  return rule.to;
}

/** The namespace after a `-r [node:]__ns:=/ns` rule, which must name an absolute namespace. */
export function remapNamespace(nodeName: string, namespace: string, rules: readonly RemapRule[]): string {
  const rule = rules.find((r) => r.from === '__ns' && (r.nodeName === undefined || r.nodeName === nodeName));
  if (!rule) return namespace;
  validateNamespace(rule.to);
  return rule.to;
}

/** The logger name ROS gives a node: namespace parts and name joined by dots (`ns.node`). */
export function nodeLoggerName(namespace: string, nodeName: string): string {
  return fullyQualifiedNodeName(namespace, nodeName).slice(1).replace(/\//g, '.');
}

/** Matches a parameter-file node key (`/**`, `/ns/*`, `talker`) against a fully qualified node name. */
export function nodeKeyMatches(key: string, fullyQualifiedName: string): boolean {
  const absolute = key.startsWith('/') ? key : `/${key}`;
  let pattern = '';
  for (let i = 0; i < absolute.length; i++) {
    if (absolute.startsWith('/**', i)) {
      pattern += '(/\\w+)*';
      i += 2;
    } else if (absolute.startsWith('/*', i)) {
      pattern += '(/\\w+)';
      i += 1;
    } else {
      pattern += absolute[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${pattern}$`).test(fullyQualifiedName);
}
