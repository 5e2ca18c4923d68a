import { strict as assert } from 'node:assert';
import { describeSummary, heldOutSpeech, recogniseClip, summarise } from '../speech/evaluate';
import { Recogniser } from '../speech/recogniser';
import { TEST_SPEEDS, TEST_VOICES } from '../speech/synthesis';

/**
 * 200 reminders of the corpus generator's TEST template families (the language model saw only
 * training families), spoken by espeak-ng with 6 voices at 3 speeds, generated now, streamed
 * through the endpointer and decoded in this process. The acceptance target is WER <= 15%; what
 * this machine measures is printed, and the assertion is a regression bound above it.
 */
describe('speech recognition of held-out spoken reminders', function () {
  this.timeout(600000);

  it('transcribes 200 held-out reminders from 6 voices at 3 speeds with WER under the 40% regression bound', async () => {
    const utterances = await heldOutSpeech(200, 2026);
    assert.equal(new Set(utterances.map((u) => u.clip.voice)).size, TEST_VOICES.length);
    assert.equal(new Set(utterances.map((u) => u.clip.speed)).size, TEST_SPEEDS.length);
    assert.ok(utterances.every((u) => u.reminder.familySplit === 'test'), 'only held-out template families');
    const recogniser = Recogniser.open();
    try {
      const summary = summarise(utterances.map((u) => recogniseClip(u, recogniser)));
      console.log(describeSummary(summary).map((line) => `      ${line}`).join('\n'));
      assert.equal(summary.utterances, 200);
      assert.ok(summary.wer < 0.4, `WER ${(100 * summary.wer).toFixed(1)}%`);
      assert.ok(summary.lost <= 20, `${summary.lost} reminders produced no transcript`);
    } finally {
      recogniser.close();
    }
  });
});
