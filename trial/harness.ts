/**
 * `h2r trial`: episodes run through the suite's own nodes (simulator, reminder parser, attention
 * transfer, execution monitor) on the embedded graph in lock-step simulated time, with a simulated
 * person (trial/person.ts) speaking held-out reminders. Each step the clock advances by one
 * simulation step and every callback it causes runs to completion, so a reminder's correction
 * lands in the step the person finished speaking in; its wall-clock latency, from the whole
 * reminder's text to the correction, is measured and reported beside (it must stay well under one
 * step for that to be fair). While the person speaks, voice activity is on (as a microphone's
 * detector would report it), and the attention node perceives the camera frames then.
 */
import { performance } from 'perf_hooks';
import { QosProfiles } from '../graph/api';
import { captureLogs } from '../graph/logging';
import { createGraph } from '../graph/create-graph';
import type { EmbeddedGraph } from '../graph/embedded';
import { Correction, type Correction as CorrectionMessage, type VisualAttention, type WorldState } from '../graph/messages';
import type { NodeDefinition, RunningNode } from '../graph/node-definition';
import { attentionTransfer } from '../nodes/attention_transfer';
import { executionMonitor } from '../nodes/execution_monitor';
import { reminderParser } from '../nodes/reminder_parser';
import { simulator } from '../nodes/simulator';
import { MISTAKE_TYPES, type MistakeTruth, type MistakeType, type RobotAction, type Scenario } from '../sim/types';
import { trialReport, type EpisodeRecord, type TrialReport } from './metrics';
import { SimulatedPerson, episodeStartFromTruth, type EpisodeStart, type WorldView } from './person';

export interface TrialOptions {
  readonly scenario: Scenario;
  readonly episodes: number;
  readonly seed: number;
  readonly stepMs?: number;
  /** Extra `name:=value` parameters per node executable (e.g. simulator backend, model paths). */
  readonly parameters?: Readonly<Record<string, readonly string[]>>;
  /** A halted robot nobody answers any more ends its episode after this long, s. */
  readonly haltGiveUpS?: number;
  readonly onEpisode?: (record: EpisodeRecord, index: number) => void;
}

const NODES: readonly NodeDefinition[] = [simulator, reminderParser, attentionTransfer, executionMonitor];

/** Which mistake episode i gets: every type, and normal episodes, equally often, in turn. */
export function mistakeOf(index: number): MistakeType {
  return MISTAKE_TYPES[index % MISTAKE_TYPES.length];
}

function judgeAttention(truth: MistakeTruth, attention: VisualAttention): boolean {
  if (truth.target !== null) return attention.attended_object === truth.target;
  if (!truth.region) return false;
  const { centre, radius } = truth.region;
  return Math.hypot(attention.attended_point.x - centre.x, attention.attended_point.y - centre.y) <= radius;
}

const stampKey = (s: { sec: number; nanosec: number }) => `${s.sec}.${s.nanosec}`;

/** A correction as one line of a trial record: "retarget glass_2", "move_region (0.12, -0.30)", "halt". */
export function describeCorrection(correction: CorrectionMessage): string {
  const point = `(${correction.point.x.toFixed(2)}, ${correction.point.y.toFixed(2)})`;
  switch (correction.kind) {
    case Correction.RETARGET: return `retarget ${correction.target_object}`;
    case Correction.MOVE_REGION: return `move_region ${point}${correction.target_object ? ` ${correction.target_object}` : ''}`;
    case Correction.ADJUST_POSE: return `adjust_pose ${correction.grasp}`;
    case Correction.CHANGE_ACTION: return `change_action ${correction.action}`;
    case Correction.HALT: return 'halt';
    case Correction.RESUME: return 'resume';
    default: return `kind ${correction.kind}`;
  }
}

export async function runTrial(options: TrialOptions): Promise<{ report: TrialReport; records: EpisodeRecord[] }> {
  const stepMs = options.stepMs ?? 50;
  const logs = captureLogs();
  const graph: EmbeddedGraph = await createGraph('embedded', { clock: 'manual', logSink: logs.sink });
  const running: RunningNode[] = [];
  try {
    const extra = options.parameters ?? {};
    const simulatorArgs = [`scenario:=${options.scenario}`, 'auto_start:=false', `step_ms:=${stepMs}`, ...(extra['simulator'] ?? [])];
    for (const definition of NODES) {
      const own = definition === simulator ? simulatorArgs : [...(extra[definition.executable] ?? [])];
      const node = graph.createNode(definition.defaultName, { arguments: ['--ros-args', ...own.flatMap((p) => ['-p', p])] });
      running.push(await definition.start(node, { print: () => undefined }));
    }
    const person = new SimulatedPerson(options.seed);
    const harness = graph.createNode('trial_person');
    const reminders = harness.createPublisher('h2r_interfaces/msg/Reminder', 'reminder');
    // What a microphone's voice activity detector reports: the person has started or stopped speaking.
    const voiceActivity = harness.createPublisher('std_msgs/msg/Bool', 'voice_activity');
    const start = harness.createClient('h2r_interfaces/srv/StartEpisode', 'episode/start');

    let record: EpisodeRecord | null = null;
    let begun: EpisodeStart | null = null;
    let world: WorldState | null = null;
    let action: RobotAction = 'idle';
    let status = 'running';
    let firstReminder: string | null = null;
    const spokenAt = new Map<string, number>();
    const answered = new Set<string>();
    harness.createSubscription('h2r_interfaces/msg/EpisodeEvent', 'episode/events', (event) => {
      if (event.event === 'started') {
        begun = episodeStartFromTruth(event.truth_json);
        person.episodeStarted(begun);
      }
      if (!record || event.episode_id !== record.episodeId) return;
      if (event.event === 'succeeded' || event.event === 'failed') {
        record.outcome = event.event;
        record.failure = event.failure;
      } else if (event.event === 'interrupted') {
        // Only a lost simulator link leaves an episode unscored; one given up on is not a success.
        record.outcome = /link|connection|disconnect/i.test(event.detail) ? 'interrupted' : 'halted';
        record.failure = event.detail;
      }
    });
    harness.createSubscription('h2r_interfaces/msg/Correction', 'execution/correction', (correction) => {
      if (!record) return;
      const key = stampKey(correction.reminder_stamp);
      const t0 = spokenAt.get(key);
      if (t0 !== undefined && !answered.has(key)) {
        answered.add(key);
        record.latenciesMs.push(performance.now() - t0);
      }
      record.corrections++;
      if (record.firstCorrectionAt === null) record.firstCorrectionAt = world?.time ?? null;
      record.correctionsSent.push({ at: world?.time ?? null, what: describeCorrection(correction) });
    });
    harness.createSubscription('std_msgs/msg/String', 'monitor/question', () => {
      if (!record) return;
      record.questions++;
      person.heardQuestion(world?.time ?? 0);
    });
    harness.createSubscription('h2r_interfaces/msg/VisualAttention', 'attention/grounded', (attention) => {
      if (!record || !begun || record.attention || firstReminder !== stampKey(attention.reminder_stamp)) return;
      const attended = attention.attended_object || `(${attention.attended_point.x.toFixed(2)}, ${attention.attended_point.y.toFixed(2)})`;
      record.attention = { attended, correct: judgeAttention(begun.truth, attention) };
    });
    harness.createSubscription('h2r_interfaces/msg/ExecutionState', 'execution/state', (state) => {
      action = state.action as RobotAction;
      status = state.status;
    }, QosProfiles.sensorData);
    harness.createSubscription('h2r_interfaces/msg/WorldState', 'episode/world', (state) => {
      world = state;
    }, QosProfiles.sensorData);

    const records: EpisodeRecord[] = [];
    const giveUp = options.haltGiveUpS ?? 6;
    for (let index = 0; index < options.episodes; index++) {
      const mistake = mistakeOf(index);
      let response = null;
      let seed = options.seed + index;
      begun = null;
      for (let attempt = 0; attempt < 50; attempt++, seed += 100_000) {
        response = await start.call({ scenario: options.scenario, seed, mistake, scene_json: '' }, 30_000);
        if (response.accepted) break;
      }
      if (!response?.accepted) throw new Error(`no ${options.scenario} episode with mistake ${mistake} could be started near seed ${options.seed + index}: ${response?.message}`);
      await graph.spinUntilIdle();
      const started = begun as EpisodeStart | null;
      if (!started || started.episodeId !== response.episode_id) throw new Error(`episode ${response.episode_id} started but its 'started' event never arrived`);
      const current: EpisodeRecord = {
        episodeId: response.episode_id, seed, mistake, outcome: 'unfinished', failure: '', attention: null, corrections: 0,
        firstCorrectionAt: null, pointOfNoReturnAt: mistake === 'none' ? null : started.pointOfNoReturnAt, questions: 0, texts: [], latenciesMs: [], correctionsSent: [],
      };
      record = current;
      firstReminder = null;
      spokenAt.clear();
      answered.clear();
      status = 'running';
      let haltedSince: number | null = null;
      while (current.outcome === 'unfinished') {
        await graph.advance(stepMs);
        const now = world ? (world as WorldState).time : 0;
        const view: WorldView = world
          ? { person: { x: (world as WorldState).person.x, y: (world as WorldState).person.y }, positions: new Map((world as WorldState).objects.map((o) => [o.id, { x: o.position.x, y: o.position.y }])) }
          : { person: { x: 0.65, y: 0 }, positions: new Map() };
        // The person starts and finishes speaking at the step boundaries nearest to those moments.
        const said = person.step(now + stepMs / 2000, view, action);
        if (said.startedSpeaking) {
          voiceActivity.publish({ data: true });
          await graph.spinUntilIdle();
        }
        if (said.finished) {
          voiceActivity.publish({ data: false });
          const message = { header: { stamp: harness.now(), frame_id: '' }, text: said.finished.text, source: 'corpus', speaker: 'trial', word_confidences: [] };
          const key = stampKey(message.header.stamp);
          if (firstReminder === null) firstReminder = key;
          current.texts.push(said.finished.text);
          spokenAt.set(key, performance.now());
          reminders.publish(message);
          await graph.spinUntilIdle();
        }
        haltedSince = status === 'halted' ? haltedSince ?? now : null;
        if (haltedSince !== null && now - haltedSince > giveUp) current.outcome = 'halted';
      }
      if (person.isSpeaking) {
        // The episode ended mid-sentence: the voice stops with it.
        voiceActivity.publish({ data: false });
        await graph.spinUntilIdle();
      }
      records.push(current);
      options.onEpisode?.(current, index);
    }
    return { report: trialReport(options.scenario, options.seed, records), records };
  } finally {
    for (const node of [...running].reverse()) await node.stop();
    await graph.shutdown();
    if (process.env['H2R_TRIAL_LOGS']) process.stderr.write(`${logs.lines.join('\n')}\n`);
  }
}
