/**
 * Conversions between the simulator's plain values and the h2r_interfaces / sensor_msgs message
 * shapes the simulator node publishes and takes. Pure; the node only wires them to topics.
 */
import type { Correction, EpisodeEvent, ExecutionState, Header, Image, VisualAttention, WorldState } from '../graph/messages';
import type { GraspMode, RobotAction } from './types';
import type { CorrectionCommand } from './corrections';
import type { ExecutionSnapshot } from './execution-view';
import type { EpisodeEventRecord } from './state';
import type { EpisodeInfo, WorldPoses } from './backend';
import { episodeTruthJson } from './backend';

/** Correction.kind values (h2r_interfaces/msg/Correction.msg). */
export const CORRECTION_KIND = { RETARGET: 0, MOVE_REGION: 1, ADJUST_POSE: 2, CHANGE_ACTION: 3, HALT: 4, RESUME: 5 } as const;
const GRASPS: readonly string[] = ['side', 'centre', 'rim', 'tilted', 'off_centre'];

/** The command a Correction message asks for, or why it cannot be understood. */
export function correctionFromMessage(msg: Correction): { command: CorrectionCommand } | { error: string } {
  switch (msg.kind) {
    case CORRECTION_KIND.RETARGET:
      if (!msg.target_object) return { error: 'RETARGET needs target_object' };
      return { command: { kind: 'retarget', targetObject: msg.target_object } };
    case CORRECTION_KIND.MOVE_REGION: {
      const { x, y, z } = msg.point;
      if (![x, y, z, msg.radius].every(Number.isFinite)) return { error: 'MOVE_REGION needs a finite point and radius' };
      if (msg.radius < 0) return { error: `MOVE_REGION radius must not be negative, got ${msg.radius}` };
      return { command: { kind: 'move_region', region: { centre: { x, y, z }, radius: msg.radius } } };
    }
    case CORRECTION_KIND.ADJUST_POSE:
      if (!GRASPS.includes(msg.grasp)) return { error: `ADJUST_POSE grasp '${msg.grasp}' is not one of ${GRASPS.join(', ')}` };
      return { command: { kind: 'adjust_pose', grasp: msg.grasp as GraspMode } };
    case CORRECTION_KIND.CHANGE_ACTION:
      if (!msg.action) return { error: 'CHANGE_ACTION needs action' };
      return { command: { kind: 'change_action', action: msg.action as RobotAction } };
    case CORRECTION_KIND.HALT:
      return { command: { kind: 'halt' } };
    case CORRECTION_KIND.RESUME:
      return { command: { kind: 'resume' } };
    default:
      return { error: `unknown correction kind ${msg.kind} (expected 0..5)` };
  }
}

export function executionStateMessage(s: ExecutionSnapshot, header: Header): ExecutionState {
  return {
    header,
    episode_id: s.episodeId,
    scenario: s.scenario,
    action: s.action,
    target_object: s.targetObject,
    held_object: s.heldObject,
    target_point: { x: s.targetPoint.x, y: s.targetPoint.y, z: s.targetPoint.z },
    end_effector: {
      position: { x: s.endEffector.position.x, y: s.endEffector.position.y, z: s.endEffector.position.z },
      orientation: { ...s.endEffector.orientation },
    },
    grasp: s.grasp,
    progress: s.progress,
    point_of_no_return: s.pointOfNoReturn,
    status: s.status,
    plan: [...s.plan],
    task_object: s.taskObject,
    task_point: { x: s.taskPoint.x, y: s.taskPoint.y, z: s.taskPoint.z },
  };
}

export function episodeEventMessage(e: EpisodeEventRecord, info: EpisodeInfo, header: Header): EpisodeEvent {
  return {
    header,
    episode_id: info.episodeId,
    scenario: info.scenario,
    seed: info.seed,
    event: e.event,
    detail: `${e.detail} (t=${e.t.toFixed(2)} s)`,
    failure: e.failure ?? '',
    truth_json: JSON.stringify(episodeTruthJson(info)),
  };
}

export function imageMessage(rgb: Uint8Array, width: number, height: number, header: Header): Image {
  return { header, height, width, encoding: 'rgb8', is_bigendian: 0, step: width * 3, data: rgb };
}

/** The heat values of a 32FC1 image, checked against its declared size. */
export function heatmapValues(img: Image): Float32Array | string {
  if (img.encoding !== '32FC1') return `heatmap encoding is '${img.encoding}', expected 32FC1`;
  const n = img.width * img.height;
  const bytes = img.data instanceof Uint8Array ? img.data : Uint8Array.from(img.data);
  if (img.step !== img.width * 4) return `heatmap step ${img.step} is not width*4 = ${img.width * 4}`;
  if (bytes.length !== n * 4) return `heatmap has ${bytes.length} bytes, expected ${n * 4} for ${img.width}x${img.height}`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  const little = img.is_bigendian === 0;
  for (let i = 0; i < n; i++) {
    const v = view.getFloat32(4 * i, little);
    if (!Number.isFinite(v) || v < 0) return `heatmap value ${v} at pixel ${i} is not a finite non-negative number`;
    out[i] = v;
  }
  return out;
}

export function groundedAttention(msg: VisualAttention, object: string, share: number): VisualAttention {
  return { ...msg, attended_object: object, heat_share: share };
}

export function worldStateMessage(poses: WorldPoses, episodeId: string, header: Header): WorldState {
  return {
    header,
    episode_id: episodeId,
    time: poses.time,
    person: { x: poses.person.x, y: poses.person.y, z: 0 },
    objects: poses.objects.map((o) => ({ id: o.id, position: { x: o.x, y: o.y, z: o.z }, yaw: o.yaw })),
  };
}
