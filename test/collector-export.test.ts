import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import type { CliIo } from '../cli/command';
import { runCli } from '../cli/main';
import { ABSENT_FIELDS, checkSplitRule, exportDataset, volunteerSplit, type CollectedExample } from '../collector/export';
import { collectedDatabase } from './support/collector-fixtures';

const RULE = { testFraction: 0.2, devFraction: 0.1, salt: 'h2r-at' };

function readRows(dir: string): CollectedExample[] {
  return ['train', 'dev', 'test'].flatMap((split) =>
    fs.readFileSync(path.join(dir, `${split}.jsonl`), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as CollectedExample),
  );
}

describe('collected dataset export', () => {
  it('splits by volunteer: the same id always lands in the same split, whatever else is in the data', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `volunteer-${i}`);
    const splits = ids.map((id) => volunteerSplit(id, RULE));
    assert.deepEqual(ids.map((id) => volunteerSplit(id, RULE)), splits);
    const test = splits.filter((s) => s === 'test').length;
    const dev = splits.filter((s) => s === 'dev').length;
    // sha256 spreads ids evenly: about 400 and 200 expected (fixed ids, so fixed counts: nothing is left to chance).
    assert.ok(test > 340 && test < 460, `${test} in test`);
    assert.ok(dev > 150 && dev < 250, `${dev} in dev`);
    assert.ok(ids.some((id) => volunteerSplit(id, { ...RULE, salt: 'other' }) !== volunteerSplit(id, RULE)), 'another salt, another split');
    assert.equal(volunteerSplit('anyone', { ...RULE, testFraction: 0, devFraction: 0 }), 'train');
    assert.equal(volunteerSplit('anyone', { ...RULE, testFraction: 1, devFraction: 0 }), 'test');
  });

  it('refuses split fractions outside 0..1 or adding up to more than 1', () => {
    assert.throws(() => checkSplitRule({ ...RULE, testFraction: 1.2 }), /testFraction must be between 0 and 1, got 1.2/);
    assert.throws(() => checkSplitRule({ ...RULE, testFraction: 0.6, devFraction: 0.5 }), /testFraction \+ devFraction must be at most 1, got 1.1/);
  });

  it('writes every reminder once, with no volunteer in two splits, in the language format with the clip truth and the click', () => {
    const { store } = collectedDatabase(30, 3);
    const out = path.join(path.dirname(store.audioDirectory), 'dataset');
    const summary = exportDataset(store, out, RULE);
    store.close();
    const rows = readRows(out);
    assert.equal(rows.length, 90);
    assert.equal(summary.counts.train + summary.counts.dev + summary.counts.test, 90);
    const splitOf = new Map<string, string>();
    for (const row of rows) {
      assert.equal(splitOf.get(row.volunteer) ?? row.split, row.split, `${row.volunteer} is in two splits`);
      splitOf.set(row.volunteer, row.split);
      assert.equal(row.split, volunteerSplit(row.volunteer, RULE));
      for (const field of ABSENT_FIELDS) assert.ok(!(field in row), `${field} is absent`);
      assert.equal(row.family, 'volunteer');
    }
    const first = rows.find((r) => r.text === 'the blue cup 0.0');
    assert.deepEqual(first && { ...first, split: undefined }, {
      text: 'the blue cup 0.0', family: 'volunteer', split: undefined, scenario: 'kitchen', source: 'speech', volunteer: 'P0',
      clip: { id: 'c00000000000a', seed: 4, mistake: 'wrong_object', endTime: 4.1, truth: { mistake: { type: 'wrong_object', target: 'cup_2', region: null } } },
      attention: { u: 100, v: 200, imageWidth: 480, imageHeight: 360, world: { x: 0.1, y: 0.2, z: 0 } },
      transcript: 'the blue cup', audio: 'audio/a.16k.wav', answerMs: 5000, createdAt: '2026-05-02T09:00:00.000Z', reminderId: 1,
    });
    assert.equal(fs.readFileSync(path.join(out, 'audio', 'a.16k.wav'), 'utf8'), 'RIFF....WAVE');
    assert.equal(rows.find((r) => r.text === 'the blue cup 0.1')?.attention.world, null);
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'meta.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(meta['absentFields'], ['tokens', 'tags', 'meaning']);
    assert.deepEqual(meta['counts'], summary.counts);
    assert.deepEqual(meta['mistakeCounts'], { wrong_object: 90 });
  });

  it('exports with h2r dataset export --out DIR --db FILE and reports the counts', async () => {
    const { store, file } = collectedDatabase(4, 2);
    store.close();
    const out = path.join(path.dirname(file), 'cli-dataset');
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, stdin: new PassThrough(), env: {}, cwd: path.dirname(file) };
    assert.equal(await runCli(['dataset', 'export', '--out', 'cli-dataset', '--db', 'reminders.db', '--test-fraction', '0.5', '--dev-fraction', '0'], io), 0, stderr);
    assert.match(stdout, /cli-dataset: train \d+ \(\d+ volunteers\), dev 0 \(0\), test \d+ \(\d+\), 1 audio files\n$/);
    assert.equal(readRows(out).length, 8);
    assert.equal(await runCli(['dataset', 'export', '--out', 'x', '--db', 'missing.db'], io), 1);
    assert.match(stderr, /no collector database at .*missing\.db \(run h2r collect first, or give --db FILE\)/);
    assert.equal(await runCli(['dataset', 'export', '--out', 'x', '--test-fraction', '2'], io), 2);
    assert.match(stderr, /--test-fraction must be a number from 0 to 1, got '2'/);
  });
});
