import { strict as assert } from 'node:assert';
import { BuiltinSimulator, episodeTruthJson } from '../sim/backend';
import { MaskRing, groundAttention, type MaskFrame } from '../sim/grounding';
import { correctionFromMessage, executionStateMessage, heatmapValues } from '../sim/ros-messages';
import { checkStartRequest } from '../sim/start-request';
import { sceneToJson } from '../sim/scene-format';
import { createEpisode } from '../sim/episode';
import type { Correction, Image } from '../graph/messages';

const frame = (mask: number[], ids: string[]): MaskFrame => ({ width: mask.length, height: 1, mask: Uint16Array.from(mask), entityIds: ids });
const ids = ['', 'table', 'conveyor', 'robot', 'person', 'cup_1', 'cup_2'];

function correction(over: Partial<Correction>): Correction {
  return {
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' },
    episode_id: '', kind: 0, target_object: '', point: { x: 0, y: 0, z: 0 }, radius: 0, grasp: '', action: '', reason: '',
    reminder_stamp: { sec: 0, nanosec: 0 },
    ...over,
  };
}

function heatmap(values: number[], width: number, height: number, over: Partial<Image> = {}): Image {
  const data = new Uint8Array(new Float32Array(values).buffer);
  return { header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' }, width, height, encoding: '32FC1', is_bigendian: 0, step: width * 4, data, ...over };
}

describe('simulator backend and grounding', () => {
  it('grounds attention on the attendable object with the most heat, ignoring table and robot', () => {
    const f = frame([1, 1, 3, 5, 5, 6, 4, 0], ids);
    const g = groundAttention(Float32Array.from([0.3, 0.2, 0.05, 0.1, 0.1, 0.15, 0.05, 0.05]), f);
    assert.equal(g.object, 'cup_1');
    assert.ok(Math.abs(g.share - 0.2) < 1e-6);
    assert.deepEqual(groundAttention(Float32Array.from([1, 1, 0, 0, 0, 0, 0, 0]), f), { object: '', share: 0 });
    assert.throws(() => groundAttention(new Float32Array(3), f), /heatmap has 3 values, the frame 8x1 has 8 pixels/);
  });

  it('keeps the masks of the last frames and finds them by stamp', () => {
    const ring = new MaskRing(2);
    const f = frame([0], ['']);
    ring.put({ sec: 1, nanosec: 0 }, f);
    ring.put({ sec: 2, nanosec: 5 }, f);
    ring.put({ sec: 3, nanosec: 0 }, f);
    assert.equal(ring.find({ sec: 1, nanosec: 0 }), undefined);
    assert.equal(ring.find({ sec: 2, nanosec: 5 }), f);
    assert.equal(ring.size, 2);
  });

  it('reads 32FC1 heatmaps in either byte order and refuses malformed ones', () => {
    assert.deepEqual(Array.from(heatmapValues(heatmap([0.5, 0.25], 2, 1)) as Float32Array), [0.5, 0.25]);
    const big = new Uint8Array(8);
    new DataView(big.buffer).setFloat32(0, 0.75, false);
    assert.equal((heatmapValues(heatmap([0, 0], 2, 1, { data: big, is_bigendian: 1 })) as Float32Array)[0], 0.75);
    assert.equal(heatmapValues(heatmap([1], 1, 1, { encoding: 'mono8' })), "heatmap encoding is 'mono8', expected 32FC1");
    assert.equal(heatmapValues(heatmap([1, 2], 3, 1)), 'heatmap has 8 bytes, expected 12 for 3x1');
    assert.equal(heatmapValues(heatmap([1, 2], 2, 1, { step: 4 })), 'heatmap step 4 is not width*4 = 8');
    assert.equal(heatmapValues(heatmap([1, -2], 2, 1)), 'heatmap value -2 at pixel 1 is not a finite non-negative number');
  });

  it('turns Correction messages into commands and names what is wrong with bad ones', () => {
    assert.deepEqual(correctionFromMessage(correction({ kind: 0, target_object: 'cup_2' })), { command: { kind: 'retarget', targetObject: 'cup_2' } });
    assert.deepEqual(correctionFromMessage(correction({ kind: 1, point: { x: 0.1, y: 0.2, z: 0 }, radius: 0.05 })), { command: { kind: 'move_region', region: { centre: { x: 0.1, y: 0.2, z: 0 }, radius: 0.05 } } });
    assert.deepEqual(correctionFromMessage(correction({ kind: 4 })), { command: { kind: 'halt' } });
    assert.deepEqual(correctionFromMessage(correction({ kind: 0 })), { error: 'RETARGET needs target_object' });
    assert.deepEqual(correctionFromMessage(correction({ kind: 2, grasp: 'firm' })), { error: "ADJUST_POSE grasp 'firm' is not one of side, centre, rim, tilted, off_centre" });
    assert.deepEqual(correctionFromMessage(correction({ kind: 9 })), { error: 'unknown correction kind 9 (expected 0..5)' });
  });

  it('checks StartEpisode requests, including a SCENE in scene_json', () => {
    const defaults = { scenario: 'kitchen' as const, mistake: 'random' as const };
    const scene = createEpisode({ scenario: 'tabletop', seed: 1 }).spec.scene;
    const ok = checkStartRequest({ scenario: '', seed: 4, mistake: 'wrong_pose', scene_json: JSON.stringify(sceneToJson(scene)) }, defaults);
    assert.ok(typeof ok !== 'string');
    assert.equal(ok.scenario, 'tabletop');
    assert.equal(checkStartRequest({ scenario: '', seed: 1, mistake: '', scene_json: '{' }, defaults).toString().startsWith('scene_json is not JSON'), true);
    assert.equal(checkStartRequest({ scenario: '', seed: 1, mistake: '', scene_json: '{"scenario":"kitchen","objects":[{"id":"a"}]}' }, defaults), 'scene_json: objects[0].kind: is missing');
    assert.equal(checkStartRequest({ scenario: 'kitchen', seed: 1, mistake: '', scene_json: JSON.stringify(sceneToJson(scene)) }, defaults), "scenario 'kitchen' does not match the scene's 'tabletop'");
    assert.equal(checkStartRequest({ scenario: 'garage', seed: 1, mistake: '', scene_json: '' }, defaults), "scenario 'garage' is not one of kitchen, factory, tabletop");
  });

  it('runs an episode step by step, handing out each event once', () => {
    const sim = new BuiltinSimulator(0.05);
    assert.equal(sim.renderFrame({ width: 32, height: 24 }), null);
    assert.equal(sim.applyCorrection({ kind: 'halt' }).detail, 'no episode is running');
    const info = sim.startEpisode({ scenario: 'factory', seed: 2, mistake: 'wrong_object' });
    assert.equal(info.episodeId, 'factory-2-wrong_object');
    const seen: string[] = [];
    for (let i = 0; i < 2000 && !sim.finished(); i++) {
      sim.step();
      for (const e of sim.takeEvents()) seen.push(e.event);
    }
    seen.push(...sim.takeEvents().map((e) => e.event));
    assert.deepEqual(seen, ['started', 'mistake_visible', 'point_of_no_return', 'failed']);
    assert.equal(sim.executionState()?.status, 'failed');
    const frame = sim.renderFrame({ width: 32, height: 24 })!;
    assert.equal(frame.rgb.length, 32 * 24 * 3);
  });

  it('interrupts the running episode when a new one starts', () => {
    const sim = new BuiltinSimulator(0.05);
    sim.startEpisode({ scenario: 'kitchen', seed: 1, mistake: 'none' });
    for (let i = 0; i < 10; i++) sim.step();
    sim.startEpisode({ scenario: 'tabletop', seed: 1, mistake: 'none' });
    const events = sim.takeEvents();
    assert.deepEqual(events.map((e) => e.event), ['started', 'interrupted', 'started']);
    assert.match(events[1]!.detail, /interrupted: a new episode started/);
  });

  it('reports the execution state in ExecutionState terms', () => {
    const sim = new BuiltinSimulator(0.05);
    sim.startEpisode({ scenario: 'tabletop', seed: 3, mistake: 'none' });
    for (let i = 0; i < 5; i++) sim.step();
    const msg = executionStateMessage(sim.executionState()!, { stamp: { sec: 1, nanosec: 0 }, frame_id: '' });
    assert.equal(msg.action, 'reach');
    assert.equal(msg.status, 'running');
    assert.ok(msg.progress > 0 && msg.progress < 1);
    assert.equal(msg.point_of_no_return, 2);
    assert.deepEqual(msg.plan.slice(0, 3), ['grasp', 'lift', 'transport']);
    const block = sim.worldPoses()!.objects.find((o) => o.id === msg.task_object);
    assert.ok(block, `the task object '${msg.task_object}' is in the scene`);
    assert.ok(Math.hypot(block.x - msg.task_point.x, block.y - msg.task_point.y) < 1e-9);
    const q = msg.end_effector.orientation;
    assert.ok(Math.abs(q.x * q.x + q.y * q.y + q.z * q.z + q.w * q.w - 1) < 1e-9);
    const truth = episodeTruthJson(sim.episode()!);
    assert.equal(truth.mistake.type, 'none');
    assert.equal((truth.scene as { scenario: string }).scenario, 'tabletop');
  });
});
