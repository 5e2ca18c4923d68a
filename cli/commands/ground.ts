/**
 * `h2r ground`: JSON lines {"scene": SCENE, "reminder": "text"} in, one JSON line out per input:
 * {"target": id or null, "mistake": type, "confidence": number, ...}. A malformed line gets an
 * error line of its own; the rest are still answered.
 */
import * as fs from 'fs';
import * as readline from 'readline';
import { UsageError, type Command } from '../command';
import { numberValue, pathValue } from '../option-values';
import { ReminderParser, ReminderRejected } from '../../language/parser';
import { parseScene } from '../../sim/scene-format';
import { groundReminder, renderAndPerceive, type RenderedScene } from '../../models/visual/ground-scene';
import { VisualStage } from '../../models/visual/visual-stage';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const command: Command = {
  name: 'ground',
  summary: 'Ground reminders in described scenes: JSON lines {scene, reminder} in, {target, mistake, confidence} out',
  usage: 'h2r ground [--in FILE] [--language-model DIR] [--visual-model DIR] < lines.jsonl',
  details: [
    'Each input line is {"scene": SCENE, "reminder": "text"} (SCENE: see "Describing a scene" in the README).',
    'The scene is rendered with the robot camera and both stages run on the image and the words.',
    'Each output line is {"line", "target", "mistake", "confidence", "low_confidence", "point",',
    '"heat_share", "meaning"}, or {"line", "error"} for an input that cannot be answered.',
  ],
  options: [
    { name: 'in', value: 'FILE', description: 'read the lines from FILE instead of stdin' },
    { name: 'language-model', value: 'DIR', description: 'reminder parser model (default the committed models/language)' },
    { name: 'visual-model', value: 'DIR', description: 'visual stage (default the committed models/visual)' },
    { name: 'threshold', value: 'P', description: 'confidence under which low_confidence is set (default 0.5)' },
  ],
  acceptsRosArguments: false,

  async run({ args, io }) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`, 'ground');
    const option = (name: string) => pathValue(args, name, 'ground', io.cwd);
    const threshold = numberValue(args, 'threshold', 'ground', 0.5, 0, 1);
    const input = option('in');
    const stream = input ? fs.createReadStream(input) : io.stdin;
    const [parser, stage] = await Promise.all([ReminderParser.load(option('language-model')), VisualStage.load(option('visual-model'))]);
    let lineNumber = 0;
    let cached: { json: string; rendered: RenderedScene } | null = null;
    const write = (value: object) => io.stdout.write(`${JSON.stringify(value)}\n`);
    for await (const raw of readline.createInterface({ input: stream, crlfDelay: Infinity })) {
      lineNumber++;
      if (raw.trim() === '') continue;
      try {
        let value: unknown;
        try {
          value = JSON.parse(raw);
        } catch (error) {
          throw new Error(`not JSON: ${(error as Error).message}`);
        }
        if (!isRecord(value)) throw new Error('expected an object {"scene": ..., "reminder": "..."}');
        if (typeof value['reminder'] !== 'string') throw new Error('reminder: expected a string');
        if (value['scene'] === undefined) throw new Error('scene: missing');
        const sceneJson = JSON.stringify(value['scene']);
        if (!cached || cached.json !== sceneJson) {
          let scene;
          try {
            scene = parseScene(value['scene']);
          } catch (error) {
            throw new Error(`scene: ${(error as Error).message}`);
          }
          cached = { json: sceneJson, rendered: renderAndPerceive(stage, scene) };
        }
        const grounded = groundReminder(stage, parser, cached.rendered, value['reminder']);
        write({
          line: lineNumber,
          target: grounded.target,
          mistake: grounded.mistake,
          confidence: Number(grounded.confidence.toFixed(4)),
          low_confidence: grounded.confidence < threshold,
          point: [Number(grounded.point.x.toFixed(4)), Number(grounded.point.y.toFixed(4))],
          heat_share: Number(grounded.heatShare.toFixed(4)),
          meaning: grounded.parse.meaning,
        });
      } catch (error) {
        const message = error instanceof ReminderRejected ? error.message : error instanceof Error ? error.message : String(error);
        write({ line: lineNumber, error: message });
      }
    }
    return 0;
  },
};
