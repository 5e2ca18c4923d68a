import * as assert from 'assert';
import { decodeMeaning, relationFromWords, type HeadOutputs } from '../language/decode';
import { preprocess } from '../language/preprocess';
import { ACTION_LABELS, GRASP_LABELS, MISTAKE_LABELS, RELATION_LABELS } from '../models/language/labels';
import type { SlotTag } from '../semantics/meaning';

function oneHot(labels: readonly string[], value: string): number[] {
  return labels.map((l) => (l === value ? 1 : 0));
}

function heads(overrides: { mistake?: string; relation?: string; avoidCurrent?: number; action?: string } = {}): HeadOutputs {
  return {
    mistake: oneHot(MISTAKE_LABELS, overrides.mistake ?? 'wrong_object'),
    stop: 0,
    urgency: [1, 0, 0],
    avoidCurrent: overrides.avoidCurrent ?? 0,
    action: oneHot(ACTION_LABELS, overrides.action ?? 'none'),
    grasp: oneHot(GRASP_LABELS, 'none'),
    relation: oneHot(RELATION_LABELS, overrides.relation ?? 'none'),
  };
}

/** Tags written as one letter per token: O C(olour) B(object) A(ttribute) L R F(reference) N V(avoid). */
function decode(text: string, letters: string, h: HeadOutputs = heads()) {
  const code: Record<string, SlotTag> = { O: 'O', C: 'COLOUR', B: 'OBJECT', A: 'ATTRIBUTE', L: 'LOCATION', R: 'RELATION', F: 'REFERENCE', N: 'NEGATION', V: 'AVOID', X: 'ACTION' };
  const tokens = preprocess(text);
  assert.strictEqual(letters.length, tokens.length, `tag letters for ${tokens.map((t) => t.word).join(' ')}`);
  return decodeMeaning(tokens, [...letters].map((l) => code[l]), h);
}

describe('language/decode', () => {
  it('reads the target from OBJECT, COLOUR and ATTRIBUTE words by their concepts', () => {
    const { meaning } = decode('the big cracked blue gear', 'OAACB');
    assert.deepStrictEqual(meaning.target, { size: 'big', state: 'defective', colour: 'blue', kind: 'gear' });
  });

  it('takes a kind word the tagger left untagged before any reference as the target, but not the carried object after a placing verb', () => {
    assert.deepStrictEqual(decode('the bin on your right', 'OOLLL').meaning.target, { kind: 'bin' });
    assert.deepStrictEqual(decode('the red cogwheel nearest the bin', 'OOORFF').meaning.target, { colour: 'red', kind: 'gear' });
    assert.deepStrictEqual(decode('this one nearest the bin', 'OORFF').meaning.target, {});
    const placed = decode('put the cup left of the bowl', 'XOORRFF', heads({ mistake: 'wrong_relation', relation: 'left_of' })).meaning;
    assert.deepStrictEqual([placed.target, placed.mistake], [{}, 'wrong_relation']);
  });

  it('asks for the one action outside a negation, and never for the one the person forbade', () => {
    assert.strictEqual(decode('never hand it to me , pour into the cup', 'NXXXXOXRFF', heads({ mistake: 'wrong_action', action: 'drop' })).meaning.action, 'pour');
    assert.strictEqual(decode("do n't hand it over", 'NNXXX', heads({ mistake: 'wrong_action', action: 'hand_over' })).meaning.action, null);
    assert.strictEqual(decode('hand it to me', 'XXXX', heads({ mistake: 'wrong_action', action: 'hand_over' })).meaning.action, 'hand_over');
  });

  it('reads "right in front of me" in a place reminder as the place in front of the person; "right" there names no side', () => {
    const { meaning } = decode('right in front of me', 'RLLLL', heads({ mistake: 'wrong_region' }));
    assert.deepStrictEqual([meaning.relation, meaning.locations], [{ type: 'in_front_of', reference: { kind: 'person' }, viewpoint: null }, []]);
  });

  it('reads praise that names nothing wrong as no mistake, whatever the head read into a verb', () => {
    assert.strictEqual(decode('nice , keep it up', 'OOXXX', heads({ mistake: 'wrong_action' })).meaning.mistake, 'none');
    assert.strictEqual(decode('nice , but not the cup', 'OOONVV', heads({ mistake: 'wrong_object' })).meaning.mistake, 'wrong_object');
  });

  it('stops only on a halting word: urgency alone ("oops, perfect, go ahead") is no stop', () => {
    const urgent = { ...heads({ mistake: 'none' }), stop: 0.9 };
    assert.strictEqual(decode('oops , perfect , go ahead', 'OOOOOO', urgent).meaning.stop, false);
    assert.strictEqual(decode('wait , wait', 'OOO', urgent).meaning.stop, true);
  });

  it('takes an ordinal standing outside the location span ("the second crate from my left")', () => {
    assert.strictEqual(decode('the second crate from my left', 'OXBLLL').meaning.ordinal, 2);
  });

  it('gives a location the viewpoint of the possessive in its phrase ("on my left" -> speaker)', () => {
    const { meaning } = decode('the cup on my left', 'OBLLL');
    assert.deepStrictEqual(meaning.locations, [{ term: 'left', viewpoint: 'speaker' }]);
  });

  it('keeps each viewpoint with its own term: "to your left at the back" leaves back unmarked', () => {
    const { meaning } = decode('the cup to your left at the back', 'OBLLLLLL');
    assert.deepStrictEqual(meaning.locations, [{ term: 'left', viewpoint: 'robot' }, { term: 'back', viewpoint: null }]);
  });

  it('reads "in front of you" as the front seen from the robot', () => {
    const { meaning } = decode('the one in front of you', 'OBLLLL');
    assert.deepStrictEqual(meaning.locations, [{ term: 'front', viewpoint: 'robot' }]);
    const tagged = decode('the brown cube in front of you', 'OCBLLLF').meaning;
    assert.deepStrictEqual(tagged.locations, [{ term: 'front', viewpoint: 'robot' }], '"you" tagged as a reference');
    assert.strictEqual(tagged.relation, null);
  });

  it('reads "get me the empty tumbler" as the tumbler, "me" being who receives it; "hand me the cup" still hands over to the person', () => {
    assert.deepStrictEqual(decode('get me the empty tumbler', 'XBOAB').meaning.target, { state: 'empty', kind: 'glass' });
    const handOver = decode('hand me the cup', 'XBOB', heads({ mistake: 'wrong_action', action: 'hand_over' })).meaning;
    assert.strictEqual(handOver.action, 'hand_over');
    assert.strictEqual(handOver.target.kind, 'person');
  });

  it('reads a relation the words name for a thing to take, not "in" as the relation head heard it ("the box BESIDE the black box")', () => {
    const inHead = heads({ relation: 'in' });
    assert.deepStrictEqual(decode('grab the box beside the black box', 'XOBRFFF', inHead).meaning.relation, { type: 'next_to', reference: { colour: 'black', kind: 'bin' }, viewpoint: null });
    assert.strictEqual(decode('you are pouring beside the mug', 'OOORFF', heads({ mistake: 'wrong_region', relation: 'in' })).meaning.relation?.type, 'in', 'a wrong place names its vessel');
  });

  it('takes the ordinal from a LOCATION word: "the second green block from the left"', () => {
    const { meaning } = decode('the second green block from the left', 'OLCBLLL');
    assert.strictEqual(meaning.ordinal, 2);
    assert.deepStrictEqual(meaning.locations, [{ term: 'left', viewpoint: null }]);
  });

  it('splits the references of "between" at "and" and counts "the two blue ones"', () => {
    const between = decode('the block between the red block and the blue one', 'OBRFFFFFFF', heads({ relation: 'between' })).meaning;
    assert.deepStrictEqual(between.relation, { type: 'between', reference: { colour: 'red', kind: 'block' }, reference2: { colour: 'blue' }, viewpoint: null });
    const two = decode('the block between the two blue ones', 'OBRFFFF', heads({ relation: 'between' })).meaning;
    assert.deepStrictEqual(two.relation?.reference, { count: 2, colour: 'blue' });
  });

  it('reads the relation off its words when the head has not seen them: "beside" is next_to', () => {
    const { meaning } = decode('the cup beside the pitcher', 'OBRFF', heads({ relation: 'left_of' }));
    assert.strictEqual(meaning.relation?.type, 'next_to');
    assert.strictEqual(relationFromWords(preprocess('right next to')), 'next_to', '"right" before a preposition is an intensifier');
  });

  it('maps "me" and "you" as references to the person and the robot', () => {
    const { meaning } = decode('the cup closest to me', 'OBRRF', heads({ relation: 'closest_to' }));
    assert.deepStrictEqual(meaning.relation, { type: 'closest_to', reference: { kind: 'person' }, viewpoint: null });
  });

  it('reads the relation viewpoint from RELATION words ("from your side")', () => {
    const { meaning } = decode('left of the bowl from your side', 'RRFFRRR', heads({ relation: 'left_of', mistake: 'wrong_relation' }));
    assert.deepStrictEqual(meaning.relation, { type: 'left_of', reference: { kind: 'bowl' }, viewpoint: 'robot' });
  });

  it('reads AVOID words as the ruled-out description and leaves the target to the other words', () => {
    const { meaning } = decode('not the red one , the blue one', 'NVVVOOCB');
    assert.deepStrictEqual(meaning.avoid, { colour: 'red' });
    assert.deepStrictEqual(meaning.target, { colour: 'blue' });
  });

  it('never turns an unknown word into a kind: it stays unset and is reported as unfilled', () => {
    const decoded = decode('grab the zorblax', 'XOB');
    assert.deepStrictEqual(decoded.meaning.target, {});
    assert.deepStrictEqual(decoded.unfilledSlotWords, ['zorblax']);
  });

  it('keeps the head\'s "in" for a region named by what is wrong with it ("pouring next to the cup")', () => {
    const { meaning } = decode("you 're pouring next to the cup", 'OOORRFF', heads({ mistake: 'wrong_region', relation: 'in' }));
    assert.strictEqual(meaning.relation?.type, 'in');
    assert.deepStrictEqual(meaning.relation?.reference, { kind: 'cup' });
  });

  it('reads "the wrong mug" as what the robot takes, and the thing named after it as the target', () => {
    const named = decode('is that the wrong mug ? it should be the empty beaker', 'OOOOBOOOOOAB', heads({ avoidCurrent: 0.9 })).meaning;
    assert.deepStrictEqual(named.target, { state: 'empty', kind: 'cup' });
    assert.strictEqual(named.avoidCurrent, true);
    assert.deepStrictEqual(decode('is that the wrong mug ? it should be the cup', 'OOOOBOOOOOO').meaning.target, { kind: 'cup' }, 'an untagged kind after it');
    assert.deepStrictEqual(decode("you 're going for the wrong brown teacup , it should be the mug", 'OOOOOOOOOOOOOO').meaning.target, { kind: 'mug' }, 'every word left untagged');
    assert.deepStrictEqual(decode('is that the wrong brown mug ?', 'OOOOOOO').meaning.target, { colour: 'brown', kind: 'mug' }, 'untagged, and alone');
    assert.deepStrictEqual(decode('is that the wrong mug ?', 'OOOOBO').meaning.target, { kind: 'mug' }, 'alone, the one to take is another mug');
    assert.deepStrictEqual(decode('the wrong mug , get me the blue one', 'OOBOOOOCB').meaning.target, { kind: 'mug', colour: 'blue' }, '"me" is no other thing');
    assert.strictEqual(decode('the wrong mug , the blue cup', 'OOBOOCB', heads({ mistake: 'wrong_pose' })).meaning.target.kind, 'mug', 'only a wrong-object reminder');
  });

  it('reads an avoided phrase with nothing ruling it out in its clause as the one wanted ("not X, the Y")', () => {
    const contrast = decode('not the green beaker , the mug', 'NVVVOOV').meaning;
    assert.deepStrictEqual(contrast.target, { kind: 'mug' });
    assert.deepStrictEqual(contrast.avoid, { colour: 'green', kind: 'cup' });
    const both = decode('not the green beaker , not the mug', 'NVVVONVV').meaning;
    assert.deepStrictEqual(both.target, {}, 'both ruled out');
    assert.deepStrictEqual(both.avoid, { colour: 'green', kind: 'cup' });
    assert.deepStrictEqual(decode('not the green beaker the mug', 'NVVVVV').meaning.target, {}, 'no comma: one phrase');
    const unpunctuated = decode('not the green teacup the glass', 'NVVVOV').meaning;
    assert.deepStrictEqual(unpunctuated.target, { kind: 'glass' }, 'as a recogniser writes it: an article after a kind begins another phrase');
    assert.deepStrictEqual(unpunctuated.avoid, { colour: 'green', kind: 'cup' });
    const chosen = decode('wrong beaker ! choose the mug', 'OOOXVV').meaning;
    assert.deepStrictEqual(chosen.target, { kind: 'mug' }, 'nothing rules out the mug in its clause');
    assert.strictEqual(chosen.avoid, null);
    assert.deepStrictEqual(decode('use the cup instead , the mug', 'XOBOOVV').meaning.avoid, null, 'a comma ends the clause of "instead"');
    assert.deepStrictEqual(decode('use the cup instead of the mug', 'XOBOOVV').meaning.avoid, { kind: 'mug' }, '"instead" rules out');
    assert.deepStrictEqual(decode('never the mug', 'NVV').meaning.avoid, { kind: 'mug' });
    const answer = decode('nope the black cube', 'NVVV').meaning;
    assert.deepStrictEqual(answer.target, { colour: 'black', kind: 'block' }, 'a "no" before the thing answers the robot');
    assert.strictEqual(answer.avoid, null);
    assert.deepStrictEqual(decode('no no the mug', 'NNVV').meaning.target, { kind: 'mug' });
    assert.deepStrictEqual(decode('no mugs', 'NV').meaning.avoid, { kind: 'mug' }, 'no article: the thing is ruled out');
    const pronoun = decode('not that the black cube', 'NVVVV').meaning;
    assert.deepStrictEqual(pronoun.target, { colour: 'black', kind: 'block' }, '"that" is a phrase of its own');
    assert.strictEqual(pronoun.avoid, null);
  });

  it('reads a thing tagged as a reference before the relation words as the target when the relation has its own reference', () => {
    const left = decode('not the brown mug , the empty tumbler left of the bottle', 'NVVVOOAFRRFF').meaning;
    assert.deepStrictEqual(left.target, { state: 'empty', kind: 'glass' });
    assert.deepStrictEqual(left.relation?.reference, { kind: 'bottle' });
    assert.deepStrictEqual(left.avoid, { colour: 'brown', kind: 'mug' });
    const between = decode('the cup between the bowl and the plate', 'OBRFFFFF', heads({ mistake: 'wrong_relation' })).meaning;
    assert.deepStrictEqual(between.relation?.reference, { kind: 'bowl' }, 'references after the relation stay');
    assert.deepStrictEqual(decode('the pitcher left of it', 'OFRRO').meaning.relation?.reference, { kind: 'pitcher' }, 'no reference after: kept');
  });

  it('takes "me" or "you" right after a relation as its reference when the tagger left it out', () => {
    assert.deepStrictEqual(decode('the mug nearest me', 'OBRO').meaning.relation?.reference, { kind: 'person' });
    assert.deepStrictEqual(decode('the mug nearest you', 'OBRO').meaning.relation?.reference, { kind: 'robot' });
    assert.deepStrictEqual(decode('the mug nearest the bowl', 'OBRFF').meaning.relation?.reference, { kind: 'bowl' });
    assert.deepStrictEqual(decode('the mug nearest me', 'OBRR').meaning.relation?.reference, { kind: 'person' }, 'tagged as the relation');
    assert.deepStrictEqual(decode('the mug nearest to uh you', 'OBRROO').meaning.relation?.reference, { kind: 'robot' }, 'a filler between');
  });

  it('reads a thing named beside another, with no placing word before it, as the object to take even when the head hears a wrong place', () => {
    const place = heads({ mistake: 'wrong_relation' });
    const gear = decode('the gear to the left of the red bin', 'OBRRRRFFF', place).meaning;
    assert.strictEqual(gear.mistake, 'wrong_object');
    assert.deepStrictEqual(gear.relation, { type: 'left_of', reference: { colour: 'red', kind: 'bin' }, viewpoint: null });
    assert.strictEqual(decode('set the cube left of the red bin', 'XOBRRFFF', place).meaning.mistake, 'wrong_relation', 'the held cube, to be put somewhere');
    assert.strictEqual(decode('move the cube left of the red bin', 'OOBRRFFF', place).meaning.mistake, 'wrong_relation', '"move" places too');
    assert.strictEqual(decode('it should be beside the cup', 'OOORFF', place).meaning.mistake, 'wrong_relation', 'no thing of its own named');
    assert.strictEqual(decode('the cup should be beside the bowl', 'OBOORFF', place).meaning.mistake, 'wrong_relation', 'where the held cup belongs');
    assert.strictEqual(decode('the cup goes beside the bowl', 'OBORFF', place).meaning.mistake, 'wrong_relation', 'where the held cup goes');
  });

  it('reads a wrong grasp with no grasp word but a place by the person as the next likeliest mistake ("the water should go in front of me")', () => {
    const unsure = { ...heads({ mistake: 'wrong_pose' }), mistake: MISTAKE_LABELS.map((l) => (l === 'wrong_pose' ? 0.6 : l === 'wrong_region' ? 0.3 : 0.02)) };
    const water = decode('the water should go in front of me', 'OOOOLLLL', unsure).meaning;
    assert.strictEqual(water.mistake, 'wrong_region');
    assert.deepStrictEqual(water.relation, { type: 'in_front_of', reference: { kind: 'person' }, viewpoint: null });
    assert.strictEqual(decode('hold it by the handle , in front of me', 'XOOOOOLLLL', unsure).meaning.mistake, 'wrong_pose', 'a grasp word keeps it a grasp');
    assert.strictEqual(decode('take it right in the middle', 'XOOLLL', unsure).meaning.mistake, 'wrong_pose', 'no place by a thing or the person');
  });

  it('reads "me" said as the thing meant as the person, not "to me", "hand me" or "get me the mug"', () => {
    for (const [text, letters] of [['i meant me', 'OOO'], ['no no , me', 'NNOO'], ['oh me , that one please', 'OOOOOO'], ['grip me instead', 'XOO']] as const) {
      const { meaning } = decode(text, letters, heads({ mistake: text.startsWith('grip') ? 'wrong_action' : 'none' }));
      assert.strictEqual(meaning.mistake, 'wrong_object', text);
      assert.deepStrictEqual(meaning.target, { kind: 'person' }, text);
    }
    const handOver = heads({ mistake: 'wrong_action', action: 'hand_over' });
    assert.strictEqual(decode('hand it to me', 'XOOO', handOver).meaning.mistake, 'wrong_action');
    assert.strictEqual(decode('hand me that', 'XOO', handOver).meaning.mistake, 'wrong_action');
    assert.deepStrictEqual(decode('get me the red mug', 'XOOCB').meaning.target, { colour: 'red', kind: 'mug' });
    assert.strictEqual(decode('it is right in front of me', 'OOLLLLO', heads({ mistake: 'wrong_relation' })).meaning.mistake, 'wrong_relation');
  });

  it('reads a side followed by "of" and a thing as a relation to it, even when tagged as a location', () => {
    const front = decode('i want it in front of the ewer', 'OOOLLRFF', heads({ mistake: 'wrong_relation' })).meaning;
    assert.deepStrictEqual(front.relation, { type: 'in_front_of', reference: { kind: 'pitcher' }, viewpoint: null });
    assert.deepStrictEqual(front.locations, []);
    const filler = decode('i want it in front uh of the ewer', 'OOOLLOLFF', heads({ mistake: 'wrong_relation' })).meaning;
    assert.deepStrictEqual(filler.relation, { type: 'in_front_of', reference: { kind: 'pitcher' }, viewpoint: null }, 'a filler before "of"');
    assert.deepStrictEqual(filler.target, {});
    const table = decode('the cup on the left of the table', 'OBLLLLFF').meaning;
    assert.strictEqual(table.relation, null, 'a side of the table is a location');
    assert.deepStrictEqual(table.locations, [{ term: 'left', viewpoint: null }]);
  });

  it('reads "you are pouring beside me", a wrong action asking for no action, as a wrong place by the person', () => {
    const beside = decode('you are pouring beside me', 'OOOBF', heads({ mistake: 'wrong_action' })).meaning;
    assert.strictEqual(beside.mistake, 'wrong_region');
    assert.deepStrictEqual(beside.relation, { type: 'next_to', reference: { kind: 'person' }, viewpoint: null });
    assert.strictEqual(decode('hand it over', 'XOO', heads({ mistake: 'wrong_action', action: 'hand_over' })).meaning.mistake, 'wrong_action', 'an action asked for');
    assert.strictEqual(decode('pour it beside the mug', 'XORFF', heads({ mistake: 'wrong_action' })).meaning.mistake, 'wrong_action', 'a place by a thing, not the person');
  });

  it('reads a pour said to miss a vessel as a pour into it, and one said to miss the person as within their reach', () => {
    const action = heads({ mistake: 'wrong_action' });
    const outside = decode('you are pouring outside the beaker', 'OOOOOB', action).meaning;
    assert.strictEqual(outside.mistake, 'wrong_region');
    assert.deepStrictEqual(outside.relation, { type: 'in', reference: { kind: 'cup' }, viewpoint: null });
    assert.deepStrictEqual(outside.target, {}, 'the vessel is the place, not a thing to take');
    const behind = decode('you will um pour behind me', 'OOOORF', heads({ mistake: 'wrong_relation' })).meaning;
    assert.strictEqual(behind.mistake, 'wrong_region');
    assert.deepStrictEqual(behind.relation, { type: 'next_to', reference: { kind: 'person' }, viewpoint: null });
    assert.deepStrictEqual(decode('hey you are about to pour beside me !', 'OOOOOOBBO', action).meaning.relation, { type: 'next_to', reference: { kind: 'person' }, viewpoint: null });
    const asked = decode('i want you to pour behind the mug', 'OOOOXRFF', heads({ mistake: 'wrong_relation' })).meaning;
    assert.deepStrictEqual([asked.mistake, asked.relation?.type], ['wrong_relation', 'behind'], 'a place asked for');
    const should = decode('you should pour behind the mug', 'OOXRFF', heads({ mistake: 'wrong_relation' })).meaning;
    assert.deepStrictEqual([should.mistake, should.relation?.type], ['wrong_relation', 'behind'], 'a place asked for');
  });

  it('keeps no relation the head heard with nothing named to relate to, and reads a kind-less reference before the kind as the target', () => {
    const right = heads({ relation: 'right_of' });
    const blue = decode('can you reach for the blue cup ?', 'OOOOOCBO', right).meaning;
    assert.deepStrictEqual([blue.target, blue.relation], [{ colour: 'blue', kind: 'cup' }, null]);
    const crimson = decode('could you reach for the crimson beaker ?', 'OOROOFBO', right).meaning;
    assert.deepStrictEqual([crimson.target, crimson.relation], [{ colour: 'red', kind: 'cup' }, null]);
    const left = decode('the cup left of the red mug', 'OBRRFFF', heads({ relation: 'left_of' })).meaning;
    assert.deepStrictEqual(left.relation, { type: 'left_of', reference: { colour: 'red', kind: 'mug' }, viewpoint: null }, 'a reference with its kind');
    const one = decode('the cup left of the red one', 'OBRRFFF', heads({ relation: 'left_of' })).meaning;
    assert.deepStrictEqual([one.target, one.relation?.reference], [{ kind: 'cup' }, { colour: 'red' }], 'a kind-less reference after its relation');
    assert.deepStrictEqual(decode('pour it in', 'XOR', heads({ mistake: 'wrong_region', relation: 'in' })).meaning.relation?.type, 'in', 'a vessel still to be found');
  });

  it('reads a thing tagged as a reference, with no relation heard, as the target', () => {
    assert.deepStrictEqual(decode('no no , can you go for the tumbler ?', 'NNOOOOOOFO').meaning.target, { kind: 'glass' });
    const left = decode('the cup left of the tumbler', 'OBRRFF').meaning;
    assert.deepStrictEqual([left.target, left.relation?.reference], [{ kind: 'cup' }, { kind: 'glass' }], 'a relation word');
    const into = decode('pour it in the tumbler', 'XOOOF', heads({ mistake: 'wrong_region', relation: 'in' })).meaning;
    assert.deepStrictEqual([into.target, into.relation?.type], [{}, 'in'], 'a relation the head heard');
  });

  it('reads a thing named without approval as a wrong object, whatever the mistake head says', () => {
    const none = heads({ mistake: 'none' });
    assert.strictEqual(decode('the mug', 'OB', none).meaning.mistake, 'wrong_object');
    assert.strictEqual(decode('i meant the beaker , please', 'OOOBOO', none).meaning.mistake, 'wrong_object');
    assert.strictEqual(decode('good , the blue cup', 'OOOCB', none).meaning.mistake, 'none', 'opens with approval');
    assert.strictEqual(decode('yes , the blue cup', 'OOOCB', none).meaning.mistake, 'none', 'an approving word');
    assert.strictEqual(decode('that is fine', 'OOO', none).meaning.mistake, 'none', 'no thing named');
  });

  it('reads praise said in a phrase as approval, whatever the heads say, but not praise with a mistake in it', () => {
    const action = heads({ mistake: 'wrong_action' });
    assert.strictEqual(decode('whoa whoa , okay so well done , just like that !', 'OOOOOOXOOOOO', action).meaning.mistake, 'none');
    assert.strictEqual(decode('good job', 'OO', action).meaning.mistake, 'none');
    assert.strictEqual(decode('keep going', 'XO', action).meaning.mistake, 'none');
    assert.strictEqual(decode('well done , but the wrong cup', 'OOOOOOB').meaning.mistake, 'wrong_object', '"wrong" is no praise');
    assert.strictEqual(decode('well done , now pour it', 'OOOOXO', heads({ mistake: 'wrong_action', action: 'pour' })).meaning.mistake, 'wrong_action', 'an action asked for');
    assert.strictEqual(decode('not like that', 'NOO', action).meaning.mistake, 'wrong_action', '"like that" alone is no praise');
  });

  it('lets only a wrong-object reminder rule out the current object', () => {
    assert.strictEqual(decode('wrong hold', 'OX', heads({ mistake: 'wrong_pose', avoidCurrent: 0.9 })).meaning.avoidCurrent, false);
    assert.strictEqual(decode('not that one', 'NOO', heads({ mistake: 'wrong_object', avoidCurrent: 0.9 })).meaning.avoidCurrent, true);
  });
});
