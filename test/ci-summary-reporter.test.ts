import { strict as assert } from 'node:assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { repositoryRoot } from '../cli/repo';

const root = repositoryRoot();

/** Runs mocha with the project's reporter on one fixture file, without .mocharc.json's spec. */
function mocha(fixture: string): { status: number | null; lines: string[] } {
  const result = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
      '--no-config',
      '--reporter',
      path.join(__dirname, 'support', 'summary-reporter.js'),
      path.join(__dirname, 'fixtures', 'reporter', fixture),
    ],
    { cwd: root, encoding: 'utf8' },
  );
  return { status: result.status, lines: result.stdout.trimEnd().split('\n') };
}

describe('CI summary reporter', () => {
  it('ends with "1 passed, 1 failed" and a non-zero exit code when a test fails', () => {
    const { status, lines } = mocha('mixed.fixture.js');
    assert.equal(status, 1);
    assert.equal(lines[lines.length - 1], '1 passed, 1 failed');
    assert.ok(lines.some((line) => line.includes('1 failing')), 'the spec report is still there');
  });

  it('ends with "2 passed, 0 failed" and exit code 0 when all pass', () => {
    const { status, lines } = mocha('passing.fixture.js');
    assert.equal(status, 0);
    assert.equal(lines[lines.length - 1], '2 passed, 0 failed');
  });
});
