import { strict as assert } from 'node:assert';
import { formatDuration, ProgressBar } from '../cli/progress';

/** A stream and clock under the test's control. */
function setup(isTTY: boolean, columns = 60) {
  const written: string[] = [];
  let nowMs = 1_000_000;
  return {
    written,
    stream: { write: (text: string) => written.push(text), isTTY, columns },
    now: () => nowMs,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

describe('progress bar without a terminal', () => {
  it('prints a line with count, percent, rate and time left at most every interval, and a final line', () => {
    const { written, stream, now, advance } = setup(false);
    const bar = new ProgressBar({ label: 'training', total: 100, unit: 'samples', stream, now, lineIntervalMs: 5000 });
    advance(1000);
    bar.tick(10);
    assert.deepEqual(written, []);
    advance(4000);
    bar.tick(10);
    advance(1000);
    bar.tick(10);
    advance(4000);
    bar.update(50);
    advance(2500);
    bar.update(100);
    bar.finish();
    bar.tick();
    bar.finish();
    assert.deepEqual(written, [
      'training: 20/100 (20%), 4.00 samples/s, ETA 20s\n',
      'training: 50/100 (50%), 5.00 samples/s, ETA 10s\n',
      'training: done, 100/100 in 13s (8.00 samples/s)\n',
    ]);
  });

  it('shows count and rate but no time left when the total is unknown', () => {
    const { written, stream, now, advance } = setup(false);
    const bar = new ProgressBar({ label: 'collecting', stream, now, lineIntervalMs: 1000 });
    advance(2000);
    bar.update(300);
    bar.finish();
    assert.deepEqual(written, ['collecting: 300 items, 150 items/s\n', 'collecting: done, 300 items in 2.0s (150 items/s)\n']);
  });

  it('says the time left is unknown while nothing is done yet', () => {
    const { written, stream, now, advance } = setup(false);
    const bar = new ProgressBar({ label: 'eval', total: 8, stream, now, lineIntervalMs: 1000 });
    advance(1000);
    bar.update(0);
    assert.deepEqual(written, ['eval: 0/8 (0%), 0.00 items/s, ETA ?\n']);
  });

  it('refuses a negative total, naming the progress', () => {
    assert.throws(() => new ProgressBar({ label: 'eval', total: -1 }), { message: "progress 'eval': total must be a non-negative number, got -1" });
  });
});

describe('progress bar on a terminal', () => {
  it('redraws one line in place with a bar, at most every redraw interval, and ends it with a newline', () => {
    const { written, stream, now, advance } = setup(true, 100);
    const bar = new ProgressBar({ label: 'epoch 1', total: 4, stream, now, redrawIntervalMs: 100 });
    advance(1000);
    bar.tick();
    bar.tick();
    advance(1000);
    bar.finish();
    assert.deepEqual(written, [
      '\repoch 1 [#####---------------] 1/4 (25%), 1.00 items/s, ETA 3.0s\x1b[K',
      '\repoch 1 [##########----------] done, 2/4 in 2.0s (1.00 items/s)\x1b[K\n',
    ]);
  });

  it('leaves the bar out when the terminal is too narrow for it', () => {
    const { written, stream, now, advance } = setup(true, 40);
    const bar = new ProgressBar({ label: 'epoch 1', total: 4, stream, now });
    advance(1000);
    bar.finish();
    assert.deepEqual(written, ['\repoch 1 done, 0/4 in 1.0s (0.00 items/s)\x1b[K\n']);
  });
});

describe('durations', () => {
  it('reads as seconds, minutes and hours', () => {
    assert.deepEqual([4.04, 42, 245, 7380].map(formatDuration), ['4.0s', '42s', '4m05s', '2h03m']);
  });
});
