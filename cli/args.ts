/** Command-line parsing shared by every command: `--name value`, `--name=value`, flags, `--ros-args`. */
import { UsageError, type OptionSpec, type ParsedArguments } from './command';

export interface ParseRules {
  readonly command: string;
  readonly options: readonly OptionSpec[];
  readonly acceptsRosArguments: boolean;
}

export function parseArguments(argv: readonly string[], rules: ParseRules): ParsedArguments {
  const options: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const token = argv[index] as string;
    if (token === '--ros-args') {
      if (!rules.acceptsRosArguments) throw new UsageError(`'h2r ${rules.command}' takes no --ros-args`, rules.command);
      return { options, positionals, rosArguments: argv.slice(index) };
    }
    if (token === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (token === '-h') {
      options['help'] = true;
      continue;
    }
    if (!token.startsWith('--') || token === '--') {
      if (token.startsWith('-') && token.length > 1) throw unknownOption(token, rules);
      positionals.push(token);
      continue;
    }
    const equals = token.indexOf('=');
    const name = token.slice(2, equals === -1 ? undefined : equals);
    const spec = rules.options.find((option) => option.name === name);
    if (spec === undefined) throw unknownOption(token, rules);
    if (spec.value === undefined) {
      if (equals !== -1) throw new UsageError(`option --${name} takes no value`, rules.command);
      options[name] = true;
      continue;
    }
    let value: string | undefined = equals === -1 ? undefined : token.slice(equals + 1);
    if (value === undefined) {
      value = argv[index + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new UsageError(`option --${name} needs a value (${spec.value})`, rules.command);
      }
      index += 1;
    }
    if (spec.choices !== undefined && !spec.choices.includes(value)) {
      throw new UsageError(`option --${name} is '${value}', expected one of ${spec.choices.join(', ')}`, rules.command);
    }
    options[name] = value;
  }
  return { options, positionals, rosArguments: [] };
}

function unknownOption(token: string, rules: ParseRules): UsageError {
  const known = rules.options.map((option) => `--${option.name}`).join(', ');
  return new UsageError(`unknown option '${token}' for 'h2r ${rules.command}' (options: ${known})`, rules.command);
}

/** Help lines for a list of options, aligned. */
export function formatOptions(options: readonly OptionSpec[]): string[] {
  const heads = options.map((option) => {
    const value = option.choices !== undefined ? option.choices.join('|') : option.value;
    return `--${option.name}${value === undefined ? '' : ` ${value}`}`;
  });
  const width = Math.max(0, ...heads.map((head) => head.length));
  return options.map((option, index) => `  ${(heads[index] as string).padEnd(width)}  ${option.description}`);
}
