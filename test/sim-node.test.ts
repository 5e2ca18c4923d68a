import { strict as assert } from 'node:assert';
import { EmbeddedGraph } from '../graph/embedded';
import { captureLogs } from '../graph/logging';
import { createMessage } from '../graph/message-validation';
import { Correction, type EpisodeEvent } from '../graph/messages';
import { QosProfiles } from '../graph/api';
import { simulator } from '../nodes/simulator';
import { startSimulatorOnGraph } from './support/sim-node-fixtures';
import { makeCamera, project } from '../sim/camera';
import type { EpisodeTruthJson } from '../sim/backend';
import { CORRECTION_KIND } from '../sim/ros-messages';

const startSimulator = (parameters: readonly string[]) => startSimulatorOnGraph(parameters);

const truthOf = (e: EpisodeEvent): EpisodeTruthJson => JSON.parse(e.truth_json) as EpisodeTruthJson;

describe('simulator node', () => {
  it('publishes camera images, execution state and events with the truth, on the graph clock', async () => {
    const s = await startSimulator(['scenario:=factory', 'seed:=2', 'mistake:=wrong_region', 'image_width:=64', 'image_height:=48', 'camera_rate_hz:=5']);
    try {
      await s.graph.advance(2000);
      assert.ok(s.images.length >= 9 && s.images.length <= 11, `${s.images.length} images in 2 s at 5 Hz`);
      const img = s.images[0]!;
      assert.deepEqual([img.width, img.height, img.encoding, img.step, img.data.length], [64, 48, 'rgb8', 192, 64 * 48 * 3]);
      assert.equal(img.header.frame_id, 'camera');
      assert.equal(s.states.at(-1)?.episode_id, 'factory-2-wrong_region');
      assert.equal(s.events[0]?.event, 'started');
      const truth = truthOf(s.events[0]!);
      assert.equal(truth.mistake.type, 'wrong_region');
      assert.equal(truth.mistake.failure, 'wrong_bin');
      assert.equal((truth.scene as { scenario: string }).scenario, 'factory');
      await s.graph.advance(20000);
      assert.deepEqual(s.events.map((e) => e.event).slice(0, 4), ['started', 'mistake_visible', 'point_of_no_return', 'failed']);
      assert.equal(s.events[3]?.failure, 'wrong_bin');
    } finally {
      await s.running.stop();
      await s.graph.shutdown();
    }
  });

  it("applies a correction published on execution/correction and the episode is saved", async () => {
    const s = await startSimulator(['scenario:=tabletop', 'seed:=4', 'mistake:=wrong_object', 'auto_start:=true', 'episodes:=1']);
    try {
      const truth = truthOf(s.events[0]!);
      assert.equal(truth.mistake.correction?.kind, 'retarget');
      await s.graph.advance(Math.round(((truth.visibleAt as number) + 0.2) * 1000));
      const fix = createMessage('h2r_interfaces/msg/Correction');
      fix.kind = Correction.RETARGET;
      fix.target_object = truth.mistake.target as string;
      fix.episode_id = truth.episodeId;
      fix.reason = 'no, the other block';
      s.probe.createPublisher('h2r_interfaces/msg/Correction', 'execution/correction', QosProfiles.standard).publish(fix);
      await s.graph.advance(20000);
      const kinds = s.events.map((e) => e.event);
      assert.ok(kinds.includes('correction_applied'), kinds.join(' '));
      assert.equal(kinds.at(-1), 'succeeded', kinds.join(' '));
    } finally {
      await s.running.stop();
      await s.graph.shutdown();
    }
  });

  it('drops malformed corrections and attention with a logged reason and keeps running', async () => {
    const s = await startSimulator(['scenario:=kitchen', 'seed:=1', 'mistake:=none']);
    try {
      const pub = s.probe.createPublisher('h2r_interfaces/msg/Correction', 'execution/correction', QosProfiles.standard);
      const bad = createMessage('h2r_interfaces/msg/Correction');
      bad.kind = 7;
      pub.publish(bad);
      const other = createMessage('h2r_interfaces/msg/Correction');
      other.kind = CORRECTION_KIND.HALT;
      other.episode_id = 'factory-99-none';
      pub.publish(other);
      const att = createMessage('h2r_interfaces/msg/VisualAttention');
      att.header.stamp = { sec: 123, nanosec: 0 };
      s.probe.createPublisher('h2r_interfaces/msg/VisualAttention', 'attention/visual', QosProfiles.standard).publish(att);
      await s.graph.advance(1000);
      const warnings = s.logs.lines.filter((l) => l.includes('[WARN]')).join('\n');
      assert.match(warnings, /correction dropped: unknown correction kind 7 \(expected 0\.\.5\)/);
      assert.match(warnings, /correction dropped: it is for episode 'factory-99-none', running is 'kitchen-1-none'/);
      assert.match(warnings, /attention dropped: no recent camera frame has stamp 123\.0/);
      assert.equal(s.states.at(-1)?.status, 'running');
    } finally {
      await s.running.stop();
      await s.graph.shutdown();
    }
  });

  it('grounds visual attention on the object under the heat, using the mask of the frame it refers to', async () => {
    const s = await startSimulator(['scenario:=tabletop', 'seed:=8', 'mistake:=none', 'image_width:=96', 'image_height:=72']);
    try {
      await s.graph.advance(150);
      const image = s.images.at(-1)!;
      const truth = truthOf(s.events[0]!);
      const objects = (truth.scene as { objects: { id: string; position: { x: number; y: number; z: number }; size: number[] }[] }).objects;
      const block = objects.reduce((a, b) => (b.position.x > a.position.x ? b : a));
      const camera = makeCamera({ width: 96, height: 72 });
      const px = project(camera, { x: block.position.x, y: block.position.y, z: block.size[2]! / 2 })!;
      const heat = new Float32Array(96 * 72);
      heat[Math.floor(px.v) * 96 + Math.floor(px.u)] = 1;
      const att = createMessage('h2r_interfaces/msg/VisualAttention');
      att.header = image.header;
      att.heatmap = { header: image.header, width: 96, height: 72, encoding: '32FC1', is_bigendian: 0, step: 96 * 4, data: new Uint8Array(heat.buffer) };
      const pub = s.probe.createPublisher('h2r_interfaces/msg/VisualAttention', 'attention/visual', QosProfiles.standard);
      pub.publish(att);
      await s.graph.advance(10);
      assert.equal(s.grounded.length, 1);
      assert.equal(s.grounded[0]?.attended_object, block.id);
      assert.equal(s.grounded[0]?.heat_share, 1);
      const wrongSize = { ...att, heatmap: { ...att.heatmap, width: 48, height: 36, step: 192, data: new Uint8Array(48 * 36 * 4) } };
      pub.publish(wrongSize);
      await s.graph.advance(10);
      assert.equal(s.grounded.length, 1);
      assert.match(s.logs.lines.join('\n'), /attention dropped: heatmap is 48x36, the frame was 96x72/);
    } finally {
      await s.running.stop();
      await s.graph.shutdown();
    }
  });

  it('starts episodes through episode/start, also from a SCENE, and refuses bad requests', async () => {
    const s = await startSimulator(['auto_start:=false']);
    try {
      const client = s.probe.createClient('h2r_interfaces/srv/StartEpisode', 'episode/start');
      const ask = async (req: { scenario: string; seed: number; mistake: string; scene_json: string }) => {
        const pending = client.call(req, 5000);
        await s.graph.advance(10);
        return pending;
      };
      const scene = JSON.stringify({ scenario: 'tabletop', objects: [{ id: 'b1', kind: 'block', colour: 'red', state: 'none', position: [0.1, 0.1, 0], size: [0.05, 0.05, 0.05] }, { id: 'b2', kind: 'block', colour: 'blue', state: 'none', position: [0.2, -0.2, 0], size: [0.05, 0.05, 0.05] }] });
      const ok = await ask({ scenario: '', seed: 3, mistake: 'wrong_pose', scene_json: scene });
      assert.equal(ok.accepted, true, ok.message);
      assert.equal(ok.episode_id, 'tabletop-3-wrong_pose');
      const bad = await ask({ scenario: '', seed: 3, mistake: 'none', scene_json: '{"scenario":"tabletop","objects":[{"id":"b1","kind":"block","colour":"teal"}]}' });
      assert.equal(bad.accepted, false);
      assert.match(bad.message, /^scene_json: objects\[0\]\.colour: "teal" is not a colour/);
      const refused = await ask({ scenario: 'kitchen', seed: 0, mistake: 'sloppy', scene_json: '' });
      assert.equal(refused.accepted, false);
      assert.match(refused.message, /mistake 'sloppy' is not one of random, none/);
    } finally {
      await s.running.stop();
      await s.graph.shutdown();
    }
  });

  it('ends the running episode as interrupted when the node stops', async () => {
    const s = await startSimulator(['scenario:=kitchen', 'seed:=0', 'mistake:=none']);
    await s.graph.advance(500);
    await s.running.stop();
    await s.graph.spinUntilIdle();
    assert.equal(s.events.at(-1)?.event, 'interrupted');
    assert.match(s.events.at(-1)?.detail ?? '', /interrupted: the simulator node stopped/);
    await s.graph.shutdown();
  });

  it('refuses to start with a parameter out of range, naming it', async () => {
    const graph = new EmbeddedGraph({ clock: 'manual', logSink: captureLogs().sink });
    const node = graph.createNode('simulator', { arguments: ['--ros-args', '-p', 'image_width:=2'] });
    await assert.rejects(async () => simulator.start(node, { print: () => undefined }), /image_width/);
    await graph.shutdown();
  });
});
