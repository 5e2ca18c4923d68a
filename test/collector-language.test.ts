import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import type { CliIo } from '../cli/command';
import { runCli } from '../cli/main';
import { exportDataset } from '../collector/export';
import { generateCorpus, readDataset, readDatasetRows, writeDataset } from '../language/corpus/dataset';
import { ReminderParser } from '../language/parser';
import { languageData } from '../models/language/pipeline';
import type { LanguageReport } from '../models/language/report';
import { scoreVolunteers } from '../models/language/volunteer';
import { collectedDatabase } from './support/collector-fixtures';

/** A volunteer export of 6 volunteers x 2 reminders, all on a wrong_object kitchen clip. */
function exportedDirectory(): string {
  const { store, file } = collectedDatabase(6, 2);
  const out = path.join(path.dirname(file), 'volunteers');
  exportDataset(store, out, { testFraction: 0.5, devFraction: 0, salt: 'h2r-at' });
  store.close();
  return out;
}

function cliIo(cwd: string): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, stdin: new PassThrough(), env: {}, cwd };
  return { io, out: () => out, err: () => err };
}

describe('volunteer exports in the language stage', function () {
  this.timeout(120000);

  it('reads an export as volunteer reminders with the clip\'s mistake, and no labelled examples', () => {
    const dir = exportedDirectory();
    const rows = readDatasetRows(dir);
    assert.equal(rows.examples.length, 0);
    assert.equal(rows.volunteer.length, 12);
    assert.deepEqual(rows.volunteer.find((r) => r.text === 'the blue cup 0.0') && { ...rows.volunteer.find((r) => r.text === 'the blue cup 0.0'), split: 'x' }, {
      text: 'the blue cup 0.0', split: 'x', volunteer: 'P0', scenario: 'kitchen', clipMistake: 'wrong_object',
    });
    assert.deepEqual(readDataset(dir), []);
  });

  it('reads generated and volunteer reminders side by side from one directory', () => {
    const dir = exportedDirectory();
    const mixed = path.join(path.dirname(dir), 'mixed');
    writeDataset(mixed, generateCorpus({ count: 120, seed: 3 }));
    for (const split of ['train', 'dev', 'test']) fs.copyFileSync(path.join(dir, `${split}.jsonl`), path.join(mixed, `volunteer-${split}.jsonl`));
    const rows = readDatasetRows(mixed);
    assert.equal(rows.volunteer.length, 12);
    assert.ok(rows.examples.length > 100 && rows.examples.every((e) => e.family !== 'volunteer'));
  });

  it('names the field when a volunteer row lacks the clip\'s mistake', () => {
    const dir = exportedDirectory();
    const file = path.join(dir, 'train.jsonl');
    const first = JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0] as string) as Record<string, unknown>;
    fs.writeFileSync(file, `${JSON.stringify({ ...first, clip: { mistake: 'wrong_colour' } })}\n`);
    assert.throws(() => readDatasetRows(dir), /train\.jsonl:1: field "clip\.mistake" must be a mistake type/);
  });

  it('asks for --generated when the data has no labelled reminders to train on, and mixes them in when given', () => {
    const dir = exportedDirectory();
    assert.throws(() => languageData(dir, 200, 1), /has no labelled training reminders \(12 volunteer reminders have no tags or meaning to learn from\): add --generated N/);
    const mixed = languageData(dir, 200, 1, true);
    assert.equal(mixed.volunteer.length, 12);
    assert.equal(mixed.examples.length, generateCorpus({ count: 200, seed: 1 }).examples.length);
    assert.equal(mixed.meta?.seed, 1);
  });

  it('trains with h2r train language --data EXPORT --generated N and scores the volunteers in the report', async () => {
    const dir = exportedDirectory();
    const cli = cliIo(path.dirname(dir));
    const code = await runCli(['train', 'language', '--data', dir, '--generated', '150', '--epochs', '1', '--out', 'model'], cli.io);
    assert.equal(code, 0, cli.err());
    assert.match(cli.err(), /; 12 volunteer reminders to score/);
    assert.match(cli.out(), /volunteer reminders \(weak label: the mistake of the clip watched\)\n/);
    const report = JSON.parse(fs.readFileSync(path.join(path.dirname(dir), 'model', 'report.json'), 'utf8')) as LanguageReport;
    const scored = Object.values(report.volunteer ?? {}).reduce((n, s) => n + s.reminders, 0);
    assert.equal(scored, 12);
  });

  it('scores an export with h2r eval language --data EXPORT exactly as the parser reads each reminder', async () => {
    const dir = exportedDirectory();
    const cli = cliIo(path.dirname(dir));
    assert.equal(await runCli(['eval', 'language', '--data', dir, '--out', 'eval', '--json'], cli.io), 0, cli.err());
    const report = JSON.parse(cli.out()) as LanguageReport;
    const parser = await ReminderParser.load();
    const rows = readDatasetRows(dir).volunteer;
    for (const split of ['train', 'test'] as const) {
      const expected = scoreVolunteers(parser, rows.filter((r) => r.split === split));
      assert.deepEqual(report.volunteer?.[split], expected);
    }
    assert.ok(fs.existsSync(path.join(path.dirname(dir), 'eval', 'report.png')));
  });
});
