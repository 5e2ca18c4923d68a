/**
 * The h2r commands: every module in cli/commands/ that exports `command`. Adding a command is
 * adding a file there; a file without a valid `command` export is an error naming the file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isCommand, type Command } from './command';

export const COMMANDS_DIRECTORY = path.join(__dirname, 'commands');

export function loadCommands(directory: string = COMMANDS_DIRECTORY): Command[] {
  const modules = fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.js'))
    .sort();
  const commands = modules.map((file) => {
    const exported: unknown = (require(path.join(directory, file)) as { command?: unknown }).command;
    if (!isCommand(exported)) {
      const fields = 'name, summary, usage, options, acceptsRosArguments, run';
      throw new Error(`${path.join(directory, file)} does not export a valid 'command' (${fields})`);
    }
    return exported;
  });
  const seen = new Map<string, string>();
  for (const [index, command] of commands.entries()) {
    const other = seen.get(command.name);
    if (other !== undefined) throw new Error(`two commands are named '${command.name}': ${other} and ${modules[index] as string}`);
    seen.set(command.name, modules[index] as string);
  }
  return commands.sort((a, b) => a.name.localeCompare(b.name));
}
