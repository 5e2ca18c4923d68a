import * as assert from 'assert';
import { EmbeddedGraph } from '../graph/embedded';
import { captureLogs } from '../graph/logging';
import type { Correction, DiagnosticArray, ExecutionState, LanguageAttention, VisualAttention } from '../graph/messages';
import { createMessage } from '../graph/message-validation';
import { executionMonitor } from '../nodes/execution_monitor';

const KIND = { retarget: 0, move_region: 1, adjust_pose: 2, change_action: 3, halt: 4, resume: 5 } as const;

function state(action: string, target: string): ExecutionState {
  const m = createMessage('h2r_interfaces/msg/ExecutionState');
  return { ...m, episode_id: 'kitchen-3', scenario: 'kitchen', action, target_object: target, status: 'running', progress: 0.3, point_of_no_return: 0.8 };
}

function language(sec: number, fields: Partial<LanguageAttention>): LanguageAttention {
  const m = createMessage('h2r_interfaces/msg/LanguageAttention');
  return { ...m, header: { stamp: { sec, nanosec: 0 }, frame_id: '' }, confidence: 0.95, mistake_confidence: 0.95, ...fields };
}

const A_CUP = { ...createMessage('h2r_interfaces/msg/ObjectDescription'), kind: 'cup' };

function visual(sec: number, fields: Partial<VisualAttention>): VisualAttention {
  const m = createMessage('h2r_interfaces/msg/VisualAttention');
  return { ...m, reminder_stamp: { sec, nanosec: 0 }, confidence: 0.9, ...fields };
}

async function startMonitor() {
  const logs = captureLogs();
  const graph = new EmbeddedGraph({ clock: 'manual', logSink: logs.sink });
  const corrections: Correction[] = [];
  const questions: string[] = [];
  const flags: DiagnosticArray[] = [];
  const listener = graph.createNode('listener');
  listener.createSubscription('h2r_interfaces/msg/Correction', 'execution/correction', (m) => corrections.push(m));
  listener.createSubscription('std_msgs/msg/String', 'monitor/question', (m) => questions.push(m.data));
  listener.createSubscription('diagnostic_msgs/msg/DiagnosticArray', 'monitor/diagnostics', (m) => flags.push(m));
  const robot = graph.createNode('robot');
  const io = {
    state: robot.createPublisher('h2r_interfaces/msg/ExecutionState', 'execution/state'),
    language: robot.createPublisher('h2r_interfaces/msg/LanguageAttention', 'attention/language'),
    visual: robot.createPublisher('h2r_interfaces/msg/VisualAttention', 'attention/grounded'),
  };
  const running = await executionMonitor.start(graph.createNode('execution_monitor'), { print: () => undefined });
  const send = async (publish: () => void) => {
    publish();
    await graph.spinUntilIdle();
  };
  const stop = async () => {
    await running.stop();
    await graph.shutdown();
  };
  return { graph, logs, corrections, questions, flags, io, send, stop };
}

describe('execution_monitor node', () => {
  const cases: [string, Partial<LanguageAttention>, Partial<VisualAttention>, number, (c: Correction) => void][] = [
    ['retargets a wrong object to the attended one', { mistake_type: 'wrong_object', target: A_CUP }, { attended_object: 'cup_2', attended_point: { x: 0.1, y: 0.2, z: 0 } }, KIND.retarget, (c) => assert.strictEqual(c.target_object, 'cup_2')],
    ['moves a pour that misses to the attended cup', { mistake_type: 'wrong_region' }, { attended_object: 'cup_1', attended_point: { x: 0.2, y: -0.1, z: 0 } }, KIND.move_region, (c) => assert.deepStrictEqual([c.point.x, c.point.y], [0.2, -0.1])],
    ['adjusts a wrong grasp to the grasp the person asks for', { mistake_type: 'wrong_pose', grasp: 'side' }, {}, KIND.adjust_pose, (c) => assert.strictEqual(c.grasp, 'side')],
    ['changes a wrong action to the one the person asks for', { mistake_type: 'wrong_action', action: 'hand_over' }, {}, KIND.change_action, (c) => assert.strictEqual(c.action, 'hand_over')],
    ['moves a wrong placement to the attended place', { mistake_type: 'wrong_relation', relation: 'in_front_of' }, { attended_point: { x: 0.25, y: 0.05, z: 0 } }, KIND.move_region, (c) => assert.deepStrictEqual([c.point.x, c.point.y], [0.25, 0.05])],
  ];
  for (const [name, said, seen, kind, check] of cases) {
    it(`${name}, and flags the abnormal execution`, async () => {
      const m = await startMonitor();
      await m.send(() => m.io.state.publish(state('reach', 'cup_1')));
      await m.send(() => m.io.language.publish(language(5, said)));
      assert.strictEqual(m.corrections.length, 0, 'nothing before the visual attention of the reminder');
      await m.send(() => m.io.visual.publish(visual(5, seen)));
      assert.strictEqual(m.corrections.length, 1);
      assert.strictEqual(m.corrections[0].kind, kind);
      assert.deepStrictEqual(m.corrections[0].reminder_stamp, { sec: 5, nanosec: 0 });
      assert.strictEqual(m.corrections[0].episode_id, 'kitchen-3');
      check(m.corrections[0]);
      assert.strictEqual(m.flags.length, 1);
      assert.strictEqual(m.flags[0].status[0].level, 2);
      assert.ok(m.flags[0].status[0].values.some((v) => v.key === 'mistake_type' && v.value === said.mistake_type));
      await m.stop();
    });
  }

  it('halts the robot the moment the person says stop, before any visual attention', async () => {
    const m = await startMonitor();
    await m.send(() => m.io.state.publish(state('pour', 'cup_1')));
    await m.send(() => m.io.language.publish(language(3, { stop: true, mistake_type: 'none', reminder_text: 'stop!' })));
    assert.deepStrictEqual(m.corrections.map((c) => c.kind), [KIND.halt]);
    await m.stop();
  });

  it('changes nothing when the person approves of a correct execution', async () => {
    const m = await startMonitor();
    await m.send(() => m.io.state.publish(state('transport', 'cup_1')));
    await m.send(() => m.io.language.publish(language(4, { mistake_type: 'none', reminder_text: 'good, keep going' })));
    await m.send(() => m.io.visual.publish(visual(4, { attended_object: 'cup_1' })));
    assert.deepStrictEqual([m.corrections.length, m.questions.length], [0, 0]);
    await m.stop();
  });

  it('takes a bare name ("the glass") as which object to take, unless it is the one taken, an approval, or unsure', async () => {
    const GLASS = { ...A_CUP, kind: 'glass' };
    const m = await startMonitor();
    await m.send(() => m.io.state.publish(state('reach', 'cup_1')));
    const bare = (sec: number, text: string) => language(sec, { mistake_type: 'none', reminder_text: text, tokens: text.split(' '), tags: text.split(' ').map(() => 'O'), target: GLASS });
    await m.send(() => m.io.language.publish(bare(3, 'the glass')));
    await m.send(() => m.io.visual.publish(visual(3, { attended_object: 'cup_1' })));
    await m.send(() => m.io.language.publish(bare(4, 'yes the glass')));
    await m.send(() => m.io.visual.publish(visual(4, { attended_object: 'glass_2' })));
    await m.send(() => m.io.language.publish(bare(5, 'the glass')));
    await m.send(() => m.io.visual.publish(visual(5, { attended_object: 'glass_2', confidence: 0.3, low_confidence: true })));
    assert.deepStrictEqual([m.corrections.length, m.questions.length], [0, 0]);
    assert.deepStrictEqual(m.flags.map((f) => f.status[0].level), [0, 0], 'the one taken, and unsure: carrying on, said so; an approval: nothing');
    await m.send(() => m.io.language.publish(bare(6, 'the glass')));
    await m.send(() => m.io.visual.publish(visual(6, { attended_object: 'glass_2' })));
    assert.deepStrictEqual(m.corrections.map((c) => [c.kind, c.target_object]), [[KIND.retarget, 'glass_2']]);
    await m.stop();
  });

  it('takes an action the robot already takes, said of another object ("pick up the mug"), as which object to take', async () => {
    const MUG = { ...A_CUP, kind: 'mug' };
    const m = await startMonitor();
    await m.send(() => m.io.state.publish({ ...state('reach', 'glass_1'), plan: ['grasp', 'lift', 'transport', 'place'] }));
    const pickUpTheMug = (sec: number) => language(sec, { mistake_type: 'wrong_action', action: 'grasp', target: MUG, reminder_text: 'pick up the mug' });
    await m.send(() => m.io.language.publish(pickUpTheMug(3)));
    await m.send(() => m.io.visual.publish(visual(3, { attended_object: 'glass_1' })));
    await m.send(() => m.io.language.publish(pickUpTheMug(4)));
    await m.send(() => m.io.visual.publish(visual(4, { attended_object: 'mug_2', confidence: 0.3, low_confidence: true })));
    assert.deepStrictEqual([m.corrections.length, m.questions.length], [0, 0], 'the glass it takes, or unsure: nothing to change');
    await m.send(() => m.io.language.publish(pickUpTheMug(5)));
    await m.send(() => m.io.visual.publish(visual(5, { attended_object: 'mug_2' })));
    assert.deepStrictEqual(m.corrections.map((c) => [c.kind, c.target_object]), [[KIND.retarget, 'mug_2']]);
    assert.ok(m.flags[m.flags.length - 1].status[0].values.some((v) => v.key === 'mistake_type' && v.value === 'wrong_object'));
    await m.stop();
  });

  it('halts and asks when attention is unsure, and the next reminder resolves it', async () => {
    const m = await startMonitor();
    await m.send(() => m.io.state.publish(state('reach', 'cup_1')));
    await m.send(() => m.io.language.publish(language(6, { mistake_type: 'wrong_object', target: { kind: 'cup', colour: '', size: '', state: '', count: 0 } })));
    await m.send(() => m.io.visual.publish(visual(6, { attended_object: 'cup_3', confidence: 0.3, low_confidence: true, reason: '2 things could be the cup you mean' })));
    assert.deepStrictEqual(m.corrections.map((c) => c.kind), [KIND.halt]);
    assert.strictEqual(m.questions.length, 1);
    assert.match(m.questions[0], /2 things could be the cup you mean\. Which cup do you mean/);
    await m.send(() => m.io.language.publish(language(8, { mistake_type: 'wrong_object' })));
    await m.send(() => m.io.visual.publish(visual(8, { attended_object: 'cup_2', confidence: 0.9 })));
    assert.deepStrictEqual(m.corrections.map((c) => c.kind), [KIND.halt, KIND.retarget]);
    assert.strictEqual(m.corrections[1].target_object, 'cup_2');
    await m.stop();
  });

  it('takes an answer that only names a thing ("I asked for the tumbler") as about the mistake it asked about, and acts on its best guess', async () => {
    const m = await startMonitor();
    await m.send(() => m.io.state.publish(state('reach', 'cup_1')));
    await m.send(() => m.io.language.publish(language(6, { mistake_type: 'wrong_object', avoid_current: true })));
    await m.send(() => m.io.visual.publish(visual(6, { attended_object: 'cup_3', confidence: 0.3, low_confidence: true, reason: '3 things could be the one you mean' })));
    await m.send(() => m.io.language.publish(language(8, { mistake_type: 'none', reminder_text: 'I asked for the tumbler', target: { kind: 'glass', colour: '', size: '', state: '', count: 0 } })));
    await m.send(() => m.io.visual.publish(visual(8, { attended_object: 'glass_2', confidence: 0.4, low_confidence: true, reason: '2 things could be the glass you mean' })));
    assert.deepStrictEqual(m.corrections.map((c) => c.kind), [KIND.halt, KIND.retarget]);
    assert.strictEqual(m.corrections[1].target_object, 'glass_2');
    assert.strictEqual(m.questions.length, 1, 'asked once, not again');
    await m.stop();
  });

  it('changes the action to pouring when the person says where to pour while the robot is about to hand the pitcher over unpoured', async () => {
    const m = await startMonitor();
    await m.send(() => m.io.state.publish({ ...state('transport', 'person'), plan: ['hand_over', 'retreat'] }));
    await m.send(() => m.io.language.publish(language(5, { mistake_type: 'wrong_region', reminder_text: 'pour it into the tumbler', tokens: ['pour', 'it', 'into', 'the', 'tumbler'], tags: ['O', 'O', 'RELATION', 'REFERENCE', 'REFERENCE'], token_attention: [0.2, 0.2, 0.2, 0.2, 0.2] })));
    await m.send(() => m.io.visual.publish(visual(5, { attended_object: 'glass_1', attended_point: { x: 0.2, y: 0.1, z: 0 } })));
    assert.deepStrictEqual(m.corrections.map((c) => [c.kind, c.action]), [[KIND.change_action, 'pour']]);
    await m.send(() => m.io.state.publish({ ...state('transport', 'pitcher_1'), plan: ['pour', 'hand_over'] }));
    await m.send(() => m.io.language.publish(language(7, { mistake_type: 'wrong_region', reminder_text: 'pour into the tumbler', tokens: ['pour', 'into', 'the', 'tumbler'], tags: ['O', 'RELATION', 'REFERENCE', 'REFERENCE'], token_attention: [0.25, 0.25, 0.25, 0.25] })));
    await m.send(() => m.io.visual.publish(visual(7, { attended_object: 'glass_1', attended_point: { x: 0.2, y: 0.1, z: 0 } })));
    assert.deepStrictEqual([m.corrections[1].kind, m.corrections[1].target_object], [KIND.retarget, 'glass_1'], 'a pour that is coming anyway goes into the vessel named, not replaced');
    // Water is poured into something: "pour it in front of me" is where to put the cup down.
    await m.send(() => m.io.state.publish({ ...state('transport', 'table'), held_object: 'cup_1', plan: ['place', 'retreat'] }));
    const me = { ...createMessage('h2r_interfaces/msg/ObjectDescription'), kind: 'person' };
    await m.send(() => m.io.language.publish(language(9, { mistake_type: 'wrong_relation', reminder_text: 'pour just in front of me', tokens: ['pour', 'just', 'in', 'front', 'of', 'me'], tags: ['O', 'O', 'RELATION', 'RELATION', 'RELATION', 'REFERENCE'], token_attention: [0.2, 0.1, 0.1, 0.2, 0.2, 0.2], relation: 'in_front_of', reference: me })));
    await m.send(() => m.io.visual.publish(visual(9, { attended_point: { x: 0.25, y: 0.05, z: 0 } })));
    assert.deepStrictEqual([m.corrections[2].kind, m.corrections[2].point.x], [KIND.move_region, 0.25]);
    // A misspelt pour counts as the word the parser read: "pore" is pour.
    await m.send(() => m.io.state.publish({ ...state('transport', 'person'), plan: ['hand_over', 'retreat'] }));
    const pore = { mistake_type: 'wrong_region', reminder_text: 'pore it in the mug', tokens: ['pore', 'it', 'in', 'the', 'mug'], tags: ['O', 'O', 'RELATION', 'REFERENCE', 'REFERENCE'], token_attention: [0.2, 0.2, 0.2, 0.2, 0.2] };
    await m.send(() => m.io.language.publish(language(11, pore)));
    await m.send(() => m.io.visual.publish(visual(11, { attended_object: 'mug_1', attended_point: { x: 0.2, y: 0.1, z: 0 } })));
    assert.strictEqual(m.corrections[3].kind, KIND.move_region, 'as written, "pore" asks for no pour');
    await m.send(() => m.io.language.publish(language(12, { ...pore, words: ['pour', 'it', 'in', 'the', 'mug'] })));
    await m.send(() => m.io.visual.publish(visual(12, { attended_object: 'mug_1', attended_point: { x: 0.2, y: 0.1, z: 0 } })));
    assert.deepStrictEqual([m.corrections[4].kind, m.corrections[4].action], [KIND.change_action, 'pour']);
    await m.stop();
  });

  it('pours into the vessel named in the answer to its question: a halted robot was still about to pour', async () => {
    const m = await startMonitor();
    await m.send(() => m.io.state.publish({ ...state('transport', 'glass_2'), held_object: 'pitcher_1', plan: ['pour', 'hand_over'] }));
    await m.send(() => m.io.language.publish(language(5, { mistake_type: 'wrong_region', reminder_text: 'the water should go in the glass' })));
    await m.send(() => m.io.visual.publish(visual(5, { attended_object: 'glass_2', confidence: 0.2, low_confidence: true, reason: 'unsure' })));
    assert.deepStrictEqual(m.corrections.map((c) => c.kind), [KIND.halt]);
    assert.strictEqual(m.questions.length, 1);
    await m.send(() => m.io.state.publish({ ...state('idle', ''), held_object: 'pitcher_1', status: 'halted', plan: [] }));
    await m.send(() => m.io.language.publish(language(7, { mistake_type: 'wrong_region', reminder_text: 'in the tumbler' })));
    await m.send(() => m.io.visual.publish(visual(7, { attended_object: 'glass_2', attended_point: { x: -0.02, y: -0.06, z: 0 } })));
    assert.deepStrictEqual([m.corrections[1].kind, m.corrections[1].target_object], [KIND.retarget, 'glass_2'], 'into the glass, not onto a point');
    await m.stop();
  });

  it('never pours into what it pours from: the attention on the pitcher means the vessel it aims at', async () => {
    const m = await startMonitor();
    await m.send(() => m.io.state.publish({ ...state('transport', 'mug_2'), held_object: 'pitcher_1', plan: ['pour', 'hand_over'] }));
    await m.send(() => m.io.language.publish(language(5, { mistake_type: 'wrong_region', reminder_text: 'you missed, into the mug' })));
    await m.send(() => m.io.visual.publish(visual(5, { attended_object: 'pitcher_1' })));
    assert.deepStrictEqual(m.corrections.map((c) => [c.kind, c.target_object]), [[KIND.retarget, 'mug_2']]);
    await m.send(() => m.io.language.publish(language(6, { mistake_type: 'wrong_region', reminder_text: 'into the glass' })));
    await m.send(() => m.io.visual.publish(visual(6, { attended_object: 'glass_1' })));
    assert.deepStrictEqual([m.corrections[1].kind, m.corrections[1].target_object], [KIND.retarget, 'glass_1'], 'another vessel named is poured into');
    await m.stop();
  });

  it('takes a place correction said while the robot holds nothing as which thing to take, and moves the place once it holds one', async () => {
    const m = await startMonitor();
    const gearOnTheLeft = (sec: number) => language(sec, { mistake_type: 'wrong_relation', relation: 'left_of', target: { ...createMessage('h2r_interfaces/msg/ObjectDescription'), kind: 'gear' } });
    await m.send(() => m.io.state.publish(state('reach', 'gear_2')));
    await m.send(() => m.io.language.publish(gearOnTheLeft(5)));
    await m.send(() => m.io.visual.publish(visual(5, { attended_object: 'gear_1', attended_point: { x: 0.1, y: -0.2, z: 0 } })));
    assert.deepStrictEqual(m.corrections.map((c) => [c.kind, c.target_object]), [[KIND.retarget, 'gear_1']]);
    await m.send(() => m.io.state.publish({ ...state('transport', 'bin_1'), held_object: 'gear_1' }));
    await m.send(() => m.io.language.publish(gearOnTheLeft(6)));
    await m.send(() => m.io.visual.publish(visual(6, { attended_object: 'bin_2', attended_point: { x: 0.3, y: -0.2, z: 0 } })));
    assert.strictEqual(m.corrections[1].kind, KIND.move_region);
    // The attention found another gear named, not a place: which one to take instead.
    await m.send(() => m.io.language.publish(gearOnTheLeft(7)));
    await m.send(() => m.io.visual.publish(visual(7, { attended_object: 'gear_3', attended_point: { x: 0.1, y: 0.3, z: 0 }, mistake_type: 'wrong_object' })));
    assert.deepStrictEqual([m.corrections[2].kind, m.corrections[2].target_object], [KIND.retarget, 'gear_3']);
    await m.stop();
  });

  it('asks instead of retargeting to the object the robot is already taking', async () => {
    const m = await startMonitor();
    await m.send(() => m.io.state.publish(state('reach', 'cup_1')));
    await m.send(() => m.io.language.publish(language(6, { mistake_type: 'wrong_object', target: A_CUP })));
    await m.send(() => m.io.visual.publish(visual(6, { attended_object: 'cup_1' })));
    assert.deepStrictEqual(m.corrections.map((c) => c.kind), [KIND.halt]);
    assert.match(m.questions[0], /already taking cup_1/);
    await m.stop();
  });

  it('carries on when praise is read as a mistake that names nothing to change', async () => {
    const m = await startMonitor();
    await m.send(() => m.io.state.publish({ ...state('transport', 'cup_1'), held_object: 'pitcher_1', plan: ['pour', 'transport', 'hand_over'] }));
    const misread: [number, Partial<LanguageAttention>][] = [
      [4, { mistake_type: 'wrong_object', reminder_text: "whoa, that's the one!" }],
      [5, { mistake_type: 'wrong_action', action: 'grasp', reminder_text: 'well done, keep it up' }],
      [6, { mistake_type: 'wrong_action', action: 'hand_over', reminder_text: 'just like that' }],
      [7, { mistake_type: 'wrong_action', action: 'pour', reminder_text: 'pour it, yes' }],
    ];
    for (const [sec, said] of misread) {
      await m.send(() => m.io.language.publish(language(sec, said)));
      await m.send(() => m.io.visual.publish(visual(sec, { attended_object: 'person' })));
    }
    assert.deepStrictEqual([m.corrections.length, m.questions.length], [0, 0]);
    assert.deepStrictEqual(m.flags.map((f) => f.status[0].level), [0, 0, 0, 0], 'each is logged as an OK diagnostic');
    // Waiting for the next part, holding nothing, planning nothing: grasping is still a step on the way.
    await m.send(() => m.io.state.publish({ ...state('idle', ''), plan: [] }));
    await m.send(() => m.io.language.publish(language(8, { mistake_type: 'wrong_action', action: 'grasp', reminder_text: 'keep it up' })));
    await m.send(() => m.io.visual.publish(visual(8, {})));
    assert.strictEqual(m.corrections.length, 0);
    // The same words about an action the plan lacks are a correction.
    await m.send(() => m.io.state.publish({ ...state('transport', 'person'), held_object: 'pitcher_1', plan: ['hand_over', 'retreat'] }));
    await m.send(() => m.io.language.publish(language(9, { mistake_type: 'wrong_action', action: 'pour', reminder_text: 'pour it first', tokens: ['pour', 'it', 'first'], tags: ['ACTION', 'ACTION', 'O'] })));
    await m.send(() => m.io.visual.publish(visual(9, {})));
    assert.deepStrictEqual(m.corrections.map((c) => [c.kind, c.action]), [[KIND.change_action, 'pour']]);
    // An action the words never said: every word a filler or an exclamation ("whoa, well done, just like that!").
    const words = ['whoa', ',', 'well', 'done', ',', 'just', 'like', 'that', '!'];
    await m.send(() => m.io.language.publish(language(10, { mistake_type: 'wrong_action', action: 'drop', reminder_text: words.join(' '), tokens: words, tags: words.map(() => 'O') })));
    await m.send(() => m.io.visual.publish(visual(10, {})));
    assert.strictEqual(m.corrections.length, 1);
    assert.strictEqual(m.flags[m.flags.length - 1].status[0].level, 0);
    await m.stop();
  });

  it('logs and drops malformed and out-of-order messages on every input, and keeps working', async () => {
    const m = await startMonitor();
    await m.send(() => m.io.state.publish({ ...state('reach', 'cup_1'), episode_id: '' }));
    await m.send(() => m.io.state.publish({ ...state('reach', 'cup_1'), progress: Number.NaN }));
    await m.send(() => m.io.language.publish(language(9, { mistake_type: 'wrong_everything' })));
    await m.send(() => m.io.language.publish(language(9, { mistake_type: 'wrong_object', confidence: 7 })));
    await m.send(() => m.io.language.publish({ ...language(9, { mistake_type: 'wrong_object' }), tags: ['O'] , tokens: [] }));
    await m.send(() => m.io.language.publish({ ...language(9, { mistake_type: 'wrong_object' }), tags: ['O'], tokens: ['mug'], words: ['the', 'mug'] }));
    await m.send(() => m.io.visual.publish(visual(0, { attended_object: 'cup_2' })));
    await m.send(() => m.io.state.publish(state('reach', 'cup_1')));
    await m.send(() => m.io.language.publish(language(10, { mistake_type: 'wrong_object', target: A_CUP })));
    await m.send(() => m.io.language.publish(language(8, { mistake_type: 'wrong_object', target: A_CUP })));
    await m.send(() => m.io.visual.publish(visual(10, { attended_object: 'cup_2' })));
    const warnings = m.logs.lines.filter((line) => line.startsWith('[WARN]'));
    assert.ok(warnings.some((w) => /execution\/state: episode_id is empty/.test(w)));
    assert.ok(warnings.some((w) => /execution\/state: progress NaN is not finite/.test(w)));
    assert.ok(warnings.some((w) => /mistake_type "wrong_everything" is not one of/.test(w)));
    assert.ok(warnings.some((w) => /confidence 7 is not within 0\.\.1/.test(w)));
    assert.ok(warnings.some((w) => /0 tokens but 1 tags/.test(w)));
    assert.ok(warnings.some((w) => /1 tokens but 2 words/.test(w)));
    assert.ok(warnings.some((w) => /attention\/grounded: its stamp is zero/.test(w)));
    assert.ok(warnings.some((w) => /arrived after one stamped .*out of order/.test(w)));
    assert.deepStrictEqual(m.corrections.map((c) => [c.kind, c.target_object]), [[KIND.retarget, 'cup_2']]);
    await m.stop();
  });
});
