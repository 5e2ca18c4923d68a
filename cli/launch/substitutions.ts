/**
 * ROS 2 launch substitutions in attribute values: `$(var name)`, `$(env NAME [default])`,
 * `$(find-pkg-share pkg)` and `$(dirname)`. Arguments are separated by spaces, may be quoted with
 * ' or ", and may themselves contain substitutions (`$(var $(env WHICH))`).
 */

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'substitution'; readonly name: string; readonly args: readonly Template[] };

export type Template = readonly TemplatePart[];

export interface SubstitutionContext {
  /** Launch configurations: declared args, command-line args and `<let>` values. */
  readonly configurations: ReadonlyMap<string, string>;
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** Share directory of a package, or undefined when the package is unknown. */
  findPackageShare(pkg: string): string | undefined;
  readonly knownPackages: readonly string[];
  /** Directory of the launch file being read. */
  readonly launchFileDirectory: string;
}

export const SUBSTITUTIONS = ['var', 'env', 'find-pkg-share', 'dirname'] as const;

/** Thrown for a broken or failing substitution; callers add the file and line. */
export class SubstitutionError extends Error {}

export function parseTemplate(source: string): Template {
  return new TemplateReader(source).readParts(false);
}

export function evaluateTemplate(template: Template, context: SubstitutionContext): string {
  return template.map((part) => (part.kind === 'text' ? part.text : evaluateSubstitution(part, context))).join('');
}

/** Parses and evaluates in one step. */
export function substitute(source: string, context: SubstitutionContext): string {
  return evaluateTemplate(parseTemplate(source), context);
}

function evaluateSubstitution(
  part: Extract<TemplatePart, { kind: 'substitution' }>,
  context: SubstitutionContext,
): string {
  const args = part.args.map((arg) => evaluateTemplate(arg, context));
  const expectArgs = (min: number, max: number, usage: string): void => {
    if (args.length < min || args.length > max) {
      throw new SubstitutionError(`$(${part.name}) takes ${usage}, given ${args.length} argument(s)`);
    }
  };
  switch (part.name) {
    case 'var': {
      expectArgs(1, 1, 'one argument: $(var NAME)');
      const name = args[0] as string;
      const value = context.configurations.get(name);
      if (value === undefined) {
        const known = [...context.configurations.keys()].sort();
        const list = known.length === 0 ? 'none so far' : known.join(', ');
        throw new SubstitutionError(`$(var ${name}): no launch argument '${name}' (declared: ${list})`);
      }
      return value;
    }
    case 'env': {
      expectArgs(1, 2, 'one or two arguments: $(env NAME [DEFAULT])');
      const name = args[0] as string;
      const value = context.environment[name] ?? args[1];
      if (value === undefined) {
        throw new SubstitutionError(
          `$(env ${name}): environment variable '${name}' is not set and no default is given`,
        );
      }
      return value;
    }
    case 'find-pkg-share': {
      expectArgs(1, 1, 'one argument: $(find-pkg-share PACKAGE)');
      const pkg = args[0] as string;
      const share = context.findPackageShare(pkg);
      if (share === undefined) {
        throw new SubstitutionError(
          `$(find-pkg-share ${pkg}): unknown package '${pkg}' (known: ${context.knownPackages.join(', ')})`,
        );
      }
      return share;
    }
    case 'dirname':
      expectArgs(0, 0, 'no arguments');
      return context.launchFileDirectory;
    default:
      throw new SubstitutionError(
        `unknown substitution $(${part.name} ...) (supported: ${SUBSTITUTIONS.join(', ')})`,
      );
  }
}

class TemplateReader {
  private index = 0;

  constructor(private readonly source: string) {}

  atEnd(): boolean {
    return this.index >= this.source.length;
  }

  /** Reads text and substitutions up to the end, or (inside a substitution) up to a space or ')'. */
  readParts(insideArgument: boolean): TemplatePart[] {
    const parts: TemplatePart[] = [];
    let text = '';
    const flushText = (): void => {
      if (text !== '') parts.push({ kind: 'text', text });
      text = '';
    };
    while (!this.atEnd()) {
      const char = this.source[this.index] as string;
      if (this.source.startsWith('$(', this.index)) {
        flushText();
        parts.push(this.readSubstitution());
      } else if (insideArgument && (char === ')' || char === ' ')) {
        break;
      } else if (insideArgument && (char === "'" || char === '"')) {
        text += this.readQuoted(char);
      } else {
        text += char;
        this.index += 1;
      }
    }
    flushText();
    return parts;
  }

  private readSubstitution(): TemplatePart {
    const start = this.index;
    this.index += 2;
    const nameMatch = /^[a-z][a-z0-9-]*/.exec(this.source.slice(this.index));
    if (nameMatch === null) {
      throw new SubstitutionError(`'$(' must be followed by a substitution name in '${this.source}'`);
    }
    const name = nameMatch[0];
    this.index += name.length;
    const args: Template[] = [];
    for (;;) {
      while (this.source[this.index] === ' ') this.index += 1;
      if (this.atEnd()) {
        throw new SubstitutionError(`unterminated '$(${name}' (no closing ')') in '${this.source.slice(start)}'`);
      }
      if (this.source[this.index] === ')') {
        this.index += 1;
        return { kind: 'substitution', name, args };
      }
      args.push(this.readParts(true));
    }
  }

  private readQuoted(quote: string): string {
    const end = this.source.indexOf(quote, this.index + 1);
    if (end === -1) throw new SubstitutionError(`unterminated ${quote} quote in '${this.source}'`);
    const content = this.source.slice(this.index + 1, end);
    this.index = end + 1;
    return content;
  }
}
