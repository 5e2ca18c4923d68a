/**
 * attention_transfer: the second stage of the stacked network on the graph. Keeps the latest camera
 * frame; when a language attention arrives it grounds it in that frame and publishes visual
 * attention (heatmap, peak, table point, confidence). Low confidence is said in the message, not
 * guessed past. Perceiving a frame is most of the stage's work, so it is done while the person is
 * still speaking (voice_activity true, and until the reminder arrives): each frame as it comes,
 * once however many reminders use it; a reminder nobody was heard saying perceives its frame
 * itself. Objects are followed through the frames perceived while one reminder is spoken, and
 * the frame it is grounded on sees each object's kind, state and colour pooled over its track
 * (PerceptionMemory).
 * Wiring only; the stage is models/visual.
 */
import { QosProfiles, type GraphNode } from '../graph/api';
import type { Header, LanguageAttention } from '../graph/messages';
import { declareParameters, type NodeDefinition, type ParameterSchema } from '../graph/node-definition';
import { DEFAULT_CAMERA_POSITION, DEFAULT_FOV_Y_DEG, DEFAULT_LOOK_AT, makeCamera } from '../sim/camera';
import { tableCamera } from '../models/visual/camera-preset';
import { frameFromImage, visualAttentionMessage } from '../models/visual/attention-message';
import { heldInstances, namesAnotherOfWhatIsHeld } from '../models/visual/attention-stage';
import type { CameraFrame } from '../models/visual/perception';
import type { PerceivedInstance, TableCamera } from '../models/visual/instances';
import { meaningFromMessage } from '../models/visual/meaning-message';
import { DEFAULT_PERCEPTION_MEMORY, PerceptionMemory } from '../models/visual/perception-memory';
import { perceivedViewers } from '../models/visual/viewers';
import { VisualStage, DEFAULT_VISUAL_MODEL_DIR } from '../models/visual/visual-stage';
import type { Viewers, PlanePoint } from '../semantics/spatial';
import type { RobotContext } from '../models/visual/grounding-features';
import { SpeechWindow } from '../models/visual/speech-window';

const vector = (p: { x: number; y: number; z: number }) => [p.x, p.y, p.z];

const parameters = {
  model_dir: { defaultValue: '', descriptor: { type: 'string', description: 'Directory of the visual stage (perception/, scorer/, place.json); empty for the committed models/visual', readOnly: true } },
  int16_perception: { defaultValue: true, descriptor: { type: 'bool', description: 'Run the perception networks on the int16 WebAssembly kernels where the model directory has their calibrated ranges (false: the float networks on tfjs)', readOnly: true } },
  confidence_threshold: { defaultValue: 0.5, descriptor: { type: 'double', description: 'Below this the attention is marked low-confidence so the monitor asks instead of acting', range: { from: 0, to: 1 } } },
  image_width: { defaultValue: 320, descriptor: { type: 'integer', description: 'Camera image width the stage expects, pixels (divisible by 8)', range: { from: 8, to: 4096 }, readOnly: true } },
  image_height: { defaultValue: 240, descriptor: { type: 'integer', description: 'Camera image height the stage expects, pixels (divisible by 8)', range: { from: 8, to: 4096 }, readOnly: true } },
  fov_deg: { defaultValue: DEFAULT_FOV_Y_DEG, descriptor: { type: 'double', description: 'Vertical field of view of the camera, degrees', range: { from: 20, to: 120 }, readOnly: true } },
  camera_position: { defaultValue: vector(DEFAULT_CAMERA_POSITION), descriptor: { type: 'double_array', description: 'Camera centre in the world frame, metres [x, y, z]', readOnly: true } },
  camera_look_at: { defaultValue: vector(DEFAULT_LOOK_AT), descriptor: { type: 'double_array', description: 'World point the camera looks at, metres [x, y, z]', readOnly: true } },
  person_seat: { defaultValue: [0.65, 0], descriptor: { type: 'double_array', description: 'Where the person sits when not seen, metres [x, y]', readOnly: true } },
  max_frame_age_ms: { defaultValue: 1000, descriptor: { type: 'integer', description: 'A language attention waits at most this long for a camera frame', range: { from: 0, to: 60000 } } },
  perceive_while_speaking: { defaultValue: true, descriptor: { type: 'bool', description: 'Perceive camera frames while voice_activity says the person speaks, so a reminder only has to be grounded' } },
  speech_wait_ms: { defaultValue: 3000, descriptor: { type: 'integer', description: 'After the voice stops, frames are perceived this long while the reminder is being recognised', range: { from: 0, to: 60000 } } },
  pool_speech_frames: { defaultValue: true, descriptor: { type: 'bool', description: "Pool each object's kind, state and colour over the frames perceived while the reminder was spoken" } },
  pool_match_m: { defaultValue: DEFAULT_PERCEPTION_MEMORY.matchDistance, descriptor: { type: 'double', description: 'An object is followed from frame to frame if it moved less than this on the table, metres', range: { from: 0.001, to: 1 }, readOnly: true } },
  recall_hidden_ms: { defaultValue: DEFAULT_PERCEPTION_MEMORY.recallMs, descriptor: { type: 'integer', description: 'A still object hidden now (under the arm) but seen steadily until this long ago stays a candidate, ms (0: never)', range: { from: 0, to: 10000 }, readOnly: true } },
  max_speech_ms: { defaultValue: 20000, descriptor: { type: 'integer', description: 'Voice activity longer than this (a stuck detector) stops the early perception', range: { from: 0, to: 600000 } } },
} as const satisfies ParameterSchema;

interface LatestFrame {
  readonly header: Header;
  readonly frame: CameraFrame;
  /** Filled the first time a reminder needs it. */
  perceived: { readonly instances: PerceivedInstance[]; readonly viewers: Viewers } | null;
}

function point3(values: readonly number[], name: string): { x: number; y: number; z: number } {
  if (values.length !== 3 || !values.every(Number.isFinite)) throw new Error(`parameter '${name}' needs three finite numbers, got [${values.join(', ')}]`);
  return { x: values[0], y: values[1], z: values[2] };
}

export const attentionTransfer: NodeDefinition = {
  executable: 'attention_transfer',
  defaultName: 'attention_transfer',
  description: 'Maps language attention onto the camera image: visual attention heatmap, attended point, confidence',
  parameters,

  async start(node: GraphNode) {
    const p = { ...declareParameters(node, parameters) };
    node.onParameterChanged((name, value) => {
      if (name === 'confidence_threshold' && typeof value === 'number') p.confidence_threshold = value;
      if (name === 'max_frame_age_ms' && typeof value === 'number') p.max_frame_age_ms = value;
      if (name === 'perceive_while_speaking' && typeof value === 'boolean') p.perceive_while_speaking = value;
      if (name === 'speech_wait_ms' && typeof value === 'number') p.speech_wait_ms = value;
      if (name === 'max_speech_ms' && typeof value === 'number') p.max_speech_ms = value;
      if (name === 'pool_speech_frames' && typeof value === 'boolean') p.pool_speech_frames = value;
    });
    if (p.image_width % 8 !== 0 || p.image_height % 8 !== 0) throw new Error(`parameters 'image_width'/'image_height' must divide by 8, got ${p.image_width}x${p.image_height}`);
    if (p.person_seat.length !== 2) throw new Error(`parameter 'person_seat' needs two numbers [x, y]`);
    const camera: TableCamera = tableCamera(
      makeCamera({ width: p.image_width, height: p.image_height, fovYDeg: p.fov_deg, position: point3(p.camera_position, 'camera_position'), lookAt: point3(p.camera_look_at, 'camera_look_at') }),
    );
    const directory = p.model_dir === '' ? DEFAULT_VISUAL_MODEL_DIR : p.model_dir;
    const stage = await VisualStage.load(directory, { int16: p.int16_perception });
    node.logger.info(`visual stage loaded from ${directory} (backend ${stage.runtime.backend}; perception ${stage.perceptionKernels})`);
    const seat: PlanePoint = { x: p.person_seat[0], y: p.person_seat[1] };
    const publisher = node.createPublisher('h2r_interfaces/msg/VisualAttention', 'attention/visual', QosProfiles.standard);
    let latest: LatestFrame | null = null;
    let robot: RobotContext = { currentTarget: null, holding: false, pouring: false, hand: null, task: null };
    let waiting: LanguageAttention[] = [];

    const memory = new PerceptionMemory(camera, { ...DEFAULT_PERCEPTION_MEMORY, matchDistance: p.pool_match_m, recallMs: p.recall_hidden_ms });
    const stampMs = (stamp: Header['stamp']) => stamp.sec * 1000 + stamp.nanosec / 1e6;
    // Headers of recently perceived frames: attention on an object hidden now is stamped with the frame it was seen in.
    const headers = new Map<number, Header>();
    const perceived = (seen: LatestFrame): NonNullable<LatestFrame['perceived']> => {
      if (!seen.perceived) {
        const { instances, covered } = stage.perceiveFrame(seen.frame, { camera });
        seen.perceived = { instances, viewers: perceivedViewers(instances, camera, seat) };
        memory.remember(stampMs(seen.header.stamp), instances, heldInstances(instances, camera, robot.hand), covered);
        headers.set(stampMs(seen.header.stamp), seen.header);
        if (headers.size > 32) headers.delete(headers.keys().next().value as number);
      }
      return seen.perceived;
    };
    const speech = new SpeechWindow();
    let voiceOn = false;
    const nowMs = () => stampMs(node.now());
    const perceiveEarly = (): boolean =>
      p.perceive_while_speaking && speech.expectsReminder(nowMs(), { waitMs: p.speech_wait_ms, maxSpeechMs: p.max_speech_ms });

    const ground = (language: LanguageAttention, seen: LatestFrame): void => {
      let meaning;
      try {
        meaning = meaningFromMessage(language);
      } catch (error) {
        node.logger.warn(`language attention dropped: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      const seenNow = perceived(seen);
      const instances = p.pool_speech_frames ? memory.pooled(stampMs(seen.header.stamp), seenNow.instances) : seenNow.instances;
      const viewers = seenNow.viewers;
      const result = stage.ground(seen.frame, instances, meaning, { camera, viewers, robot });
      const said = namesAnotherOfWhatIsHeld(meaning, result, seenNow.instances, { camera, robot }) ? { ...meaning, mistake: 'wrong_object' as const } : meaning;
      const recalledFrom = result.attended >= 0 ? result.instances[result.attended].recalledFrom : undefined;
      const header = (recalledFrom !== undefined && headers.get(recalledFrom)) || seen.header;
      publisher.publish(visualAttentionMessage(result, header, language.header.stamp, said, p.confidence_threshold));
    };

    node.createSubscription('sensor_msgs/msg/Image', 'camera/image', (image) => {
      const frame = frameFromImage(image, p.image_width, p.image_height);
      if (typeof frame === 'string') {
        node.logger.warn(`camera frame dropped: ${frame}`);
        return;
      }
      latest = { header: image.header, frame, perceived: null };
      if (perceiveEarly()) perceived(latest);
      const pending = waiting;
      waiting = [];
      for (const language of pending) ground(language, latest);
    }, QosProfiles.sensorData);

    node.createSubscription('h2r_interfaces/msg/ExecutionState', 'execution/state', (state) => {
      const over = state.status === 'succeeded' || state.status === 'failed' || state.status === 'interrupted';
      const holding = state.held_object !== '';
      // A robot halted to ask a question still means to do what it was doing: the answer is
      // about that (the cup it was about to pour into), so its aim stays that of before the halt.
      if (state.status === 'halted' && holding === robot.holding) {
        robot = { ...robot, hand: holding ? { ...state.end_effector.position } : null };
        return;
      }
      const idle = over || state.action === 'idle' || state.action === 'done';
      robot = {
        currentTarget: idle ? null : { x: state.target_point.x, y: state.target_point.y },
        holding,
        pouring: holding && (state.action === 'pour' || state.plan.includes('pour')),
        hand: holding ? { ...state.end_effector.position } : null,
        // What the robot carries stands nowhere to be pointed at: the point is then the gripper's.
        task: over || state.task_object === '' || state.task_object === state.held_object ? null : { x: state.task_point.x, y: state.task_point.y },
      };
    }, QosProfiles.sensorData);

    node.createSubscription('std_msgs/msg/Bool', 'voice_activity', (activity) => {
      // A new reminder begins: what was seen while the last one was spoken is another moment.
      if (activity.data && !voiceOn) memory.clear();
      voiceOn = activity.data;
      if (activity.data) speech.started(nowMs());
      else speech.stopped(nowMs());
      if (latest && perceiveEarly()) perceived(latest);
    }, QosProfiles.standard);

    node.createSubscription('h2r_interfaces/msg/LanguageAttention', 'attention/language', (language) => {
      speech.reminderArrived();
      const now = node.now();
      const ageMs = latest ? (now.sec - latest.header.stamp.sec) * 1000 + (now.nanosec - latest.header.stamp.nanosec) / 1e6 : Infinity;
      if (latest && ageMs <= p.max_frame_age_ms) ground(language, latest);
      else waiting.push(language);
    }, QosProfiles.standard);

    return {
      stop() {
        waiting = [];
      },
    };
  },
};
