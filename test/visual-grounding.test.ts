import * as assert from 'assert';
import { EMPTY_MEANING, type Meaning } from '../semantics/meaning';
import { viewersFor } from '../semantics/spatial';
import { attendedDescription, groundingFeatures, GROUNDING_FEATURES, descriptionFit } from '../models/visual/grounding-features';
import { PIXEL_COLOURS, PIXEL_KINDS } from '../models/visual/labels';
import type { PerceivedInstance, TableCamera } from '../models/visual/instances';
import { seenAt, thing, topDownCamera } from './support/perceived-fixtures';
import { heldInstances, namesAnotherOfWhatIsHeld, placeReferences, withoutUnmeant } from '../models/visual/attention-stage';
import { TASK_PRIOR, unseenTaskPoint, withTaskPrior, withVesselPrior } from '../models/visual/task-priors';
import { estimatePlace, fitPlaceDistances, INITIAL_PLACE_DISTANCES, kindPlaceKey, meansPlace, placeDirection, placeKey, pourIntoMeaning, receptacleMeaning } from '../models/visual/place-head';

const viewers = viewersFor({ x: 0.65, y: 0 }, { x: -0.55, y: 0 });

/** The instance the features favour when every feature counts once (the scorer's starting point). */
function pick(meaning: Meaning, instances: PerceivedInstance[], currentTarget: { x: number; y: number } | null = null): number {
  const rows = groundingFeatures(meaning, instances, viewers, { currentTarget, holding: false, pouring: false, hand: null, task: null });
  const scores = rows.map((row) => row.reduce((a, b) => a + b, 0));
  return scores.indexOf(Math.max(...scores));
}

const meaning = (fields: Partial<Meaning>): Meaning => ({ ...EMPTY_MEANING, mistake: 'wrong_object', ...fields });

describe('grounding features', () => {
  const cups = [thing(0, 'cup', 'blue', 0.1, 0.3), thing(1, 'cup', 'blue', 0.1, -0.3), thing(2, 'cup', 'red', 0.0, 0.0), thing(3, 'pitcher', 'white', -0.1, 0.1, 'full', 0.14)];

  it('names every feature once, one value per feature for every instance', () => {
    const rows = groundingFeatures(meaning({ target: { kind: 'cup' } }), cups, viewers, { currentTarget: null, holding: false, pouring: false, hand: null, task: null });
    assert.strictEqual(rows.length, cups.length);
    for (const row of rows) assert.strictEqual(row.length, GROUNDING_FEATURES.length);
    assert.strictEqual(new Set(GROUNDING_FEATURES).size, GROUNDING_FEATURES.length);
  });

  it('finds "the blue cup on your left" on the robot\'s left (+y), not the speaker\'s', () => {
    assert.strictEqual(pick(meaning({ target: { kind: 'cup', colour: 'blue' }, locations: [{ term: 'left', viewpoint: 'robot' }] }), cups), 0);
    assert.strictEqual(pick(meaning({ target: { kind: 'cup', colour: 'blue' }, locations: [{ term: 'left', viewpoint: 'speaker' }] }), cups), 1);
  });

  it('reads an unmarked "on the left" in the speaker\'s view', () => {
    assert.strictEqual(pick(meaning({ target: { kind: 'cup', colour: 'blue' }, locations: [{ term: 'left', viewpoint: null }] }), cups), 1);
  });

  it('lets only a fair rival push a candidate out of "the mug on my right": not a bowl or a speck that barely fits', () => {
    const mugs = [thing(0, 'mug', 'red', 0.0, 0.0), thing(1, 'mug', 'yellow', 0.0, -0.4)];
    const mostlyBowl = { ...thing(2, 'bowl', 'pink', -0.1, 0.2), kindProbs: Float32Array.from(PIXEL_KINDS, (k) => (k === 'bowl' ? 0.9 : k === 'mug' ? 0.1 : 0)) };
    const mugOnMyRight = meaning({ target: { kind: 'mug' }, locations: [{ term: 'right', viewpoint: 'speaker' }] });
    const rank = (instances: PerceivedInstance[]) => groundingFeatures(mugOnMyRight, instances, viewers, { currentTarget: null, holding: false, pouring: false, hand: null, task: null })
      .map((row) => row[GROUNDING_FEATURES.indexOf('location1_argmax')]);
    assert.ok(rank([...mugs, mostlyBowl])[0] > -0.1, 'the red mug is the rightmost mug');
    const halfMug = { ...mostlyBowl, kindProbs: Float32Array.from(PIXEL_KINDS, (k) => (k === 'bowl' || k === 'mug' ? 0.5 : 0)) };
    assert.ok(rank([...mugs, halfMug])[0] < -1, 'one that may well be a mug further right is a rival');
  });

  it('rules out what the person negates: "not the blue one"', () => {
    assert.strictEqual(pick(meaning({ target: { kind: 'cup' }, avoid: { colour: 'blue' } }), cups), 2);
  });

  it('rules out what the robot is taking when the person says "not that one"', () => {
    const choice = pick(meaning({ target: { kind: 'cup', colour: 'blue' }, avoidCurrent: true }), cups, { x: 0.1, y: 0.3 });
    assert.strictEqual(choice, 1);
  });

  it('looks past what the robot aims at when the object is wrong, pieces of it included, but not past its neighbour', () => {
    // The green cup the robot pours into, seen as two mug-like pieces; the mug meant stands 30 cm away.
    const scene = [thing(0, 'mug', 'green', 0.25, -0.25, 'empty', 0.045), thing(1, 'mug', 'green', 0.18, -0.25, 'empty', 0.045), thing(2, 'mug', 'green', 0.17, 0.06, 'empty', 0.085)];
    const aimedAt = { x: 0.206, y: -0.238 };
    assert.strictEqual(pick(meaning({ target: { kind: 'mug' } }), scene, aimedAt), 2);
    const column = GROUNDING_FEATURES.indexOf('not_current_object_mistake');
    const beside = [thing(0, 'cup', 'red', 0, 0), thing(1, 'cup', 'red', 0, 0.15)];
    const rows = groundingFeatures(meaning({ target: { kind: 'cup' } }), beside, viewers, { currentTarget: { x: 0, y: 0 }, holding: false, pouring: false, hand: null, task: null });
    assert.ok(rows[0][column] < -3, 'the aimed-at cup is ruled out');
    assert.ok(rows[1][column] > -0.05, `its neighbour is not (${rows[1][column]})`);
    const other = groundingFeatures(meaning({ target: { kind: 'cup' }, mistake: 'wrong_pose' }), beside, viewers, { currentTarget: { x: 0, y: 0 }, holding: false, pouring: false, hand: null, task: null });
    assert.strictEqual(other[0][column], 0, 'a wrong grasp is about the object aimed at');
    // Holding the pitcher, the robot aims 7 cm off the cup it pours into: that cup is the wrong one.
    const pour = { currentTarget: { x: 0.07, y: 0 }, holding: true, pouring: true, hand: { x: 0.05, y: 0, z: 0.25 }, task: { x: 0, y: 0 } };
    assert.ok(groundingFeatures(meaning({ target: { kind: 'cup' } }), beside, viewers, pour)[0][column] < -3, 'the cup poured into is ruled out');
    const carried = groundingFeatures(meaning({ target: { kind: 'cup' } }), beside, viewers, { ...pour, pouring: false });
    assert.ok(carried[0][column] > -1, 'a task object it does not pour into is no aim');
  });

  it('finds the cup closest to the speaker', () => {
    const spread = [thing(0, 'cup', 'green', 0.3, 0.0), thing(1, 'cup', 'green', -0.2, 0.1), thing(2, 'cup', 'green', 0.0, -0.2)];
    assert.strictEqual(pick(meaning({ target: { kind: 'cup' }, relation: { type: 'closest_to', reference: { kind: 'person' }, viewpoint: null } }), spread), 0);
    assert.strictEqual(pick(meaning({ target: { kind: 'cup' }, relation: { type: 'closest_to', reference: { kind: 'robot' }, viewpoint: null } }), spread), 1);
  });

  it('does not take the thing related to for the one nearest it: "the bin nearest the purple bin"', () => {
    const faintlyPurple = { ...thing(1, 'bin', 'grey', 0.2, 0.0), colourProbs: Float32Array.from(PIXEL_COLOURS, (c) => (c === 'grey' ? 0.9 : c === 'purple' ? 0.1 : 0)) };
    const bins = [thing(0, 'bin', 'purple', 0.0, 0.0), faintlyPurple, thing(2, 'bin', 'grey', -0.3, 0.0)];
    const nearestThePurpleBin = meaning({ target: { kind: 'bin' }, relation: { type: 'closest_to', reference: { kind: 'bin', colour: 'purple' }, viewpoint: null } });
    const superlative = groundingFeatures(nearestThePurpleBin, bins, viewers, { currentTarget: null, holding: false, pouring: false, hand: null, task: null })
      .map((row) => row[GROUNDING_FEATURES.indexOf('superlative_argmax')]);
    assert.ok(superlative[1] > superlative[0] + 1, `the grey bin beside it ${superlative[1]}, the purple bin itself ${superlative[0]}`);
    assert.ok(superlative[1] > superlative[2] + 1, 'the grey bin further away is not nearest');
    assert.strictEqual(pick(nearestThePurpleBin, bins), 1);
  });

  it('finds the cup to the left of the pitcher, in the speaker\'s view', () => {
    const scene = [thing(0, 'cup', 'red', 0.0, -0.25), thing(1, 'cup', 'red', 0.0, 0.35), thing(2, 'pitcher', 'white', 0.0, 0.1, 'full', 0.14)];
    assert.strictEqual(pick(meaning({ target: { kind: 'cup' }, relation: { type: 'left_of', reference: { kind: 'pitcher' }, viewpoint: null } }), scene), 0);
    assert.strictEqual(pick(meaning({ target: { kind: 'cup' }, relation: { type: 'right_of', reference: { kind: 'pitcher' }, viewpoint: null } }), scene), 1);
  });

  it('finds the second block from the left', () => {
    const row = [0.3, 0.1, -0.1, -0.3].map((y, i) => thing(i, 'block', 'yellow', 0, y, 'none', 0.05));
    assert.strictEqual(pick(meaning({ target: { kind: 'block' }, locations: [{ term: 'left', viewpoint: null }], ordinal: 2 }), row), 2);
  });

  it('finds the cracked gear among good ones by its state', () => {
    const gears = [thing(0, 'gear', 'grey', 0, 0.2, 'good'), thing(1, 'gear', 'grey', 0, 0.0, 'defective'), thing(2, 'gear', 'grey', 0, -0.2, 'good')];
    assert.strictEqual(pick(meaning({ target: { kind: 'gear', state: 'defective' } }), gears), 1);
  });

  it('lets a mug plainly seen answer to "cup" only a little: no rival of the cups in "the beaker furthest to the left"', () => {
    const mugAsCup = descriptionFit(thing(0, 'mug', 'blue', 0, 0), { kind: 'cup' });
    assert.ok(mugAsCup > 0 && mugAsCup < descriptionFit(thing(0, 'cup', 'blue', 0, 0), { kind: 'cup' }));
    const table = [thing(0, 'cup', 'white', -0.18, -0.06), thing(1, 'cup', 'white', -0.02, 0.12), thing(2, 'mug', 'brown', 0.17, -0.42)];
    const leftmostBeaker = meaning({ target: { kind: 'cup' }, locations: [{ term: 'left', viewpoint: null }] });
    const rank = groundingFeatures(leftmostBeaker, table, viewers, { currentTarget: null, holding: false, pouring: false, hand: null, task: null })
      .map((row) => row[GROUNDING_FEATURES.indexOf('location1_argmax')]);
    assert.ok(rank[0] > -0.1, `the white cup is the leftmost beaker (${rank[0]})`);
  });
});

describe('place head', () => {
  const pitcher = thing(0, 'pitcher', 'red', 0.0, 0.1, 'full', 0.14);

  it('means a place for "put it in front of the pitcher" but an object for "the bin left of the red one"', () => {
    const putInFront = meaning({ mistake: 'wrong_relation', relation: { type: 'in_front_of', reference: { kind: 'pitcher' }, viewpoint: null } });
    const holding = { holding: true, pouring: false };
    assert.ok(meansPlace(putInFront, holding));
    assert.ok(!meansPlace(putInFront, { holding: false, pouring: false }), 'a robot that holds nothing has nothing to put down');
    assert.ok(!meansPlace(meaning({ mistake: 'wrong_relation', target: { kind: 'bin' }, relation: { type: 'left_of', reference: { kind: 'bin', colour: 'red' }, viewpoint: null } }), holding));
    assert.ok(!meansPlace(meaning({ mistake: 'wrong_object', relation: { type: 'left_of', reference: { kind: 'pitcher' }, viewpoint: null } }), holding));
  });

  it('reads a place said while the robot is about to pour as the vessel to pour into', () => {
    const leftOfBeaker = meaning({ mistake: 'wrong_relation', target: { kind: 'cup' }, relation: { type: 'left_of', reference: { kind: 'cup', colour: 'grey' }, viewpoint: null } });
    const pouring = { holding: true, pouring: true };
    assert.ok(!meansPlace(leftOfBeaker, pouring), 'water goes into a vessel, not onto a spot');
    assert.strictEqual(pourIntoMeaning(leftOfBeaker, pouring)?.mistake, 'wrong_object');
    assert.deepStrictEqual(pourIntoMeaning(leftOfBeaker, pouring)?.relation, leftOfBeaker.relation);
    assert.strictEqual(pourIntoMeaning(leftOfBeaker, { holding: true, pouring: false }), null, 'placing what it holds is a place');
    assert.strictEqual(pourIntoMeaning(meaning({ mistake: 'wrong_region', relation: { type: 'in', reference: { kind: 'mug' }, viewpoint: null } }), pouring), null, '"in the mug" names the mug itself');
  });

  it('reads "put it left of the orange bin" as the bin on that side, and leaves other places alone', () => {
    const leftOfBin = meaning({ mistake: 'wrong_relation', relation: { type: 'left_of', reference: { kind: 'bin', colour: 'orange' }, viewpoint: 'speaker' } });
    const into = receptacleMeaning(leftOfBin);
    assert.ok(into !== null);
    assert.equal(into.target.kind, 'bin');
    assert.deepStrictEqual(into.relation, leftOfBin.relation);
    assert.equal(receptacleMeaning(meaning({ mistake: 'wrong_relation', relation: { type: 'left_of', reference: { kind: 'pitcher' }, viewpoint: null } })), null);
    const gearLeftOfBin = receptacleMeaning(meaning({ mistake: 'wrong_relation', target: { kind: 'gear', state: 'defective' }, relation: { type: 'left_of', reference: { kind: 'bin' }, viewpoint: null } }));
    assert.deepStrictEqual(gearLeftOfBin?.target, { kind: 'bin' }, 'the defective gear is what is held, not where it goes');
  });

  it('puts "in front of the pitcher" between the pitcher and the person, and "in front of me" ahead of the person', () => {
    const front = placeDirection('in_front_of', pitcher.position, meaning({ mistake: 'wrong_relation', relation: { type: 'in_front_of', reference: { kind: 'pitcher' }, viewpoint: null } }), viewers);
    assert.ok(front.x > 0.9);
    const place = estimatePlace(meaning({ mistake: 'wrong_region', relation: { type: 'in_front_of', reference: { kind: 'person' }, viewpoint: null } }), [pitcher], viewers, INITIAL_PLACE_DISTANCES);
    assert.ok(place !== null && place.point.x < 0.65 && place.point.x > 0);
  });

  it('reads a wrong place that picks another one of what the robot holds as which one to take', () => {
    const camera = topDownCamera;
    const hand = { x: 0.07, y: 0.16, z: 0.2 };
    const heldGear = seenAt(thing(0, 'gear', 'grey', 0.07, 0.16));
    const otherGear = seenAt(thing(1, 'gear', 'grey', 0.2, -0.1));
    const gearOnTheRight = meaning({ mistake: 'wrong_region', target: { kind: 'gear' }, locations: [{ term: 'right', viewpoint: 'speaker' }] });
    const carrying = { camera, robot: { currentTarget: null, holding: true, pouring: false, hand, task: null } };
    const picked = { place: false, attended: 1 };
    assert.equal(namesAnotherOfWhatIsHeld(gearOnTheRight, picked, [heldGear, otherGear], carrying), true);
    assert.equal(namesAnotherOfWhatIsHeld(gearOnTheRight, { place: true, attended: -1 }, [heldGear, otherGear], carrying), false, 'a place');
    assert.equal(namesAnotherOfWhatIsHeld(gearOnTheRight, picked, [{ ...heldGear, kind: 'cup' }, otherGear], carrying), false, 'it holds no gear');
    assert.equal(namesAnotherOfWhatIsHeld(gearOnTheRight, picked, [heldGear, otherGear], { camera, robot: { ...carrying.robot, pouring: true } }), false, 'a vessel to pour into');
    assert.equal(namesAnotherOfWhatIsHeld({ ...gearOnTheRight, mistake: 'wrong_object' }, picked, [heldGear, otherGear], carrying), false);
    assert.equal(namesAnotherOfWhatIsHeld(gearOnTheRight, picked, [heldGear, otherGear], { camera, robot: { ...carrying.robot, holding: false, hand: null } }), false, 'it holds nothing');
  });

  it('places from the largest of the references that fit equally: a bottle seen as body and cap', () => {
    const frontOfBottle = meaning({ mistake: 'wrong_relation', relation: { type: 'in_front_of', reference: { kind: 'bottle', colour: 'red' }, viewpoint: null } });
    const cap = { ...thing(0, 'bottle', 'red', 0.2, -0.07), cells: new Int32Array(4) };
    const body = { ...thing(1, 'bottle', 'red', 0.09, -0.1), cells: new Int32Array(12) };
    const otherColour = { ...thing(2, 'bottle', 'white', 0.07, 0.04), cells: new Int32Array(30) };
    assert.equal(estimatePlace(frontOfBottle, [cap, body, otherColour], viewers, INITIAL_PLACE_DISTANCES)?.reference.instance, 1);
    assert.equal(estimatePlace(frontOfBottle, [{ ...body, index: 0, kindProbs: Float32Array.from(body.kindProbs, (p) => p * 0.5) }, { ...cap, index: 1 }], viewers, INITIAL_PLACE_DISTANCES)?.reference.instance, 1, 'a clearly better fit wins whatever its size');
  });

  it('places from where the pieces of a reference stand together: a pitcher seen past the arm in three regions', () => {
    const frontOfPitcher = meaning({ mistake: 'wrong_relation', relation: { type: 'in_front_of', reference: { kind: 'pitcher', colour: 'white' }, viewpoint: null } });
    const partly = (p: number) => Float32Array.from(PIXEL_KINDS, (k) => (k === 'pitcher' ? p : k === 'mug' ? 1 - p : 0));
    const front = { ...thing(0, 'pitcher', 'white', 0.17, 0.15), cells: new Int32Array(10) };
    const middle = { ...thing(1, 'pitcher', 'white', 0.11, 0.15), cells: new Int32Array(20), kindProbs: partly(0.5) };
    const back = { ...thing(2, 'pitcher', 'white', 0.05, 0.15), cells: new Int32Array(20), kindProbs: partly(0.5), extent: 0.1 };
    const otherColour = { ...thing(3, 'pitcher', 'black', 0.15, 0.1), cells: new Int32Array(40) };
    const farPitcher = { ...thing(4, 'pitcher', 'white', 0.1, -0.3), cells: new Int32Array(10), kindProbs: partly(0.6) };
    const place = estimatePlace(frontOfPitcher, [front, middle, back, otherColour, farPitcher], viewers, INITIAL_PLACE_DISTANCES);
    assert.ok(place !== null);
    assert.strictEqual(place.reference.instance, 0, 'the best fit names it');
    // Weights 1x10, 0.5x20, 0.5x20: the middle of the three, not the best-fitting front piece.
    assert.ok(Math.abs(place.reference.position.x - 0.11) < 1e-6 && Math.abs(place.reference.position.y - 0.15) < 1e-6, JSON.stringify(place.reference.position));
    assert.strictEqual(place.reference.extent, 0.1, 'as large as its largest piece');
    const alone = estimatePlace(frontOfPitcher, [front, otherColour, farPitcher], viewers, INITIAL_PLACE_DISTANCES);
    assert.deepStrictEqual(alone?.reference.position, front.position, 'another colour or another pitcher further off is no piece of it');
  });

  it('gives what the robot pours from, seen around its gripper, no share of a wrong cup, but keeps it for a wrong grasp', () => {
    const camera = topDownCamera;
    const mug = seenAt(thing(0, 'mug', 'white', 0.1, 0.1, 'empty'));
    const pitcherOverMug = seenAt(thing(1, 'pitcher', 'white', 0.08, 0.14, 'full'));
    const pitcherPiece = seenAt(thing(2, 'mug', 'white', 0.06, 0.19));
    const instances = [mug, pitcherOverMug, pitcherPiece];
    const hand = { x: 0.07, y: 0.16, z: 0.2 };
    assert.deepStrictEqual([...heldInstances(instances, camera, hand)].sort(), [1, 2]);
    assert.deepStrictEqual([...heldInstances(instances, camera, null)], [], 'a robot holding nothing holds no region');
    const pouring = { camera, viewers, robot: { currentTarget: { x: 0.1, y: 0.1 }, holding: true, pouring: true, hand, task: null } };
    const intoTheMug = meaning({ mistake: 'wrong_region', relation: { type: 'in', reference: { kind: 'mug' }, viewpoint: null } });
    const shares = withoutUnmeant(Float32Array.from([0.3, 0.5, 0.2]), instances, intoTheMug, pouring);
    assert.deepStrictEqual([...shares], [1, 0, 0]);
    const thePitcher = withoutUnmeant(Float32Array.from([0.3, 0.5, 0.2]), instances, meaning({ target: { kind: 'pitcher' } }), pouring);
    assert.deepStrictEqual([...thePitcher].map((s) => +s.toFixed(2)), [0.3, 0.5, 0.2], 'words that name something to pour from keep it');
    const wrongGrasp = withoutUnmeant(Float32Array.from([0.3, 0.5, 0.2]), instances, meaning({ mistake: 'wrong_pose' }), pouring);
    assert.deepStrictEqual([...wrongGrasp].map((s) => +s.toFixed(2)), [0.3, 0.5, 0.2]);
    const carrying = { ...pouring, robot: { ...pouring.robot, pouring: false } };
    const besideTheMug = meaning({ mistake: 'wrong_region', relation: { type: 'next_to', reference: { kind: 'mug' }, viewpoint: null } });
    const placing = withoutUnmeant(Float32Array.from([0.3, 0.5, 0.2]), instances, besideTheMug, carrying);
    assert.deepStrictEqual([...placing].map((s) => +s.toFixed(2)), [0.3, 0.5, 0.2], 'what is carried to be put down is left to the words');
    const pourInstead = meaning({ mistake: 'wrong_action', action: 'pour', relation: { type: 'in', reference: { kind: 'mug' }, viewpoint: null } });
    assert.deepStrictEqual([...withoutUnmeant(Float32Array.from([0.3, 0.5, 0.2]), instances, pourInstead, carrying)], [1, 0, 0], 'nothing is put into what holds it');
  });

  it('never measures a place from what the robot carries', () => {
    const camera = topDownCamera;
    // The ewer on the table looks like a mug; the glass in the gripper, half hidden, like a pitcher.
    const ewer = seenAt({ ...thing(0, 'mug', 'brown', 0.05, -0.07), kindProbs: Float32Array.from(PIXEL_KINDS, (k) => (k === 'mug' ? 0.6 : k === 'pitcher' ? 0.4 : 0)) });
    const carried = seenAt(thing(1, 'pitcher', 'brown', -0.1, -0.06));
    const robot = { currentTarget: null, holding: true, pouring: false, hand: { x: -0.1, y: -0.06, z: 0.1 }, task: null };
    const inFrontOfTheEwer = meaning({ mistake: 'wrong_relation', relation: { type: 'in_front_of', reference: { kind: 'pitcher' }, viewpoint: null } });
    const fromAll = estimatePlace(inFrontOfTheEwer, [ewer, carried], viewers, INITIAL_PLACE_DISTANCES);
    assert.strictEqual(fromAll?.reference.instance, 1, 'the carried glass fits "ewer" best');
    const references = placeReferences([ewer, carried], { camera, robot });
    assert.deepStrictEqual(references.map((r) => r.index), [0]);
    assert.strictEqual(estimatePlace(inFrontOfTheEwer, references, viewers, INITIAL_PLACE_DISTANCES)?.reference.instance, 0);
    assert.strictEqual(placeReferences([ewer, carried], { camera, robot: { ...robot, holding: false, hand: null } }).length, 2, 'empty-handed, everything counts');
  });

  it('never takes the person for a wrong object unless the words name them', () => {
    const camera: TableCamera = { width: 160, height: 120, project: () => null, unprojectToTable: (u, v, height) => ({ x: 0, y: 0, z: height }) };
    const context = { camera, viewers, robot: { currentTarget: null, holding: false, pouring: false, hand: null, task: null } };
    const people = [thing(0, 'cup', 'pink', 0.1, 0.1, 'empty'), thing(1, 'person', 'white', 0.8, 0)];
    const neverTheTeacup = meaning({ avoid: { kind: 'cup' } });
    assert.deepStrictEqual([...withoutUnmeant(Float32Array.from([0.2, 0.8]), people, neverTheTeacup, context)], [1, 0]);
    const bringItToMe = meaning({ target: { kind: 'person' } });
    assert.deepStrictEqual([...withoutUnmeant(Float32Array.from([0.2, 0.8]), people, bringItToMe, context)].map((s) => +s.toFixed(2)), [0.2, 0.8]);
    const handItOver = meaning({ mistake: 'wrong_action', action: 'hand_over' });
    assert.deepStrictEqual([...withoutUnmeant(Float32Array.from([0.2, 0.8]), people, handItOver, context)].map((s) => +s.toFixed(2)), [0.2, 0.8], 'a wrong action may be about the person');
  });

  it('settles words that fit two objects alike on the one the task is for, unless the object is what is wrong', () => {
    const mugs = [thing(0, 'mug', 'yellow', 0.1, 0.1, 'empty'), thing(1, 'mug', 'yellow', 0.1, -0.2, 'empty')];
    const robot = { currentTarget: { x: 0.5, y: 0 }, holding: true, pouring: false, hand: null, task: { x: 0.12, y: -0.19 } };
    const pourIntoTheMug = meaning({ mistake: 'wrong_action', action: 'pour', target: { kind: 'mug' } });
    const tied = withTaskPrior(Float32Array.from([0.5, 0.5]), mugs, pourIntoTheMug, robot);
    assert.deepStrictEqual([...tied].map((s) => +s.toFixed(3)), [+(1 / (1 + TASK_PRIOR)).toFixed(3), +(TASK_PRIOR / (1 + TASK_PRIOR)).toFixed(3)]);
    const picked = withTaskPrior(Float32Array.from([0.95, 0.05]), mugs, pourIntoTheMug, robot);
    assert.ok(picked[0] > picked[1], 'words that pick the other mug still win');
    const wrongMug = meaning({ mistake: 'wrong_object', target: { kind: 'mug' } });
    assert.deepStrictEqual([...withTaskPrior(Float32Array.from([0.5, 0.5]), mugs, wrongMug, robot)], [0.5, 0.5], 'the task object may be the wrong one');
    const faraway = { ...robot, task: { x: -0.3, y: 0.3 } };
    assert.deepStrictEqual([...withTaskPrior(Float32Array.from([0.5, 0.5]), mugs, pourIntoTheMug, faraway)], [0.5, 0.5], 'nothing seen where the task object is');
    assert.deepStrictEqual([...withTaskPrior(Float32Array.from([0.5, 0.5]), mugs, pourIntoTheMug, { ...robot, task: null })], [0.5, 0.5]);
    const pickUpTheMug = meaning({ mistake: 'wrong_action', action: 'grasp', target: { kind: 'mug' } });
    assert.deepStrictEqual([...withTaskPrior(Float32Array.from([0.5, 0.5]), mugs, pickUpTheMug, robot)], [0.5, 0.5], 'what to take is what the words say');
  });

  it('points at where the task object stands when nothing seen is there and nothing seen fits the words well', () => {
    const seen = [thing(0, 'bowl', 'white', 0.1, -0.2, 'empty'), thing(1, 'pitcher', 'grey', 0.15, -0.42, 'empty')];
    const robot = { currentTarget: { x: 0.5, y: 0 }, holding: true, pouring: false, hand: null, task: { x: 0.24, y: -0.43 } };
    const pourIntoTheBeaker = meaning({ mistake: 'wrong_action', action: 'pour', target: { kind: 'cup' } });
    const picked = Float32Array.from([0.8, 0.2]);
    assert.deepStrictEqual(unseenTaskPoint(picked, seen, pourIntoTheBeaker, robot), { x: 0.24, y: -0.43 }, 'the shares on what fits poorly');
    const cupSeen = [...seen, thing(2, 'cup', 'white', -0.2, 0.3, 'empty')];
    assert.strictEqual(unseenTaskPoint(Float32Array.from([0.1, 0.1, 0.8]), cupSeen, pourIntoTheBeaker, robot), null, 'words that fit what is seen, and pick it');
    assert.deepStrictEqual(unseenTaskPoint(Float32Array.from([0.3, 0.3, 0.4]), cupSeen, pourIntoTheBeaker, robot), { x: 0.24, y: -0.43 }, 'that fit, but pick nothing');
    assert.strictEqual(unseenTaskPoint(picked, [...seen, thing(2, 'cup', 'white', 0.23, -0.42, 'empty')], pourIntoTheBeaker, robot), null, 'the task object seen');
    assert.strictEqual(unseenTaskPoint(picked, seen, meaning({ target: { kind: 'cup' } }), robot), null, 'the object itself is wrong');
    assert.strictEqual(unseenTaskPoint(picked, seen, pourIntoTheBeaker, { ...robot, task: null }), null);
  });

  it('takes a wrong object said without a kind to mean another to drink from while the robot pours, else another of the kind ruled out', () => {
    const table = [thing(0, 'bowl', 'pink', 0.1, 0.1, 'empty'), thing(1, 'glass', 'grey', 0.1, -0.2, 'empty'), thing(2, 'plate', 'green', -0.1, 0.2)];
    const pouring = { currentTarget: { x: 0.3, y: 0 }, holding: true, pouring: true, hand: { x: 0.3, y: 0, z: 0.2 }, task: { x: 0.35, y: 0 } };
    const neverTheTumbler = meaning({ avoid: { kind: 'glass' } });
    assert.deepStrictEqual([...withVesselPrior(Float32Array.from([0.5, 0.2, 0.3]), table, neverTheTumbler, pouring)], [0, 1, 0]);
    const theBowl = meaning({ target: { kind: 'bowl' } });
    assert.deepStrictEqual([...withVesselPrior(Float32Array.from([0.5, 0.2, 0.3]), table, theBowl, pouring)].map((s) => +s.toFixed(2)), [0.5, 0.2, 0.3], 'a kind named');
    const taking = { ...pouring, pouring: false };
    const neverThePlate = meaning({ avoid: { kind: 'plate', colour: 'green' } });
    assert.deepStrictEqual([...withVesselPrior(Float32Array.from([0.5, 0.2, 0.3]), table, neverThePlate, taking)], [0, 0, 1], 'not pouring: another of the kind ruled out');
    assert.deepStrictEqual([...withVesselPrior(Float32Array.from([0.5, 0.2, 0.3]), table, meaning({ avoidCurrent: true }), taking)].map((s) => +s.toFixed(2)), [0.5, 0.2, 0.3], 'no kind known');
    assert.deepStrictEqual([...withVesselPrior(Float32Array.from([0.5, 0, 0.5]), table, neverTheTumbler, pouring)], [0.5, 0, 0.5], 'no vessel left to mean');
  });

  it('attends to the person for "pass it over" with nothing described, and to what the words describe otherwise', () => {
    assert.deepStrictEqual(attendedDescription(meaning({ mistake: 'wrong_action', action: 'hand_over' })).target, { kind: 'person' });
    assert.deepStrictEqual(attendedDescription(meaning({ mistake: 'wrong_action', action: 'hand_over', target: { kind: 'mug' } })).target, { kind: 'mug' });
    assert.deepStrictEqual(attendedDescription(meaning({ mistake: 'wrong_action', action: 'pour' })).target, {});
  });

  it('fits the distance of a place from its reference by least squares', () => {
    const observations = [0.05, 0.08, 0.12, 0.15].map((extent) => ({
      key: placeKey('left_of', false), reference: { x: 0, y: 0 }, extent, direction: { x: 0, y: -1 }, truth: { x: 0, y: -(0.1 + 0.5 * extent) },
    }));
    const fitted = fitPlaceDistances(observations);
    assert.ok(Math.abs(fitted['left_of'].a - 0.1) < 1e-9 && Math.abs(fitted['left_of'].b - 0.5) < 1e-9);
    assert.deepStrictEqual(fitted['behind'], INITIAL_PLACE_DISTANCES['behind']);
  });

  it('puts a place at the mean distance of its reference kind, where that kind was seen often enough', () => {
    const seen = (kind: 'block' | 'pitcher' | 'bottle', distance: number, extents: number[]) => extents.map((extent) => ({
      key: placeKey('in_front_of', false), reference: { x: 0, y: 0 }, extent, direction: { x: 1, y: 0 }, truth: { x: distance, y: 0 }, kind,
    }));
    // Blocks and pitchers with extents that say nothing of the distance (a pitcher seen in pieces).
    const fitted = fitPlaceDistances([...seen('block', 0.12, [0.03, 0.12, 0.06]), ...seen('pitcher', 0.2, [0.05, 0.02, 0.09, 0.04]), ...seen('bottle', 0.19, [0.1, 0.2])]);
    assert.ok(Math.abs(fitted[kindPlaceKey('in_front_of', 'block')].a - 0.12) < 1e-9 && fitted[kindPlaceKey('in_front_of', 'block')].b === 0);
    assert.ok(Math.abs(fitted[kindPlaceKey('in_front_of', 'pitcher')].a - 0.2) < 1e-9);
    assert.equal(fitted[kindPlaceKey('in_front_of', 'bottle')], undefined, 'two bottles are too few');
    const frontOf = (kind: 'block' | 'bottle') => meaning({ mistake: 'wrong_relation', relation: { type: 'in_front_of', reference: { kind }, viewpoint: null } });
    const block = { ...thing(0, 'block', 'red', 0, 0.1), extent: 0.15 };
    const place = estimatePlace(frontOf('block'), [block], viewers, fitted);
    assert.ok(place !== null && Math.abs(Math.hypot(place.point.x - block.position.x, place.point.y - block.position.y) - 0.12) < 1e-6, 'the block\'s distance, whatever its extent');
    const bottle = { ...thing(0, 'bottle', 'red', 0, 0.1), extent: 0.15 };
    const pooled = fitted['in_front_of'];
    const fromBottle = estimatePlace(frontOf('bottle'), [bottle], viewers, fitted);
    assert.ok(fromBottle !== null && Math.abs(Math.hypot(fromBottle.point.x - bottle.position.x, fromBottle.point.y - bottle.position.y) - (pooled.a + pooled.b * 0.15)) < 1e-6, 'a kind not fitted: the relation\'s fit');
  });

  it('puts "beside me" where "in front of me" was seen to be, unless "beside me" itself was seen', () => {
    const seen = (type: 'in_front_of' | 'next_to', distance: number) => [1, 2, 3].map(() => ({
      key: placeKey(type, true), reference: { x: 0.65, y: 0 }, extent: 0.3, direction: { x: -1, y: 0 }, truth: { x: 0.65 - distance, y: 0 },
    }));
    const before = fitPlaceDistances(seen('in_front_of', 0.4));
    assert.ok(Math.abs(before['next_to:viewer'].a - 0.4) < 1e-9, `beside me at ${before['next_to:viewer'].a}`);
    const both = fitPlaceDistances([...seen('in_front_of', 0.4), ...seen('next_to', 0.3)]);
    assert.ok(Math.abs(both['next_to:viewer'].a - 0.3) < 1e-9);
    assert.deepStrictEqual(fitPlaceDistances([])['next_to:viewer'], INITIAL_PLACE_DISTANCES['next_to:viewer']);
  });
});
