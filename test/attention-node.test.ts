import { strict as assert } from 'node:assert';
import { EmbeddedGraph } from '../graph/embedded';
import { captureLogs } from '../graph/logging';
import type { ExecutionState, LanguageAttention, VisualAttention } from '../graph/messages';
import { createMessage } from '../graph/message-validation';
import { SpeechWindow } from '../models/visual/speech-window';
import { sampleSituation } from '../models/visual/situations';
import { VisualStage } from '../models/visual/visual-stage';
import type { PerceivedFrame } from '../models/visual/perception';
import { thing } from './support/perceived-fixtures';
import { robotCamera, tableCamera } from '../models/visual/camera-preset';
import { attentionTransfer } from '../nodes/attention_transfer';
import { imageMessage } from '../sim/ros-messages';

describe('speech window (when the attention node expects a reminder)', () => {
  const limits = { waitMs: 3000, maxSpeechMs: 20000 };

  it('expects a reminder from the voice starting until the reminder arrives', () => {
    const window = new SpeechWindow();
    assert.equal(window.expectsReminder(0, limits), false, 'nothing before anyone speaks');
    window.started(1000);
    assert.equal(window.expectsReminder(2500, limits), true);
    window.stopped(3000);
    assert.equal(window.expectsReminder(3200, limits), true, 'recognition is still running');
    window.reminderArrived();
    assert.equal(window.expectsReminder(3300, limits), false);
  });

  it('gives up waiting some time after the voice stops, and on a voice that never stops', () => {
    const window = new SpeechWindow();
    window.started(0);
    window.stopped(1000);
    assert.equal(window.expectsReminder(3999, limits), true);
    assert.equal(window.expectsReminder(4001, limits), false, 'noise that was never a reminder');
    window.started(10_000);
    assert.equal(window.expectsReminder(29_000, limits), true);
    assert.equal(window.expectsReminder(30_001, limits), false, 'a stuck detector');
  });

  it('keeps expecting the next reminder when one arrives while the person is already saying another', () => {
    const window = new SpeechWindow();
    window.started(0);
    window.reminderArrived();
    assert.equal(window.expectsReminder(100, limits), true);
  });
});

describe('attention_transfer node', function () {
  this.timeout(60_000);

  const stamp = (sec: number) => ({ sec: Math.floor(sec), nanosec: Math.round((sec - Math.floor(sec)) * 1e9) });

  function language(sec: number): LanguageAttention {
    const m = createMessage('h2r_interfaces/msg/LanguageAttention');
    const target = { ...m.target, kind: 'cup' };
    return { ...m, header: { stamp: stamp(sec), frame_id: '' }, reminder_text: 'the cup', tokens: ['the', 'cup'], tags: ['O', 'OBJECT'], token_attention: [0, 1], target, mistake_type: 'wrong_object', mistake_confidence: 0.9, confidence: 0.9 };
  }

  /**
   * Runs the node on the graph and counts how often it perceives a frame (the costly step);
   * `seen`, when given, replaces what the networks perceive in the n-th frame perceived.
   */
  async function withNode(run: (io: {
    frame: (sec: number) => Promise<void>;
    voice: (active: boolean) => Promise<void>;
    say: (sec: number, fields?: Partial<LanguageAttention>) => Promise<void>;
    state: (state: Partial<ExecutionState>) => Promise<void>;
    perceptions: () => number;
    attentions: VisualAttention[];
    graph: EmbeddedGraph;
  }) => Promise<void>, seen?: (n: number) => PerceivedFrame): Promise<void> {
    const logs = captureLogs();
    const graph = new EmbeddedGraph({ clock: 'manual', logSink: logs.sink });
    const original = VisualStage.prototype.perceiveFrame;
    let perceptions = 0;
    VisualStage.prototype.perceiveFrame = function (...args) {
      perceptions++;
      return seen ? seen(perceptions) : original.apply(this, args);
    };
    try {
      const running = await attentionTransfer.start(graph.createNode('attention_transfer'), { print: () => undefined });
      const attentions: VisualAttention[] = [];
      const outside = graph.createNode('outside');
      outside.createSubscription('h2r_interfaces/msg/VisualAttention', 'attention/visual', (m) => attentions.push(m));
      const camera = outside.createPublisher('sensor_msgs/msg/Image', 'camera/image');
      const voice = outside.createPublisher('std_msgs/msg/Bool', 'voice_activity');
      const reminders = outside.createPublisher('h2r_interfaces/msg/LanguageAttention', 'attention/language');
      const execution = outside.createPublisher('h2r_interfaces/msg/ExecutionState', 'execution/state');
      const situation = sampleSituation(900_000_003);
      const send = async (publish: () => void) => {
        publish();
        await graph.spinUntilIdle();
      };
      await run({
        frame: (sec) => send(() => camera.publish(imageMessage(situation.frame.rgb, situation.frame.width, situation.frame.height, { stamp: stamp(sec), frame_id: 'camera' }))),
        voice: (active) => send(() => voice.publish({ data: active })),
        say: (sec, fields) => send(() => reminders.publish({ ...language(sec), ...fields })),
        state: (state) => send(() => execution.publish({ ...createMessage('h2r_interfaces/msg/ExecutionState'), ...state })),
        perceptions: () => perceptions,
        attentions,
        graph,
      });
      await running.stop();
    } finally {
      VisualStage.prototype.perceiveFrame = original;
      await graph.shutdown();
    }
  }

  it('runs perception on the int16 kernels unless told not to, and says which in its log', async () => {
    for (const [args, expected] of [[[], /perception int16 wasm kernels/], [['--ros-args', '-p', 'int16_perception:=false'], /perception tfjs float/]] as const) {
      const logs = captureLogs();
      const graph = new EmbeddedGraph({ clock: 'manual', logSink: logs.sink });
      try {
        const running = await attentionTransfer.start(graph.createNode('attention_transfer', { arguments: args }), { print: () => undefined });
        assert.ok(logs.lines.some((line) => expected.test(line)), logs.lines.join('\n'));
        await running.stop();
      } finally {
        await graph.shutdown();
      }
    }
  });

  it('perceives frames only when a reminder needs one, and then once', async () => {
    await withNode(async (io) => {
      await io.frame(0);
      await io.frame(0);
      assert.equal(io.perceptions(), 0, 'no one is speaking: frames are only kept');
      await io.say(0);
      assert.equal(io.perceptions(), 1);
      await io.say(0);
      assert.equal(io.perceptions(), 1, 'a second reminder on the same frame reuses its perception');
      assert.equal(io.attentions.length, 2);
    });
  });

  it('perceives while the person speaks, so the reminder is only grounded when it arrives, with the same attention', async () => {
    let lazy: VisualAttention | null = null;
    await withNode(async (io) => {
      await io.frame(0);
      await io.say(0);
      lazy = io.attentions[0];
    });
    await withNode(async (io) => {
      await io.frame(0);
      await io.voice(true);
      assert.equal(io.perceptions(), 1, 'the latest frame is perceived as the voice starts');
      await io.frame(0);
      assert.equal(io.perceptions(), 2, 'and each new frame as it arrives');
      await io.voice(false);
      await io.frame(0);
      assert.equal(io.perceptions(), 3, 'still, while the reminder is being recognised');
      await io.say(0);
      assert.equal(io.perceptions(), 3, 'the reminder found its frame perceived');
      await io.frame(0);
      assert.equal(io.perceptions(), 3, 'the reminder came: frames are only kept again');
      const early = io.attentions[0];
      assert.ok(lazy);
      assert.equal(early.attended_object, (lazy as VisualAttention).attended_object);
      assert.equal(early.confidence, (lazy as VisualAttention).confidence);
    });
  });

  it('stamps attention on a cup hidden under the arm with the frame it was last seen in', async () => {
    const cells = (first: number) => Int32Array.from({ length: 12 }, (_, i) => first + i);
    const cup = { ...thing(0, 'cup', 'red', 0.1, 0.1), u: 100, v: 120, cells: cells(600) };
    const pitcher = { ...thing(1, 'pitcher', 'white', -0.1, 0), u: 200, v: 120, cells: cells(640) };
    const covered = new Uint8Array(40 * 30);
    covered.fill(1, 600, 612);
    covered.fill(1, 640, 652);
    // Three frames show the cup; in the fourth the arm stands over it (its cells are covered, no cup is seen).
    const seen = (n: number): PerceivedFrame => ({ instances: n <= 3 ? [cup, pitcher] : [{ ...pitcher, index: 0 }], covered });
    await withNode(async (io) => {
      await io.voice(true);
      for (const sec of [1.1, 1.2, 1.3, 1.4]) await io.frame(sec);
      await io.voice(false);
      await io.say(1.5);
      assert.equal(io.perceptions(), 4);
      assert.equal(io.attentions.length, 1);
      assert.deepEqual(io.attentions[0].header.stamp, stamp(1.3), 'grounded on the cup where it was last seen');
      assert.ok(Math.abs(io.attentions[0].u - 100) < 8 && Math.abs(io.attentions[0].v - 120) < 8, `attended at (${io.attentions[0].u}, ${io.attentions[0].v})`);
    }, seen);
  });

  it('settles words that fit two mugs alike on the one the task is for, unless the robot carries it', async () => {
    const camera = tableCamera(robotCamera());
    const mugAt = (index: number, y: number) => {
      const pixel = camera.project(0.1, y, 0);
      assert.ok(pixel);
      return { ...thing(index, 'mug', 'yellow', 0.1, y, 'empty'), u: pixel.u, v: pixel.v, cells: Int32Array.of(300 + 10 * index, 301 + 10 * index) };
    };
    const [left, right] = [mugAt(0, 0.2), mugAt(1, -0.2)];
    const seen = (): PerceivedFrame => ({ instances: [left, right], covered: new Uint8Array(40 * 30) });
    const mug = { ...createMessage('h2r_interfaces/msg/ObjectDescription'), kind: 'mug' };
    const pourIntoTheMug = { mistake_type: 'wrong_action', action: 'pour', target: mug, reminder_text: 'pour it into the mug' };
    const handingOver = { episode_id: 'kitchen-1', action: 'transport', status: 'running', held_object: 'pitcher_1', plan: ['hand_over'], task_object: 'mug_2', task_point: { x: 0.1, y: -0.2, z: 0 } };
    await withNode(async (io) => {
      await io.state(handingOver);
      await io.frame(1);
      await io.say(1, pourIntoTheMug);
      await io.state({ ...handingOver, held_object: 'mug_2' });
      await io.frame(2);
      await io.say(2, pourIntoTheMug);
      assert.ok(Math.hypot(io.attentions[0].u - right.u, io.attentions[0].v - right.v) < 8, `the mug the task is for (attended at ${io.attentions[0].u}, ${io.attentions[0].v})`);
      assert.ok(io.attentions[1].confidence < io.attentions[0].confidence - 0.2, 'carried, it is no more likely than the other');
    }, seen);
  });

  it('keeps the aim of a robot halted to ask: what it pours from is still no answer', async () => {
    const hand = { x: 0.05, y: -0.1, z: 0.2 };
    const atHand = tableCamera(robotCamera()).project(hand.x, hand.y, hand.z);
    assert.ok(atHand);
    // A red cup poured from, in the gripper, and a white one on the table.
    const pouredFrom = { ...thing(0, 'cup', 'red', hand.x, hand.y), u: atHand.u, v: atHand.v, cells: Int32Array.of(1, 2, 3) };
    const onTable = { ...thing(1, 'cup', 'white', 0.1, 0.2), u: 60, v: 60, cells: Int32Array.of(300, 301, 302) };
    const seen = (): PerceivedFrame => ({ instances: [pouredFrom, onTable], covered: new Uint8Array(40 * 30) });
    const target = { ...createMessage('h2r_interfaces/msg/ObjectDescription'), kind: 'cup', colour: 'red' };
    const aboutToPour = { episode_id: 'kitchen-1', action: 'transport', status: 'running', held_object: 'cup_9', plan: ['pour', 'hand_over'], end_effector: { position: hand, orientation: { x: 0, y: 0, z: 0, w: 1 } } };
    await withNode(async (io) => {
      await io.state(aboutToPour);
      await io.frame(1);
      await io.say(1, { target });
      await io.state({ ...aboutToPour, action: 'idle', status: 'halted', plan: [] });
      await io.frame(2);
      await io.say(2, { target });
      await io.state({ ...aboutToPour, action: 'place', plan: ['retreat'] });
      await io.frame(3);
      await io.say(3, { target });
      const near = (a: VisualAttention, u: number, v: number) => Math.hypot(a.u - u, a.v - v) < 8;
      assert.ok(near(io.attentions[0], 60, 60), 'about to pour: not the cup it pours from');
      assert.ok(near(io.attentions[1], 60, 60), 'halted: still not the cup it pours from');
      assert.ok(near(io.attentions[2], atHand.u, atHand.v), 'no pour coming: the red cup it holds');
    }, seen);
  });
});
