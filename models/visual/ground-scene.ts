/**
 * Grounding a reminder in a described scene, the way `h2r ground` and `h2r bench nli` do it: the
 * scene is rendered with the simulator's camera (as the robot would see it), both stages run on
 * the image and the words (the nodes' code path), and the heat is resolved to an object with the
 * renderer's instance mask (the simulator bridge's job, done here in its place).
 */
import { ReminderParser, ReminderRejected, type ParseResult } from '../../language/parser';
import type { Meaning } from '../../semantics/meaning';
import { makeCamera, type CameraModel } from '../../sim/camera';
import { groundAttention } from '../../sim/grounding';
import { renderFrame, type Frame } from '../../sim/render';
import { isSource, type Scene } from '../../sim/world';
import type { PlanePoint } from '../../semantics/spatial';
import type { VisualAttentionResult } from './attention-stage';
import type { RobotContext } from './grounding-features';
import { NETWORK_IMAGE, tableCamera } from './camera-preset';
import type { PerceivedInstance, TableCamera } from './instances';
import { perceivedViewers } from './viewers';
import type { VisualStage } from './visual-stage';

export interface RenderedScene {
  readonly scene: Scene;
  readonly frame: Frame;
  readonly camera: TableCamera;
  readonly instances: PerceivedInstance[];
}

/** Renders a scene with the robot camera and perceives it once. */
export function renderAndPerceive(stage: VisualStage, scene: Scene, camera: CameraModel = makeCamera({ ...NETWORK_IMAGE })): RenderedScene {
  const frame = renderFrame(scene, null, camera);
  const table = tableCamera(camera);
  return { scene, frame, camera: table, instances: stage.perceive(frame, { camera: table }) };
}

export interface GroundedReminder {
  /** The object the heat falls on, or null (a place, or nothing seen). */
  readonly target: string | null;
  readonly mistake: Meaning['mistake'];
  readonly confidence: number;
  readonly point: PlanePoint;
  readonly heatShare: number;
  readonly parse: ParseResult;
  readonly attention: VisualAttentionResult;
}

/** Where the robot's current action is aimed, from the scene's robot activity. */
function currentTarget(scene: Scene): PlanePoint | null {
  const id = scene.robot.target;
  const object = id ? scene.objects.find((o) => o.id === id) : undefined;
  return object ? { x: object.position.x, y: object.position.y } : null;
}

/** The scene's robot as grounding sees it: holding a pitcher or bottle it has not handed over or put down is about to pour. */
function robotOf(scene: Scene): RobotContext {
  const heldId = scene.robot.heldObject;
  const held = heldId ? scene.objects.find((o) => o.id === heldId) : undefined;
  const delivering = scene.robot.action === 'place' || scene.robot.action === 'hand_over';
  return {
    currentTarget: currentTarget(scene),
    holding: heldId !== null,
    pouring: scene.robot.action === 'pour' || (held !== undefined && isSource(held.kind) && !delivering),
    // The scene format says what the robot holds, not where its gripper is.
    hand: null,
    task: null,
  };
}

export function groundReminder(
  stage: VisualStage,
  parser: ReminderParser,
  rendered: RenderedScene,
  text: string,
  adjust: (meaning: Meaning) => Meaning = (m) => m,
): GroundedReminder {
  const parse = parser.parse(text);
  const meaning = adjust(parse.meaning);
  const attention = stage.ground(rendered.frame, rendered.instances, meaning, {
    camera: rendered.camera,
    viewers: perceivedViewers(rendered.instances, rendered.camera),
    robot: robotOf(rendered.scene),
  });
  const grounded = groundAttention(attention.heatmap, rendered.frame);
  return {
    target: grounded.object === '' ? null : grounded.object,
    mistake: parse.meaning.mistake,
    confidence: Math.min(attention.confidence, parse.confidence),
    point: attention.point,
    heatShare: grounded.share,
    parse,
    attention,
  };
}

export { ReminderRejected };
