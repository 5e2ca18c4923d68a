import * as path from 'path';

/** Where something was written: a launch file or parameter file and a 1-based line. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** A path as a person wants to read it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

export function formatLocation(location: SourceLocation): string {
  return `${displayPath(location.file)}:${location.line}`;
}

/** A launch that cannot start; the message begins with `file:line:` when the place is known. */
export class LaunchError extends Error {
  constructor(
    readonly location: SourceLocation | undefined,
    readonly detail: string,
  ) {
    super(location === undefined ? detail : `${formatLocation(location)}: ${detail}`);
    this.name = 'LaunchError';
  }
}
