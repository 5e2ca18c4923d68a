import { strict as assert } from 'node:assert';
import { parseScene, sceneToJson } from '../sim/scene-format';
import { createEpisode } from '../sim/episode';
import { SCENARIOS } from '../sim/types';

const cup = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'cup_1', kind: 'cup', colour: 'red', state: 'empty', position: { x: 0.1, y: 0.2, z: 0 }, size: [0.08, 0.08, 0.09], ...over,
});
const scene = (objects: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({ scenario: 'kitchen', objects, ...extra });
const errorOf = (json: unknown): string => {
  try {
    parseScene(json);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('SCENE format', () => {
  it('reads back every generated scene exactly as it was written', () => {
    for (const scenario of SCENARIOS) {
      for (let seed = 0; seed < 30; seed++) {
        const json = sceneToJson(createEpisode({ scenario, seed, mistake: 'random' }).spec.scene);
        const again = sceneToJson(parseScene(JSON.parse(JSON.stringify(json))));
        assert.deepEqual(again, json, `${scenario} ${seed}`);
      }
    }
  });

  it('accepts positions as {x, y, z} or [x, y, z], an omitted yaw, and fills the defaults', () => {
    const s = parseScene(scene([cup({ position: [0.1, 0.2, 0] }), cup({ id: 'glass_1', kind: 'glass', position: { x: -0.2, y: -0.1 }, colour: 'blue' })]));
    assert.deepEqual(s.objects[0]?.position, { x: 0.1, y: 0.2, z: 0 });
    assert.equal(s.objects[1]?.yaw, 0);
    assert.equal(s.person.position.x, 0.65);
    assert.equal(s.robot.action, 'idle');
    assert.equal(s.task, null);
  });

  it('names the bad field and what is expected', () => {
    const cases: [unknown, string][] = [
      [null, 'scene: expected an object, got null'],
      ['{}', 'scene: expected an object, got "{}"'],
      [{ objects: [] }, 'scenario: is missing'],
      [scene([]), 'objects: must list at least one object'],
      [{ scenario: 'garage', objects: [cup()] }, 'scenario: "garage" is not a scenario; expected one of kitchen, factory, tabletop'],
      [scene([cup(), cup({ id: 'cup_2', colour: 'teal', position: [0.3, 0.3, 0] })]), 'objects[1].colour: "teal" is not a colour; expected one of red, orange, yellow, green, blue, purple, pink, white, black, grey, brown'],
      [scene([cup({ kind: 'spoon' })]), 'objects[0].kind: "spoon" is not an object kind; expected one of cup, mug, glass, pitcher, bottle, bowl, plate, gear, bin, block'],
      [scene([cup({ kind: undefined })]), 'objects[0].kind: is missing'],
      [scene([cup({ size: [0.08, 0.08] })]), 'objects[0].size: expected [x, y, z] (three numbers), got an array of length 2'],
      [scene([cup({ size: [0.08, '0.08', 0.09] })]), 'objects[0].size[1]: expected a number, got "0.08"'],
      [scene([cup({ position: { x: Number.NaN, y: 0 } })]), 'objects[0].position.x: must be a finite number, got NaN'],
      [scene([cup({ position: [Infinity, 0, 0] })]), 'objects[0].position[0]: must be a finite number, got Infinity'],
      [scene([cup({ position: [0.9, 0.1, 0] })]), 'objects[0].position: (0.9, 0.1) is off the table (x within ±0.45, y within ±0.6)'],
      [scene([cup(), cup({ id: 'cup_2', position: [0.12, 0.21, 0] })]), 'objects[1]: cup_2 overlaps objects[0] (cup_1); move one of them apart'],
      [scene([cup(), cup({ position: [0.3, -0.3, 0] })]), 'objects[1].id: "cup_1" is used twice'],
      [scene([cup({ state: 'defective' })]), 'objects[0].state: "defective" is not a state of a cup; expected one of empty, full'],
      [scene([cup({ colur: 'red' })]), 'objects[0].colur: is not a field here; expected one of id, kind, colour, state, position, size, yaw, sizeClass'],
      [scene([cup({ id: 'person' })]), 'objects[0].id: "person" is reserved (person, table, conveyor, robot)'],
      [scene([cup()], { person: { position: [0, 0, 0] } }), 'person.position: the person sits across the table from the robot (x in [0.45, 1.2], |y| <= 0.6), got (0, 0)'],
      [scene([cup()], { robot: { action: 'dance' } }), 'robot.action: "dance" is not a robot action; expected one of idle, reach, grasp, lift, transport, pour, place, hand_over, drop, release, retreat, done'],
      [scene([cup()], { task: { scenario: 'kitchen', source: 'cup_1', cup: 'cup_1', delivery: 'place' } }), 'task.source: "cup_1" is a cup; expected a pitcher or bottle'],
      [scene([cup()], { lighting: { brightness: -1 } }), 'lighting.brightness: must be in (0, 3], got -1'],
    ];
    for (const [json, message] of cases) assert.equal(errorOf(json), message);
  });

  it('lets a cup stand on a plate (its z at the plate top) but not inside it', () => {
    const plate = { id: 'plate_1', kind: 'plate', colour: 'white', state: 'none', position: [0.1, 0.2, 0], size: [0.2, 0.2, 0.02] };
    assert.equal(parseScene(scene([plate, cup({ position: [0.1, 0.2, 0.02] })])).objects.length, 2);
    assert.match(errorOf(scene([plate, cup({ position: [0.1, 0.2, 0] })])), /objects\[1\]: cup_1 overlaps objects\[0\] \(plate_1\)/);
  });

  it('never crashes on garbage: every input is a scene or a format error', () => {
    const garbage: unknown[] = [undefined, 0, true, [], [1, 2], { scenario: 'kitchen', objects: {} }, { scenario: 'kitchen', objects: [null] }, { scenario: 'kitchen', objects: [[]] }, { scenario: 'factory', objects: [cup()], conveyor: 'fast' }];
    for (const g of garbage) {
      assert.throws(() => parseScene(g), (e: Error) => e.name === 'SceneFormatError', JSON.stringify(g));
    }
  });
});
