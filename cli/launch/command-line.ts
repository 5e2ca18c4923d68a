/** Command lines of `<executable cmd="...">`: split like a shell would (without expansions). */
import * as fs from 'fs';
import * as path from 'path';

/** Splits on unquoted whitespace; '...' and "..." group words, \ escapes the next character. */
export function splitCommandLine(commandLine: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (let index = 0; index < commandLine.length; index += 1) {
    const char = commandLine[index] as string;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && index + 1 < commandLine.length) {
      index += 1;
      word += commandLine[index];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new Error(`unterminated ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}

/** The file a program name runs, or undefined: paths are taken from cwd, bare names from PATH. */
export function findProgram(program: string, cwd: string, searchPath: string): string | undefined {
  const candidates = program.includes('/')
    ? [path.resolve(cwd, program)]
    : searchPath.split(path.delimiter).filter((directory) => directory !== '').map((directory) => path.join(directory, program));
  return candidates.find((candidate) => {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return fs.statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}
