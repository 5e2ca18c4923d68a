import { strict as assert } from 'node:assert';
import { PassThrough } from 'stream';
import { runCli } from '../cli/main';
import { withStandIn } from './support/coppeliasim-fixtures';

describe('h2r trial --backend coppeliasim (against the protocol stand-in)', function () {
  this.timeout(120_000);

  it('runs episodes end to end through the bridge, the parser, attention and the monitor', async () => {
    await withStandIn({ render: 'scene' }, async (standIn) => {
      let out = '';
      let err = '';
      const io = {
        stdout: { write: (text: string) => (out += text) },
        stderr: { write: (text: string) => (err += text) },
        stdin: new PassThrough(),
        env: {},
        cwd: process.cwd(),
      };
      const args = ['trial', '--scenario', 'kitchen', '--episodes', '2', '--seed', '1', '--backend', 'coppeliasim', '--host', '127.0.0.1', '--port', String(standIn.port), '--json'];
      assert.equal(await runCli(args, io), 0, err);
      const report = JSON.parse(out.trim().split('\n').at(-1) ?? '');
      assert.equal(report.episodes, 2);
      assert.equal(report.scored + report.interrupted, 2, out);
      assert.ok(report.scored >= 1, `no episode was scored: ${out}`);
      assert.ok(standIn.received.some((r) => r.func?.startsWith('sim.') === true), 'the trial talked to the stand-in');
    });
  });
});
