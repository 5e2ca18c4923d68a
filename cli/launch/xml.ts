/**
 * Reads a launch XML file into a small element tree that remembers the line of every element and
 * attribute, so that every later error can point at `file:line`.
 */
import * as sax from 'sax';
import { LaunchError, type SourceLocation } from './errors';

export interface XmlAttribute {
  readonly value: string;
  /** 1-based line on which the attribute's value ends. */
  readonly line: number;
}

export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, XmlAttribute>;
  readonly children: readonly XmlElement[];
  /** Where the element's opening tag starts. */
  readonly location: SourceLocation;
}

interface OpenElement {
  readonly name: string;
  readonly attributes: Map<string, XmlAttribute>;
  readonly children: OpenElement[];
  readonly location: SourceLocation;
}

const MAX_TEXT_SHOWN = 40;

/** Parses a whole document; throws LaunchError with the line for malformed XML or stray text. */
export function parseXml(text: string, file: string): XmlElement {
  const parser = sax.parser(true, { position: true });
  const stack: OpenElement[] = [];
  let root: OpenElement | undefined;
  let pendingAttributes = new Map<string, XmlAttribute>();
  const lines = lineIndex(text);
  let failure: LaunchError | undefined;
  const here = (): SourceLocation => ({ file, line: parser.line + 1 });
  const fail = (detail: string): void => {
    if (failure === undefined) failure = new LaunchError(here(), detail);
  };

  parser.onattribute = (attribute) => {
    pendingAttributes.set(attribute.name, { value: attribute.value, line: parser.line + 1 });
  };
  parser.onopentagstart = () => {
    pendingAttributes = new Map();
  };
  parser.onopentag = (tag) => {
    // sax counts positions from 1 and records the one of the tag's '<'.
    const tagStart = parser.startTagPosition - 1;
    const location = { file, line: lines.lineOf(tagStart) };
    const repeated = repeatedAttribute(text.slice(tagStart, parser.position));
    if (repeated !== undefined) {
      // sax keeps the first value and drops the repeat silently.
      failure ??= new LaunchError(location, `<${tag.name}> gives attribute '${repeated}' twice`);
    }
    const element: OpenElement = { name: tag.name, attributes: pendingAttributes, children: [], location };
    pendingAttributes = new Map();
    const parent = stack[stack.length - 1];
    if (parent !== undefined) {
      parent.children.push(element);
    } else if (root === undefined) {
      root = element;
    } else {
      fail(`a second top-level element <${tag.name}>: a launch file has exactly one <launch> element`);
    }
    stack.push(element);
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  const rejectText = (content: string): void => {
    const trimmed = content.trim();
    if (trimmed === '') return;
    const shown = trimmed.length > MAX_TEXT_SHOWN ? `${trimmed.slice(0, MAX_TEXT_SHOWN)}...` : trimmed;
    fail(`unexpected text '${shown}': launch files hold only elements and attributes`);
  };
  parser.ontext = rejectText;
  parser.oncdata = rejectText;
  parser.onerror = (error) => {
    const firstLine = error.message.split('\n')[0] ?? error.message;
    fail(`malformed XML: ${firstLine}`);
  };

  try {
    parser.write(text).close();
  } catch (error) {
    // sax throws the error it already reported through onerror when it cannot continue.
    if (failure === undefined) throw error;
  }
  if (failure !== undefined) throw failure;
  if (root === undefined) throw new LaunchError({ file, line: 1 }, 'no <launch> element: the file is empty');
  return root;
}

function repeatedAttribute(tagSource: string): string | undefined {
  const seen = new Set<string>();
  for (const match of tagSource.matchAll(/\s([^\s=<>/"']+)\s*=\s*("[^"]*"|'[^']*')/g)) {
    const name = match[1] as string;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

interface LineIndex {
  /** 1-based line of a 0-based character offset. */
  lineOf(offset: number): number;
}

function lineIndex(text: string): LineIndex {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    starts.push(index + 1);
  }
  return {
    lineOf(offset: number): number {
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if ((starts[middle] as number) <= offset) low = middle;
        else high = middle - 1;
      }
      return low + 1;
    },
  };
}
