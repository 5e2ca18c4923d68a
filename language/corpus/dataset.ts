/**
 * The reminder dataset: generation with an honest held-out split, and its on-disk format.
 *
 * Format (a directory): `train.jsonl`, `dev.jsonl`, `test.jsonl` (any *.jsonl is read), one JSON
 * object per line:
 *   { "text": "No, the blue cup on your left",          // what the person said or typed
 *     "tokens": ["No", ",", "the", "blue", ...],         // language/preprocess.tokenize(text)
 *     "tags": ["NEGATION", "O", "O", "COLOUR", ...],      // one SlotTag per token
 *     "meaning": { ...semantics/meaning.Meaning },       // the gold Meaning, as said
 *     "family": "wo_no_target",                          // phrasing family (free text for real data)
 *     "split": "train" | "dev" | "test" }
 * plus optional "scenario" and "heldOutWords". `meta.json` records how the data was made (seed,
 * counts, the families and words held out of training). Real volunteer reminders are exported in
 * the same format with family "volunteer" (`h2r dataset export`, collector/export.ts); they have
 * no gold "tokens", "tags" or "meaning", only the clip the volunteer watched ("clip.mistake" is the
 * mistake it showed), so they are read as VolunteerReminders: scored, never trained on.
 *
 * Split: train uses only train families and no held-out word. A dev (test) example is drawn from
 * the train and dev (test) families with the dev (test) words allowed, and is kept only when it
 * uses a held-out family or word of its split, so every held-out example contains something the
 * model never saw in training.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SLOT_TAGS, type Meaning, type SlotTag } from '../../semantics/meaning';
import { MISTAKE_TYPES, SCENARIOS, type MistakeType, type Scenario } from '../../sim/types';
import { FAMILIES } from './families';
import { PLAN_KINDS, sampleMeaning, type PlanKind } from './meaning-sampler';
import { realise } from './realise';
import { Rng } from './utterance';
import { HELD_OUT_WORDS, SPLIT_ORDER, type SplitName } from './vocabulary';

export interface Example {
  readonly text: string;
  readonly tokens: readonly string[];
  readonly tags: readonly SlotTag[];
  readonly meaning: Meaning;
  readonly family: string;
  readonly split: SplitName;
  readonly scenario?: Scenario;
  readonly heldOutWords?: readonly string[];
}

export interface CorpusMeta {
  readonly generator: string;
  readonly seed: number;
  /** Examples asked for (generateCorpus count); with the seed it regenerates the corpus. */
  readonly count: number;
  readonly counts: Record<SplitName, number>;
  readonly families: Record<SplitName, string[]>;
  readonly heldOutWords: Record<'dev' | 'test', string[]>;
  readonly familyCounts: Record<string, number>;
  readonly mistakeCounts: Record<string, number>;
  readonly rejectedRealisations: number;
}

export interface Corpus {
  readonly examples: Example[];
  readonly meta: CorpusMeta;
}

export interface CorpusOptions {
  readonly count: number;
  readonly seed: number;
  /** Share of examples per split (default train 0.8, dev 0.1, test 0.1). */
  readonly shares?: Readonly<Record<SplitName, number>>;
}

const KIND_WEIGHTS: readonly (readonly [PlanKind, number])[] = PLAN_KINDS.map((k) => [k, k === 'stop' ? 0.4 : k === 'none' ? 0.8 : k === 'wrong_object' ? 2 : 1]);

/** Generates a corpus; the same options give the same corpus. */
export function generateCorpus(options: CorpusOptions): Corpus {
  const shares = options.shares ?? { train: 0.8, dev: 0.1, test: 0.1 };
  const rng = new Rng(options.seed);
  const examples: Example[] = [];
  let rejected = 0;
  for (let n = 0; n < options.count; n++) {
    const split = rng.weighted(SPLIT_ORDER.map((s) => [s, shares[s]] as const));
    for (let attempt = 0; attempt < 40; attempt++) {
      const scenario = rng.pick(SCENARIOS);
      const plan = sampleMeaning(rng, scenario, rng.weighted(KIND_WEIGHTS));
      let realisation;
      try {
        realisation = realise(plan, rng, split);
      } catch (error) {
        if (process.env.H2R_CORPUS_DEBUG) console.error(error);
        rejected++;
        continue;
      }
      const family = FAMILIES.find((f) => f.id === realisation.family)!;
      if (split !== 'train' && family.split !== split && !realisation.heldOutWords.some((w) => HELD_OUT_WORDS[w] === split)) continue;
      const { heldOutWords, ...rest } = realisation;
      examples.push({ ...rest, split, scenario, ...(heldOutWords.length > 0 ? { heldOutWords } : {}) });
      break;
    }
  }
  return { examples, meta: describeCorpus(examples, options.seed, options.count, rejected) };
}

function describeCorpus(examples: readonly Example[], seed: number, count: number, rejected: number): CorpusMeta {
  const counts = { train: 0, dev: 0, test: 0 };
  const familyCounts: Record<string, number> = {};
  const mistakeCounts: Record<string, number> = {};
  for (const e of examples) {
    counts[e.split]++;
    familyCounts[e.family] = (familyCounts[e.family] ?? 0) + 1;
    const key = e.meaning.stop ? `${e.meaning.mistake}+stop` : e.meaning.mistake;
    mistakeCounts[key] = (mistakeCounts[key] ?? 0) + 1;
  }
  const bySplit = (s: SplitName) => FAMILIES.filter((f) => f.split === s).map((f) => f.id);
  const words = (s: 'dev' | 'test') => Object.keys(HELD_OUT_WORDS).filter((w) => HELD_OUT_WORDS[w] === s).sort();
  return {
    generator: 'language/corpus (meaning-sampler + families + realise)',
    seed,
    count,
    counts,
    families: { train: bySplit('train'), dev: bySplit('dev'), test: bySplit('test') },
    heldOutWords: { dev: words('dev'), test: words('test') },
    familyCounts,
    mistakeCounts,
    rejectedRealisations: rejected,
  };
}

export function writeDataset(dir: string, corpus: Corpus): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const split of SPLIT_ORDER) {
    const lines = corpus.examples.filter((e) => e.split === split).map((e) => JSON.stringify(e));
    fs.writeFileSync(path.join(dir, `${split}.jsonl`), lines.join('\n') + (lines.length ? '\n' : ''));
  }
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(corpus.meta, null, 2) + '\n');
}

/** A reminder a volunteer gave after watching a clip: no gold tags or Meaning. */
export interface VolunteerReminder {
  readonly text: string;
  readonly split: SplitName;
  readonly volunteer: string;
  readonly scenario?: Scenario;
  /** The mistake the clip showed: a weak label of what the reminder is about. */
  readonly clipMistake: MistakeType;
}

export interface DatasetRows {
  /** Labelled rows (generated, or annotated by hand). */
  readonly examples: Example[];
  readonly volunteer: VolunteerReminder[];
}

/** Labelled examples of a dataset directory (volunteer rows, which have no labels, are left out). */
export function readDataset(dir: string): Example[] {
  return readDatasetRows(dir).examples;
}

/**
 * Reads every *.jsonl file of a dataset directory, labelled and volunteer rows apart; errors name
 * the file, line and field.
 */
export function readDatasetRows(dir: string): DatasetRows {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`dataset directory not found: ${dir}`);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  if (files.length === 0) throw new Error(`no *.jsonl files in dataset directory ${dir}`);
  const out: Example[] = [];
  const volunteer: VolunteerReminder[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim().length === 0) return;
      const where = `${path.join(dir, file)}:${i + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new Error(`${where}: not JSON (${error instanceof Error ? error.message : String(error)})`);
      }
      if (isVolunteerRow(value)) volunteer.push(checkVolunteerRow(value, where));
      else out.push(checkExample(value, where));
    });
  }
  return { examples: out, volunteer };
}

function isVolunteerRow(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>).family === 'volunteer' && !('tags' in value);
}

function checkVolunteerRow(row: Record<string, unknown>, where: string): VolunteerReminder {
  if (typeof row.text !== 'string') throw new Error(`${where}: field "text" must be a string`);
  if (!SPLIT_ORDER.includes(row.split as SplitName)) throw new Error(`${where}: field "split" must be train, dev or test`);
  if (typeof row.volunteer !== 'string') throw new Error(`${where}: field "volunteer" must be a string`);
  const clip = row.clip as Record<string, unknown> | undefined;
  if (typeof clip !== 'object' || clip === null || !MISTAKE_TYPES.includes(clip.mistake as never)) throw new Error(`${where}: field "clip.mistake" must be a mistake type`);
  const scenario = SCENARIOS.includes(row.scenario as never) ? { scenario: row.scenario as Scenario } : {};
  return { text: row.text, split: row.split as SplitName, volunteer: row.volunteer, ...scenario, clipMistake: clip.mistake as MistakeType };
}

function checkExample(value: unknown, where: string): Example {
  if (typeof value !== 'object' || value === null) throw new Error(`${where}: a row must be a JSON object`);
  const row = value as Record<string, unknown>;
  if (typeof row.text !== 'string') throw new Error(`${where}: field "text" must be a string`);
  if (!Array.isArray(row.tokens) || !row.tokens.every((t) => typeof t === 'string')) throw new Error(`${where}: field "tokens" must be an array of strings`);
  if (!Array.isArray(row.tags) || row.tags.length !== row.tokens.length) throw new Error(`${where}: field "tags" must have one tag per token`);
  const badTag = row.tags.find((t) => !SLOT_TAGS.includes(t as SlotTag));
  if (badTag !== undefined) throw new Error(`${where}: field "tags" has unknown tag ${JSON.stringify(badTag)}`);
  if (!SPLIT_ORDER.includes(row.split as SplitName)) throw new Error(`${where}: field "split" must be train, dev or test`);
  if (typeof row.family !== 'string') throw new Error(`${where}: field "family" must be a string`);
  const meaning = row.meaning as Record<string, unknown> | undefined;
  if (typeof meaning !== 'object' || meaning === null) throw new Error(`${where}: field "meaning" must be an object`);
  if (!MISTAKE_TYPES.includes(meaning.mistake as never)) throw new Error(`${where}: field "meaning.mistake" is not a mistake type`);
  for (const field of ['stop', 'avoidCurrent'] as const) {
    if (typeof meaning[field] !== 'boolean') throw new Error(`${where}: field "meaning.${field}" must be a boolean`);
  }
  for (const field of ['urgency', 'ordinal'] as const) {
    if (typeof meaning[field] !== 'number') throw new Error(`${where}: field "meaning.${field}" must be a number`);
  }
  if (typeof meaning.target !== 'object' || meaning.target === null) throw new Error(`${where}: field "meaning.target" must be an object`);
  if (!Array.isArray(meaning.locations)) throw new Error(`${where}: field "meaning.locations" must be an array`);
  return row as unknown as Example;
}
