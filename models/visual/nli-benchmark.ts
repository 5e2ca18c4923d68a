/**
 * The real-language check: the tabletop block-reference pack (crowd workers' instructions, see
 * ../shared/benchmarks/tabletop-nli). For every instruction the scene is built from scenes.json,
 * rendered with the robot camera, and both stages pick a block; the pick is scored against the
 * pack's target. Nothing is trained or tuned on the pack.
 *
 * The pack's instructions ask for an object ("the green block closest to you"), never for a
 * correction of an action, so the parse is grounded as an object reference whatever mistake type
 * the parser reads into it.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ReminderParser } from '../../language/parser';
import { tabletopSceneFromNli } from '../../sim/nli-scene';
import { groundReminder, renderAndPerceive, type RenderedScene } from './ground-scene';
import type { VisualStage } from './visual-stage';

interface Instruction {
  readonly index: number;
  readonly instruction: string;
  readonly scenario: { readonly configuration: number; readonly version: number };
  readonly agentType: string;
  readonly targetBlockId: number;
}

export interface NliResult {
  readonly index: number;
  readonly scenario: string;
  readonly agentType: string;
  readonly picked: string | null;
  readonly target: string;
  readonly correct: boolean;
}

export interface Accuracy {
  readonly accuracy: number;
  readonly count: number;
}

export interface NliReport {
  readonly pack: string;
  readonly overall: Accuracy;
  readonly byScenario: Readonly<Record<string, Accuracy>>;
  readonly byAgentType: Readonly<Record<string, Accuracy>>;
  readonly human: { readonly clickAccuracy: number; readonly majorityCorrect: number; readonly pluralityCorrect: number };
  readonly humanByScenario: Readonly<Record<string, number>>;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function isInstruction(value: unknown): value is Instruction {
  const v = value as Instruction;
  return typeof v?.instruction === 'string' && typeof v.targetBlockId === 'number' && typeof v.scenario?.configuration === 'number' && typeof v.scenario?.version === 'number';
}

export function readInstructions(pack: string): Instruction[] {
  const file = path.join(pack, 'instructions.jsonl');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  return text.split('\n').filter((line) => line.trim() !== '').map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${file}:${i + 1}: not JSON: ${(error as Error).message}`);
    }
    if (!isInstruction(value)) throw new Error(`${file}:${i + 1}: not an instruction {instruction, scenario, agentType, targetBlockId}`);
    return value;
  });
}

const scenarioName = (i: Instruction) => `${String(i.scenario.configuration).padStart(2, '0')}_v${i.scenario.version}`;

function accuracy(results: readonly NliResult[]): Accuracy {
  return { accuracy: results.length === 0 ? 0 : results.filter((r) => r.correct).length / results.length, count: results.length };
}

function grouped(results: readonly NliResult[], key: (r: NliResult) => string): Record<string, Accuracy> {
  const groups = new Map<string, NliResult[]>();
  for (const r of results) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return Object.fromEntries([...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, accuracy(v)]));
}

export function runNliBenchmark(
  pack: string,
  stage: VisualStage,
  parser: ReminderParser,
  onResult?: (done: number, total: number, result: NliResult) => void,
): { report: NliReport; results: NliResult[] } {
  const scenes = readJson(path.join(pack, 'scenes.json'));
  if (!Array.isArray(scenes)) throw new Error(`${path.join(pack, 'scenes.json')}: expected a list of configurations`);
  const baseline = readJson(path.join(pack, 'human_baseline.json')) as {
    overall?: { click_accuracy?: number; majority_correct?: number; plurality_correct?: number };
    per_scenario?: Record<string, { click_accuracy?: number }>;
  };
  const instructions = readInstructions(pack);
  const rendered = new Map<number, RenderedScene>();
  const results: NliResult[] = [];
  for (const instruction of instructions) {
    const configuration = instruction.scenario.configuration;
    let scene = rendered.get(configuration);
    if (!scene) {
      const entry = scenes.find((s: { configuration?: number }) => s?.configuration === configuration);
      if (!entry) throw new Error(`scenes.json has no configuration ${configuration} (instruction ${instruction.index})`);
      scene = renderAndPerceive(stage, tabletopSceneFromNli(entry));
      rendered.set(configuration, scene);
    }
    let picked: string | null = null;
    try {
      picked = groundReminder(stage, parser, scene, instruction.instruction, (m) => ({ ...m, mistake: 'wrong_object' })).target;
    } catch {
      picked = null; // a rejected instruction picks nothing and counts as wrong
    }
    const target = `block_${instruction.targetBlockId}`;
    const result = { index: instruction.index, scenario: scenarioName(instruction), agentType: instruction.agentType, picked, target, correct: picked === target };
    results.push(result);
    onResult?.(results.length, instructions.length, result);
  }
  const humanByScenario = Object.fromEntries(Object.entries(baseline.per_scenario ?? {}).map(([k, v]) => [k, v.click_accuracy ?? NaN]));
  return {
    results,
    report: {
      pack,
      overall: accuracy(results),
      byScenario: grouped(results, (r) => r.scenario),
      byAgentType: grouped(results, (r) => r.agentType),
      human: {
        clickAccuracy: baseline.overall?.click_accuracy ?? NaN,
        majorityCorrect: baseline.overall?.majority_correct ?? NaN,
        pluralityCorrect: baseline.overall?.plurality_correct ?? NaN,
      },
      humanByScenario,
    },
  };
}

export function describeNliReport(report: NliReport): string[] {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const lines = [
    `tabletop-nli (${report.pack}): ${report.overall.count} instructions`,
    `ours: ${pct(report.overall.accuracy)}   one person's click: ${pct(report.human.clickAccuracy)}   majority of 10: ${pct(report.human.majorityCorrect)}   plurality of 10: ${pct(report.human.pluralityCorrect)}`,
    '',
    'by agent type: ' + Object.entries(report.byAgentType).map(([k, v]) => `${k} ${pct(v.accuracy)} (${v.count})`).join(', '),
    '',
    'scenario   ours    people (click)   instructions',
  ];
  for (const [k, v] of Object.entries(report.byScenario)) {
    const human = report.humanByScenario[k];
    lines.push(`${k.padEnd(9)}${pct(v.accuracy).padStart(6)}   ${human === undefined ? '   -' : pct(human).padStart(6)}          ${v.count}`);
  }
  return lines;
}
