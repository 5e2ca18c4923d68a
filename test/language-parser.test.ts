import * as assert from 'assert';
import { ReminderParser, ReminderRejected, stopCommand } from '../language/parser';
import { initRuntime } from '../models/runtime';

/** Hand-written reminders, none of them produced by the corpus templates, against the committed model. */
describe('ReminderParser (committed model)', () => {
  let parser: ReminderParser;
  before(async () => {
    await initRuntime();
    parser = await ReminderParser.load(undefined, { maxLength: 200 });
  });

  it('parses the same after warming up', () => {
    const text = 'no no, the blue cup on your left';
    const before = parser.parse(text);
    parser.warmUp(2);
    const after = parser.parse(text);
    assert.deepStrictEqual(after.meaning, before.meaning);
    assert.deepStrictEqual(after.tags, before.tags);
  });

  it('reads "not the red one" as ruling out red, with nothing else wanted', () => {
    const { meaning, tags } = parser.parse('not the red one');
    assert.deepStrictEqual(meaning.avoid, { colour: 'red' });
    assert.deepStrictEqual(meaning.target, {});
    assert.strictEqual(meaning.mistake, 'wrong_object');
    assert.deepStrictEqual(tags, ['NEGATION', 'AVOID', 'AVOID', 'AVOID']);
  });

  it('separates the ruled-out and the wanted object in "not the red one, the blue one please"', () => {
    const { meaning } = parser.parse('not the red one, the blue one please');
    assert.deepStrictEqual(meaning.avoid, { colour: 'red' });
    assert.deepStrictEqual(meaning.target, { colour: 'blue' });
  });

  it('takes "on my left", said by the person across the table, as left from the speaker\'s view', () => {
    const { meaning } = parser.parse('hey, it is the mug on my left');
    assert.deepStrictEqual(meaning.locations, [{ term: 'left', viewpoint: 'speaker' }]);
    assert.strictEqual(meaning.target.kind, 'mug');
  });

  it('takes "on your right" as right from the robot\'s view', () => {
    assert.deepStrictEqual(parser.parse('grab the glass on your right').meaning.locations, [{ term: 'right', viewpoint: 'robot' }]);
  });

  it('reads the misspelt "the bleu cupp" as the blue cup and reports the snapping', () => {
    const result = parser.parse('the bleu cupp');
    assert.deepStrictEqual(result.meaning.target, { colour: 'blue', kind: 'cup' });
    assert.deepStrictEqual(result.snapped.map((s) => [s.from, s.to]), [['bleu', 'blue'], ['cupp', 'cup']]);
    assert.ok(result.confidence < parser.parse('the blue cup').confidence, 'snapping lowers the confidence');
  });

  it('reports an unknown word, never turns it into an object, and lowers the confidence', () => {
    const unknown = parser.parse('pick up the zorblax');
    assert.deepStrictEqual(unknown.unknownWords, ['zorblax']);
    assert.strictEqual(unknown.meaning.target.kind, undefined);
    assert.ok(unknown.confidence < parser.parse('pick up the cup').confidence);
  });

  it('recognises a wrong object: "that is not it, get the green mug"', () => {
    const { meaning } = parser.parse('that is not it, get the green mug');
    assert.strictEqual(meaning.mistake, 'wrong_object');
    assert.deepStrictEqual(meaning.target, { colour: 'green', kind: 'mug' });
  });

  it('reads a contrast with the wanted object first: "the blue mug, not the red one"', () => {
    const { meaning } = parser.parse('the blue mug, not the red one');
    assert.deepStrictEqual([meaning.target, meaning.avoid], [{ colour: 'blue', kind: 'mug' }, { colour: 'red' }]);
  });

  it('recognises a wrong region: "pour it into the white bowl"', () => {
    const { meaning } = parser.parse('pour it into the white bowl');
    assert.strictEqual(meaning.mistake, 'wrong_region');
    assert.deepStrictEqual(meaning.relation, { type: 'in', reference: { colour: 'white', kind: 'bowl' }, viewpoint: null });
  });

  it('recognises a wrong pose: "careful, hold it by the handle"', () => {
    const { meaning } = parser.parse('careful, hold it by the handle');
    assert.strictEqual(meaning.mistake, 'wrong_pose');
    assert.strictEqual(meaning.grasp, 'side');
  });

  it('recognises a wrong action: "hand it to me, don\'t put it down"', () => {
    const { meaning } = parser.parse("hand it to me, don't put it down");
    assert.strictEqual(meaning.mistake, 'wrong_action');
    assert.strictEqual(meaning.action, 'hand_over');
    assert.strictEqual(meaning.target.kind, 'person');
  });

  it('recognises a wrong relation: "no, put it in front of the pitcher"', () => {
    const { meaning } = parser.parse('no, put it in front of the pitcher');
    assert.strictEqual(meaning.mistake, 'wrong_relation');
    assert.deepStrictEqual(meaning.relation, { type: 'in_front_of', reference: { kind: 'pitcher' }, viewpoint: null });
  });

  it('reads "in front of" with a hesitation inside it: "no, put it in um front of the pitcher"', () => {
    const { meaning, tokens, tags, attention } = parser.parse('no, put it in um front of the pitcher');
    assert.strictEqual(meaning.relation?.type, 'in_front_of');
    assert.strictEqual(meaning.relation?.reference.kind, 'pitcher');
    assert.strictEqual(tokens.length, 10, 'every token as written');
    assert.deepStrictEqual([tags[tokens.indexOf('um')], attention[tokens.indexOf('um')]], ['O', 0], 'the hesitation was not read');
    assert.strictEqual(tags.length, attention.length);
  });

  it('recognises approval as no mistake: "good, keep going"', () => {
    const { meaning } = parser.parse('good, keep going');
    assert.strictEqual(meaning.mistake, 'none');
    assert.strictEqual(meaning.stop, false);
  });

  it('halts on "stop!" with full urgency and nothing else', () => {
    const { meaning } = parser.parse('stop!');
    assert.deepStrictEqual([meaning.stop, meaning.urgency, meaning.mistake], [true, 1, 'none']);
    assert.strictEqual(stopCommand('wait for the cup'), null, '"wait for" is not a stop');
  });

  it('reads ordinals and surrounded-by references on the tabletop', () => {
    const second = parser.parse('the second green block from the left').meaning;
    assert.deepStrictEqual([second.ordinal, second.locations, second.target], [2, [{ term: 'left', viewpoint: null }], { colour: 'green', kind: 'block' }]);
    const surrounded = parser.parse('the yellow block surrounded by orange blocks').meaning;
    assert.strictEqual(surrounded.relation?.type, 'surrounded_by');
    assert.deepStrictEqual(surrounded.relation?.reference, { colour: 'orange', kind: 'block' });
  });

  it('gives one tag and one attention weight per token, weights summing to 1, and fixed-length features', () => {
    const result = parser.parse('the cup closest to me');
    assert.strictEqual(result.tags.length, result.tokens.length);
    assert.strictEqual(result.attention.length, result.tokens.length);
    assert.ok(Math.abs(result.attention.reduce((a, b) => a + b, 0) - 1) < 1e-6);
    assert.strictEqual(result.features.length, parser.parse('stop').features.length);
    assert.deepStrictEqual(result.meaning.relation, { type: 'closest_to', reference: { kind: 'person' }, viewpoint: null });
  });

  it('rejects empty, letterless, enormous and all-unknown input with the reason', () => {
    const reason = (text: string) => {
      try {
        parser.parse(text);
        return null;
      } catch (error) {
        assert.ok(error instanceof ReminderRejected);
        return error.reason;
      }
    };
    assert.strictEqual(reason('  '), 'empty reminder');
    assert.strictEqual(reason('?!? 42'), 'reminder has no letters');
    assert.strictEqual(reason('a'.repeat(201)), 'reminder of 201 characters exceeds max_length 200');
    assert.strictEqual(reason('zorblax quux'), 'only unknown words: zorblax quux');
  });

  it('parses the same text the same way every time', () => {
    const a = parser.parse('the big empty glass behind the bottle');
    const b = parser.parse('the big empty glass behind the bottle');
    assert.deepStrictEqual(a, b);
  });
});
