/**
 * Renders a scene (optionally at a moment of an episode) through a camera into an RGB image and an
 * instance mask. Mask value i names entityIds[i]; 0 is the background, and the table, the conveyor,
 * the robot and the person have their own values besides every object.
 */
import type { SceneObject } from './types';
import type { CameraModel } from './camera';
import { MeshBuilder, objectMesh, type Mesh } from './mesh';
import { WORLD_RGB, type Rgb } from './palette';
import { IDENTITY, Rasterizer, placement } from './raster';
import { PERSON_ID, ROBOT_BASE, TABLE, openingRadius, type Conveyor, type Scene } from './world';
import { flowThreshold, receivingVessel, spoutLocal, type ObjectDyn } from './physics';
import { HOME_POSE, type EePose } from './motion';
import type { EpisodeState } from './state';
import { personHandRest } from './context';
import { add, rotateYawTilt } from './vec';
import { armSkeleton, BASE_TOP } from './arm-pose';

export interface Frame {
  readonly width: number;
  readonly height: number;
  /** rgb8, row-major, top row first. */
  readonly rgb: Uint8Array;
  /** One entity index per pixel (see entityIds). */
  readonly mask: Uint16Array;
  readonly entityIds: readonly string[];
  readonly camera: CameraModel;
}

export const FIXED_MASK_IDS = ['', 'table', 'conveyor', 'robot', PERSON_ID] as const;

/** Mask index -> entity id for a scene: background, table, conveyor, robot, person, then the objects. */
export function entityIdsOf(scene: Scene): string[] {
  return [...FIXED_MASK_IDS, ...scene.objects.map((o) => o.id)];
}

/** Entities a person can mean: the objects and the person (not the table, conveyor or robot). */
export function isAttendable(id: string): boolean {
  return id !== '' && id !== 'table' && id !== 'conveyor' && id !== 'robot';
}

type P3 = readonly [number, number, number];
const v3 = (p: { x: number; y: number; z: number }): P3 => [p.x, p.y, p.z];

function tableMesh(): Mesh {
  const m = new MeshBuilder();
  m.box(-TABLE.halfX, -TABLE.halfY, -TABLE.thickness, TABLE.halfX, TABLE.halfY, 0, WORLD_RGB.tableEdge, WORLD_RGB.table);
  for (const sx of [-1, 1]) {
    for (const sy of [-1, 1]) {
      const x = sx * (TABLE.halfX - 0.05);
      const y = sy * (TABLE.halfY - 0.05);
      m.box(x - 0.025, y - 0.025, TABLE.floorZ, x + 0.025, y + 0.025, -TABLE.thickness, WORLD_RGB.tableEdge);
    }
  }
  return m.build();
}

const TABLE_MESH = tableMesh();

interface ConveyorMeshes {
  readonly body: Mesh;
  /** Stripes for one belt position; drawn shifted along y by the belt's travel. */
  readonly stripes: Mesh;
  readonly spacing: number;
}

const conveyorCache = new WeakMap<Conveyor, ConveyorMeshes>();

function conveyorMeshes(c: Conveyor): ConveyorMeshes {
  const cached = conveyorCache.get(c);
  if (cached) return cached;
  const m = new MeshBuilder();
  const x0 = c.centreX - c.width / 2;
  const x1 = c.centreX + c.width / 2;
  m.box(x0, -c.halfLength, 0, x1, c.halfLength, c.height, WORLD_RGB.belt);
  m.box(x0 - 0.012, -c.halfLength - 0.01, 0, x0, c.halfLength + 0.01, c.height + 0.014, WORLD_RGB.rail);
  m.box(x1, -c.halfLength - 0.01, 0, x1 + 0.012, c.halfLength + 0.01, c.height + 0.014, WORLD_RGB.rail);
  const end = Math.sign(c.speed || 1);
  const ya = end * c.halfLength;
  const yb = end * Math.min(TABLE.halfY, c.halfLength + 0.09);
  m.box(x0 - 0.012, Math.min(ya, yb), 0, x1 + 0.012, Math.max(ya, yb), c.height * 0.5, WORLD_RGB.chute);
  const spacing = 0.07;
  const stripes = new MeshBuilder();
  for (let y = -c.halfLength; y < c.halfLength - spacing - 0.012; y += spacing) {
    stripes.box(x0 + 0.004, y, c.height, x1 - 0.004, y + 0.012, c.height + 0.0008, WORLD_RGB.beltStripe);
  }
  const meshes = { body: m.build(), stripes: stripes.build(), spacing };
  conveyorCache.set(c, meshes);
  return meshes;
}

function robotMesh(tip: EePose, gripper: number): Mesh {
  const m = new MeshBuilder();
  const b = ROBOT_BASE;
  m.wall(0.08, 0.08, TABLE.floorZ, BASE_TOP, 10, WORLD_RGB.robot, b.x, b.y);
  m.ring(0, 0.08, BASE_TOP, 10, WORLD_RGB.robot, b.x, b.y);
  const arm = armSkeleton(tip, gripper);
  m.beam(arm.baseTop, arm.shoulder, 0.065, WORLD_RGB.robot);
  const joint = (c: P3, h: number): void => m.box(c[0] - h, c[1] - h, c[2] - h, c[0] + h, c[1] + h, c[2] + h, WORLD_RGB.robotJoint);
  joint(arm.shoulder, 0.04);
  m.beam(arm.shoulder, arm.elbow, 0.05, WORLD_RGB.robot);
  joint(arm.elbow, 0.032);
  m.beam(arm.elbow, arm.wrist, 0.04, WORLD_RGB.robot);
  joint(arm.wrist, 0.026);
  m.beam(arm.wrist, arm.palm, 0.05, WORLD_RGB.gripper);
  for (const finger of [arm.fingers.right, arm.fingers.left]) {
    m.beam(arm.palm, finger.knuckle, 0.018, WORLD_RGB.gripper);
    m.beam(finger.knuckle, finger.tip, 0.014, WORLD_RGB.gripper);
  }
  return m.build();
}

const personBodyCache = new Map<string, Mesh>();

/** Torso and head of the seated person (their arms move and are built per frame). */
function personBody(px: number, py: number): Mesh {
  const key = `${px},${py}`;
  const cached = personBodyCache.get(key);
  if (cached) return cached;
  const m = new MeshBuilder();
  const skin = WORLD_RGB.skin;
  const shirt = WORLD_RGB.shirt;
  m.box(px + 0.03, py - 0.19, -0.35, px + 0.25, py + 0.19, 0.34, shirt);
  m.box(px + 0.1, py - 0.04, 0.33, px + 0.16, py + 0.04, 0.41, skin);
  // Head: a low-poly ball with hair on the crown and the back.
  const hx = px + 0.13;
  const hz = 0.5;
  const rings = 6;
  const segs = 10;
  const verts: number[][] = [];
  for (let i = 0; i <= rings; i++) {
    const polar = (i / rings) * Math.PI;
    const row: number[] = [];
    for (let j = 0; j < segs; j++) {
      const az = (j / segs) * Math.PI * 2;
      row.push(m.vertex(hx + 0.085 * Math.sin(polar) * Math.cos(az), py + 0.08 * Math.sin(polar) * Math.sin(az), hz + 0.105 * Math.cos(polar)));
    }
    verts.push(row);
  }
  for (let i = 0; i < rings; i++) {
    for (let j = 0; j < segs; j++) {
      const k = (j + 1) % segs;
      const az = ((j + 0.5) / segs) * Math.PI * 2;
      const hair = i < 2 || (i < 4 && Math.cos(az) > 0.3);
      m.quad(verts[i]![j]!, verts[i + 1]![j]!, verts[i + 1]![k]!, verts[i]![k]!, hair ? WORLD_RGB.hair : skin);
    }
  }
  const mesh = m.build();
  if (personBodyCache.size > 1000) personBodyCache.clear();
  personBodyCache.set(key, mesh);
  return mesh;
}

function personArms(scene: Scene, hand: P3): Mesh {
  const m = new MeshBuilder();
  const { x: px, y: py } = scene.person.position;
  const skin = WORLD_RGB.skin;
  const shirt = WORLD_RGB.shirt;
  const rest = personHandRest(scene);
  const hands: [P3, P3][] = [
    [[px + 0.12, py + 0.2, 0.3], hand],
    [[px + 0.12, py - 0.2, 0.3], [rest.x, 2 * py - rest.y, rest.z]],
  ];
  for (const [shoulder, h] of hands) {
    const elbow: P3 = [(shoulder[0] + h[0]) / 2 + 0.06, (shoulder[1] + h[1]) / 2, Math.min(shoulder[2], h[2]) - 0.06];
    m.beam(shoulder, elbow, 0.07, shirt);
    m.beam(elbow, h, 0.055, skin);
    m.box(h[0] - 0.035, h[1] - 0.03, h[2] - 0.015, h[0] + 0.02, h[1] + 0.03, h[2] + 0.02, skin);
  }
  return m.build();
}

const waterCache = new Map<string, Mesh>();

/** The water surface in a vessel, at its level to the millimetre. */
function waterMesh(o: SceneObject, fill: number, lod: number): Mesh | null {
  if (fill <= 0 || o.kind === 'bottle') return null;
  const r = openingRadius(o) - 0.002;
  const level = Math.round(Math.min(o.size[2] - 0.004, 0.008 + fill / (Math.PI * r * r * 1000)) * 1000) / 1000;
  const key = `${r}|${level}|${lod}`;
  let mesh = waterCache.get(key);
  if (!mesh) {
    const m = new MeshBuilder();
    m.ring(0, r, level, lod, WORLD_RGB.water);
    mesh = m.build();
    if (waterCache.size > 5000) waterCache.clear();
    waterCache.set(key, mesh);
  }
  return mesh;
}

function streamMesh(scene: Scene, objects: readonly ObjectDyn[], i: number): Mesh | null {
  const o = scene.objects[i] as SceneObject;
  const d = objects[i] as ObjectDyn;
  if (d.holder !== 'robot' || d.fill <= 0 || d.tilt <= flowThreshold(o, d.fill)) return null;
  const spout = add(d.base, rotateYawTilt(spoutLocal(o), d.yaw, d.tilt));
  const r = receivingVessel(scene, objects, spout, d.id);
  const bottom = r >= 0 ? (objects[r] as ObjectDyn).base.z + 0.01 : 0.001;
  const m = new MeshBuilder();
  m.beam([spout.x, spout.y, spout.z], [spout.x, spout.y, bottom], 0.007, WORLD_RGB.water);
  m.ring(0, 0.018, bottom + 0.001, 8, WORLD_RGB.water, spout.x, spout.y);
  return m.build();
}

/**
 * Where the tip is in a still scene: over the object the robot's action is about (the SCENE's
 * robot field), else at home.
 */
function snapshotTip(scene: Scene): EePose {
  const about = scene.robot.heldObject ?? scene.robot.target;
  const o = about ? scene.objects.find((x) => x.id === about) : undefined;
  if (!o || scene.robot.action === 'idle' || scene.robot.action === 'done' || scene.robot.action === 'retreat') return HOME_POSE;
  const yaw = Math.atan2(o.position.y - ROBOT_BASE.y, o.position.x - ROBOT_BASE.x);
  return { p: { x: o.position.x, y: o.position.y, z: o.position.z + o.size[2] + 0.12 }, yaw, pitch: Math.PI / 2, tilt: 0 };
}

export interface RenderOptions {
  /** Segments around a circle; default 12 for small images, 24 for large. */
  readonly lod?: number;
}

/** Renders `scene` as it is at `state` (or as described, when state is null). */
export function renderFrame(scene: Scene, state: EpisodeState | null, camera: CameraModel, options: RenderOptions = {}): Frame {
  const lod = options.lod ?? (camera.width * camera.height <= 200 * 150 ? 12 : 24);
  const r = new Rasterizer(camera, scene.lighting);
  const wall: Rgb = WORLD_RGB.wall;
  r.background(wall, WORLD_RGB.floor);
  r.draw(TABLE_MESH, IDENTITY, 1);
  if (scene.conveyor) {
    const belt = conveyorMeshes(scene.conveyor);
    const travel = scene.conveyor.speed * (state ? state.t : 0);
    const offset = ((travel % belt.spacing) + belt.spacing) % belt.spacing;
    r.draw(belt.body, IDENTITY, 2);
    r.draw(belt.stripes, placement(0, offset, 0, 0, 0), 2);
  }
  const tip = state ? state.robot.tip : snapshotTip(scene);
  r.draw(robotMesh(tip, state ? state.robot.gripper : 0), IDENTITY, 3);
  r.draw(personBody(scene.person.position.x, scene.person.position.y), IDENTITY, 4);
  r.draw(personArms(scene, v3(state ? state.hand : personHandRest(scene))), IDENTITY, 4);
  const fixed = FIXED_MASK_IDS.length;
  for (let i = 0; i < scene.objects.length; i++) {
    const o = scene.objects[i] as SceneObject;
    const d = state ? (state.objects[i] as ObjectDyn) : null;
    if (d && (d.place === 'gone' || d.place === 'floor')) continue;
    const base = d ? d.base : o.position;
    const where = placement(base.x, base.y, base.z, d ? d.yaw : o.yaw, d ? d.tilt : 0);
    r.draw(objectMesh(o, lod), where, fixed + i);
    const fill = d ? d.fill : o.state === 'full' ? 0.8 * Math.PI * openingRadius(o) ** 2 * o.size[2] * 1000 : 0;
    const water = waterMesh(o, fill, lod);
    if (water) r.draw(water, where, fixed + i);
    if (state) {
      const stream = streamMesh(scene, state.objects, i);
      if (stream) r.draw(stream, IDENTITY, fixed + i);
    }
  }
  return { width: camera.width, height: camera.height, rgb: r.rgb, mask: r.mask, entityIds: entityIdsOf(scene), camera };
}
