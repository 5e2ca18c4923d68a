/**
 * Meaning -> words as people say them: a family's core phrasing inside urgency and stop openings,
 * hedges and fillers, with repetitions, typos and speech-recognition-like substitutions. Returns
 * the text, its tokens (the parser's tokenizer), one gold tag per token and the Meaning as said.
 */
import type { Meaning, SlotTag } from '../../semantics/meaning';
import { FUNCTION_WORDS, LEXICON } from '../lexicon';
import { tokenize } from '../preprocess';
import { FAMILIES, type Family } from './families';
import type { Plan } from './meaning-sampler';
import { Utterance, type Piece, type Rng } from './utterance';
import { HELD_OUT_WORDS, type SplitName } from './vocabulary';

export interface Realisation {
  readonly text: string;
  readonly tokens: string[];
  readonly tags: SlotTag[];
  readonly meaning: Meaning;
  readonly family: string;
  /** Held-out words (vocabulary.HELD_OUT_WORDS) this realisation uses. */
  readonly heldOutWords: string[];
}

/** Families a plan may be realised with in a split: the split's own and the training ones. */
export function familiesFor(plan: Plan, split: SplitName): Family[] {
  const kind = plan.meaning.stop && plan.meaning.mistake === 'none' && isBareStop(plan.meaning) ? 'stop' : plan.meaning.mistake;
  return FAMILIES.filter(
    (f) => f.mistake === kind && (f.split === 'train' || f.split === split) && (f.accepts?.(plan.meaning, plan.context) ?? true),
  );
}

function isBareStop(m: Meaning): boolean {
  return Object.keys(m.target).length === 0 && m.relation === null && m.locations.length === 0;
}

const STOP_OPENINGS = ['stop', 'stop !', 'wait', 'wait wait', 'stop stop', 'hold on ,', 'halt !', 'wait !', 'freeze'];
const URGENT_OPENINGS = ['whoa', 'hey hey', 'no no no', 'oops', 'quick', 'whoa whoa'];
const CONCERNED_OPENINGS = ['careful ,', 'hey ,', 'oh ,', 'hmm ,', 'watch it ,', 'uh ,', 'no ,', 'no no ,'];
const FILLERS = ['uh', 'um', 'hmm', 'er', 'well', 'so', 'okay so', 'erm', 'oh'];

/** An opening's words; "no" is tagged NEGATION as it is inside the families. */
function sayOpening(u: Utterance, opening: string): void {
  for (const word of opening.split(' ')) u.say(word, word === 'no' ? 'NEGATION' : 'O');
}

/** Realises a plan with a given family (throws when the family cannot say it). */
export function realiseWith(plan: Plan, family: Family, rng: Rng, split: SplitName): Realisation {
  const u = new Utterance(rng, split);
  const { meaning } = plan;
  if (meaning.stop && family.mistake !== 'stop') {
    const opening = rng.pick(STOP_OPENINGS);
    for (const word of opening.split(' ')) u.say(word);
    if (!/[!,]$/.test(opening)) u.say(rng.pick([',', '!']));
    u.stop = true;
  } else if (meaning.urgency >= 1) {
    sayOpening(u, rng.pick(URGENT_OPENINGS));
    u.maybe(0.5, () => u.say(','));
  } else if (meaning.urgency >= 0.5) {
    sayOpening(u, rng.pick(CONCERNED_OPENINGS));
  }
  u.maybe(0.12, () => u.say(rng.pick(FILLERS)));
  const coreStart = u.pieces.length;
  family.render(u, meaning, plan.context);
  if (meaning.mistake !== 'none' && meaning.urgency === 0 && rng.chance(0.3)) u.say(rng.pick(['please', ', please', 'thanks']));
  if (meaning.urgency >= 1 && rng.chance(0.6) && !/[!?]/.test(u.pieces[u.pieces.length - 1].word)) u.say('!');
  const pieces = addNoise(u.pieces, coreStart, rng);
  return assemble(pieces, u, meaning, family.id);
}

/** Realises a plan with a random family allowed in the split. */
export function realise(plan: Plan, rng: Rng, split: SplitName): Realisation {
  const families = familiesFor(plan, split);
  if (families.length === 0) throw new Error(`no family can realise a ${plan.meaning.mistake} plan in the ${split} split`);
  // a ruled-out description is worth saying: most plans with one go to a family that says it
  const sayingAvoid = families.filter((f) => f.saysAvoid);
  const pool = plan.meaning.avoid && sayingAvoid.length > 0 && rng.chance(0.7) ? sayingAvoid : families;
  return realiseWith(plan, rng.pick(pool), rng, split);
}

function assemble(pieces: readonly Piece[], u: Utterance, plan: Meaning, family: string): Realisation {
  const tokens: string[] = [];
  const tags: SlotTag[] = [];
  let text = '';
  for (const piece of pieces) {
    const attach = /^[,?!.]$/.test(piece.word) || piece.word.startsWith("'");
    text += (text.length === 0 || attach ? '' : ' ') + piece.word;
    for (const token of tokenize(piece.word)) {
      tokens.push(token);
      tags.push(piece.tag);
    }
  }
  text = capitalise(text);
  const textTokens = tokenize(text);
  if (textTokens.length !== tokens.length || textTokens.some((t, i) => t.toLowerCase() !== tokens[i].toLowerCase())) {
    throw new Error(`family ${family}: text "${text}" tokenizes differently from its pieces`);
  }
  const heldOutWords = [...new Set(tokens.map((t) => t.toLowerCase()).filter((t) => HELD_OUT_WORDS[t] !== undefined))];
  return { text, tokens: textTokens, tags, meaning: u.meaning(plan.mistake, plan.urgency), family, heldOutWords };
}

function capitalise(text: string): string {
  return text.length > 0 ? text[0].toUpperCase() + text.slice(1) : text;
}

/** Misheard forms a speech recogniser produces for domain words (all outside the lexicon). */
const SPEECH_SUBSTITUTIONS: Readonly<Record<string, readonly string[]>> = {
  blue: ['blew'], red: ['read'], cup: ['cap', 'cop'], pour: ['poor', 'pore'], right: ['write'], bowl: ['bole'],
  gear: ['gere'], handle: ['handel'], plate: ['plait'], grey: ['gray'], mug: ['mugg'], glass: ['class'],
  green: ['grean'], yellow: ['yello'], pitcher: ['pitchur'], cracked: ['craked'], bin: ['ben'],
};

const KEYBOARD_NEIGHBOURS = 'qwertyuiop asdfghjkl zxcvbnm';

function typo(word: string, rng: Rng): string {
  const i = rng.int(1, word.length - 2);
  switch (rng.int(0, 3)) {
    case 0: return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    case 1: return word.slice(0, i) + word.slice(i + 1);
    case 2: return word.slice(0, i) + word[i] + word.slice(i);
    default: {
      const row = KEYBOARD_NEIGHBOURS.split(' ').find((r) => r.includes(word[i]));
      const k = row ? row.indexOf(word[i]) : -1;
      const neighbour = row ? row[Math.min(row.length - 1, Math.max(0, k + (rng.chance(0.5) ? 1 : -1)))] : word[i];
      return word.slice(0, i) + neighbour + word.slice(i + 1);
    }
  }
}

/** A misspelt or misheard form that is not itself a known word (else the gold would lie). */
function corrupt(word: string, rng: Rng): string | null {
  const lower = word.toLowerCase();
  const misheard = SPEECH_SUBSTITUTIONS[lower];
  const candidate = misheard && rng.chance(0.5) ? rng.pick(misheard) : lower.length >= 4 ? typo(lower, rng) : null;
  if (!candidate || candidate === lower || candidate in LEXICON || FUNCTION_WORDS.has(candidate) || HELD_OUT_WORDS[candidate]) return null;
  return candidate;
}

function addNoise(pieces: Piece[], coreStart: number, rng: Rng): Piece[] {
  const out = [...pieces];
  if (rng.chance(0.12) && out.length > coreStart + 1) {
    // hedge inside the sentence: "the, uh, blue cup"
    const at = rng.int(coreStart + 1, out.length - 1);
    out.splice(at, 0, { word: rng.pick(['uh', 'um', 'like', 'hmm']), tag: 'O' });
  }
  if (rng.chance(0.08)) {
    // a restart repeats a word: "the the blue cup"
    const at = rng.int(0, out.length - 1);
    if (/^[a-z]/i.test(out[at].word)) out.splice(at, 0, { ...out[at] });
  }
  if (rng.chance(0.15)) {
    const content = out.map((p, i) => ({ p, i })).filter(({ p }) => p.tag !== 'O' && /^[a-z]{3,}$/i.test(p.word));
    if (content.length > 0) {
      const { p, i } = rng.pick(content);
      const noisy = corrupt(p.word, rng);
      if (noisy) out[i] = { word: noisy, tag: p.tag };
    }
  }
  if (rng.chance(0.15)) return out.filter((p) => p.word !== ',');
  return out;
}
