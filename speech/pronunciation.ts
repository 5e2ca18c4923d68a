/**
 * Pronunciations: the CMU dictionary the Debian acoustic model ships with, and pronunciations
 * derived for domain words it lacks (compounds such as "cogwheel", suffixes such as "greyish",
 * possessives such as "mug's"), so the language model may use them.
 */
import * as fs from 'fs';

/** word -> its pronunciations, each a space-separated phone string ("K AH P"). */
export type PronunciationDictionary = ReadonlyMap<string, readonly string[]>;

/** Reads a Sphinx dictionary ("word PHONES", alternatives as "word(2) PHONES"). */
export function readDictionary(file: string): Map<string, string[]> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read pronunciation dictionary ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseDictionary(text, file);
}

export function parseDictionary(text: string, source: string): Map<string, string[]> {
  const dictionary = new Map<string, string[]>();
  text.split('\n').forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed.length === 0 || trimmed.startsWith(';;;')) return;
    const match = /^(\S+?)(?:\(\d+\))?\s+(.+)$/.exec(trimmed);
    if (!match) throw new Error(`${source}:${index + 1}: expected "word PHONES", got "${trimmed}"`);
    const [, word, phones] = match;
    const entry = dictionary.get(word);
    const normalised = phones.trim().split(/\s+/).join(' ');
    if (entry) {
      if (!entry.includes(normalised)) entry.push(normalised);
    } else dictionary.set(word, [normalised]);
  });
  return dictionary;
}

/** Writes entries in Sphinx format, sorted, alternatives numbered from (2). */
export function formatDictionary(entries: ReadonlyMap<string, readonly string[]>): string {
  const lines: string[] = [];
  for (const word of [...entries.keys()].sort()) {
    entries.get(word)!.forEach((phones, i) => lines.push(`${i === 0 ? word : `${word}(${i + 1})`} ${phones}`));
  }
  return lines.join('\n') + '\n';
}

const VOICELESS_FINALS = new Set(['P', 'T', 'K', 'F', 'TH']);
const SIBILANT_FINALS = new Set(['S', 'Z', 'SH', 'ZH', 'CH', 'JH']);

/** "s" after a word ending in these phones: plural and possessive alike. */
function sSuffix(phones: string): string {
  const last = phones.split(' ').pop()!;
  if (SIBILANT_FINALS.has(last)) return `${phones} IH Z`;
  return `${phones} ${VOICELESS_FINALS.has(last) ? 'S' : 'Z'}`;
}

const SUFFIXES: readonly { readonly ending: string; readonly phones: string }[] = [
  { ending: 'ish', phones: 'IH SH' },
  { ending: 'most', phones: 'M OW S T' },
  { ending: 'ness', phones: 'N AH S' },
];

/**
 * A pronunciation for a word the dictionary lacks, or null. Tried in order: possessive or plural
 * "-'s"/"-s" of a known word, a known word plus a suffix ("greyish", "leftmost"), two known
 * words of at least three letters each ("cogwheel" = "cog" + "wheel").
 */
export function derivePronunciation(word: string, dictionary: PronunciationDictionary): string | null {
  const first = (w: string): string | undefined => dictionary.get(w)?.[0];
  if (word.endsWith("'s") && first(word.slice(0, -2))) return sSuffix(first(word.slice(0, -2))!);
  if (word.endsWith('s') && !word.endsWith('ss') && first(word.slice(0, -1))) return sSuffix(first(word.slice(0, -1))!);
  for (const { ending, phones } of SUFFIXES) {
    if (!word.endsWith(ending)) continue;
    const stem = word.slice(0, -ending.length);
    const stemPhones = first(stem) ?? first(stem.replace(/e$/, '')) ?? first(`${stem}e`);
    if (stemPhones) return `${stemPhones} ${phones}`;
  }
  for (let split = 3; split <= word.length - 3; split++) {
    const head = first(word.slice(0, split));
    const tail = first(word.slice(split));
    if (head && tail) return `${head} ${tail}`;
  }
  return null;
}

export interface DomainPronunciations {
  /** Every pronounceable word with all of its pronunciations. */
  readonly entries: Map<string, string[]>;
  /** Words pronounced by derivation, with the phones chosen. */
  readonly derived: Record<string, string>;
  /** Words neither in the dictionary nor derivable: left out of the language model. */
  readonly unpronounceable: string[];
}

/** Looks up (or derives) every word; the result is sorted and reproducible. */
export function pronounce(words: Iterable<string>, dictionary: PronunciationDictionary): DomainPronunciations {
  const entries = new Map<string, string[]>();
  const derived: Record<string, string> = {};
  const unpronounceable: string[] = [];
  for (const word of [...new Set(words)].sort()) {
    const known = dictionary.get(word);
    if (known) {
      entries.set(word, [...known]);
      continue;
    }
    const phones = derivePronunciation(word, dictionary);
    if (phones) {
      entries.set(word, [phones]);
      derived[word] = phones;
    } else unpronounceable.push(word);
  }
  return { entries, derived, unpronounceable };
}
