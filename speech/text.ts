/**
 * Written reminders as a recogniser says them: lower-case words without punctuation, digits
 * spelled out, and the word error rate between a reference and a hypothesis.
 */

const SPOKEN_NUMBERS: Readonly<Record<string, string>> = {
  '0': 'zero', '1': 'one', '2': 'two', '3': 'three', '4': 'four', '5': 'five',
  '6': 'six', '7': 'seven', '8': 'eight', '9': 'nine', '10': 'ten',
  '1st': 'first', '2nd': 'second', '3rd': 'third', '4th': 'fourth', '5th': 'fifth',
};

/**
 * Spellings of one spoken word: the recogniser cannot hear which one was meant, so transcripts,
 * references and the language model all use the first.
 */
const SPELLING_VARIANTS: Readonly<Record<string, string>> = {
  center: 'centre', gray: 'grey', grayish: 'greyish', color: 'colour', ok: 'okay',
};

/**
 * The words a person speaks for a written reminder: "No, the 2nd cup!" -> ["no", "the",
 * "second", "cup"]. Apostrophes inside words stay ("that's", "don't": the dictionary has them).
 */
export function spokenWords(text: string): string[] {
  const cleaned = text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[^a-z0-9']+/g, ' ');
  const words: string[] = [];
  for (const raw of cleaned.split(' ')) {
    const word = raw.replace(/^'+|'+$/g, '');
    if (word.length === 0) continue;
    const spoken = SPOKEN_NUMBERS[word];
    if (spoken !== undefined) words.push(spoken);
    else if (/^[a-z']+$/.test(word)) words.push(SPELLING_VARIANTS[word] ?? word);
    // Other digit strings are not in the domain; a recogniser cannot say them either.
  }
  return words;
}

/** Recogniser tokens that are not words: sentence marks, silence, fillers and noise. */
export function isWordToken(token: string): boolean {
  return !/^(<s>|<\/s>|<sil>|\[.*\]|\+\+.*\+\+)$/.test(token);
}

/** A dictionary entry name without its alternative-pronunciation mark: "that(2)" -> "that". */
export function baseWord(token: string): string {
  return token.replace(/\(\d+\)$/, '');
}

export interface WordErrors {
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
  /** Reference length: the denominator of the error rate. */
  readonly referenceWords: number;
}

/** Levenshtein alignment of word sequences, counted by kind of error. */
export function wordErrors(reference: readonly string[], hypothesis: readonly string[]): WordErrors {
  const n = reference.length;
  const m = hypothesis.length;
  // cost[i][j] over reference prefix i and hypothesis prefix j; ties prefer substitution.
  const cost: number[][] = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const same = reference[i - 1] === hypothesis[j - 1] ? 0 : 1;
      cost[i][j] = Math.min(cost[i - 1][j - 1] + same, cost[i - 1][j] + 1, cost[i][j - 1] + 1);
    }
  }
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && cost[i][j] === cost[i - 1][j - 1] + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1)) {
      if (reference[i - 1] !== hypothesis[j - 1]) substitutions++;
      i--;
      j--;
    } else if (i > 0 && cost[i][j] === cost[i - 1][j] + 1) {
      deletions++;
      i--;
    } else {
      insertions++;
      j--;
    }
  }
  return { substitutions, deletions, insertions, referenceWords: n };
}

/** Sums error counts over many utterances. */
export function addErrors(a: WordErrors, b: WordErrors): WordErrors {
  return {
    substitutions: a.substitutions + b.substitutions,
    deletions: a.deletions + b.deletions,
    insertions: a.insertions + b.insertions,
    referenceWords: a.referenceWords + b.referenceWords,
  };
}

export const NO_ERRORS: WordErrors = { substitutions: 0, deletions: 0, insertions: 0, referenceWords: 0 };

/** Errors per reference word; 0 for an empty reference with an empty hypothesis. */
export function wordErrorRate(errors: WordErrors): number {
  const wrong = errors.substitutions + errors.deletions + errors.insertions;
  if (errors.referenceWords === 0) return wrong === 0 ? 0 : 1;
  return wrong / errors.referenceWords;
}
