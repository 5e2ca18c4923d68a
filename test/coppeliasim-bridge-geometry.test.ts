import { strict as assert } from 'node:assert';
import { standInArmLinks, STAND_IN_LINK_ALIASES } from '../coppeliasim/arm-links';
import { flangePose, RG2_REACH } from '../coppeliasim/arm-mirror';
import { cameraSpecFor, visionSensorViewAngle } from '../coppeliasim/camera-match';
import { lookAtRotation, rotate, rotationFromEulerXYZ, type Vec3Tuple } from '../coppeliasim/geometry';
import { objectPose, PARKED } from '../coppeliasim/scene-mirror';
import { armSkeleton, FOREARM, UPPER_ARM } from '../sim/arm-pose';
import { makeCamera, pixelRay } from '../sim/camera';
import type { EePose } from '../sim/motion';
import { rotateYawTilt } from '../sim/vec';
import { assertNear, sceneObject } from './support/coppeliasim-fixtures';

const dot = (a: Vec3Tuple, b: Vec3Tuple): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const angleBetween = (a: Vec3Tuple, b: Vec3Tuple): number => Math.acos(Math.min(1, dot(a, b) / Math.hypot(...a) / Math.hypot(...b)));
const tuple = (v: { x: number; y: number; z: number }): Vec3Tuple => [v.x, v.y, v.z];
const REACHING: EePose = { p: { x: 0.15, y: -0.2, z: 0.12 }, yaw: -0.4, pitch: 1.1, tilt: 0.3 };

describe('CoppeliaSim bridge: matching the built-in camera', () => {
  it('spans the larger image side with the view angle, as CoppeliaSim defines it', () => {
    assertNear([visionSensorViewAngle(360, 360, 52)], [(52 * Math.PI) / 180], 'square image', 1e-12);
    const wide = visionSensorViewAngle(480, 360, 52);
    assert.ok(Math.abs(wide - 2 * Math.atan(Math.tan((26 * Math.PI) / 180) * (4 / 3))) < 1e-12);
    assertNear([visionSensorViewAngle(360, 480, 52)], [(52 * Math.PI) / 180], 'portrait image: the height is the larger side', 1e-12);
  });

  it('puts the sensor at the built-in eye, looking along its axis, with the image edges on the same rays', () => {
    const camera = makeCamera({ width: 480, height: 360, fovYDeg: 52, jitter: 0.03, jitterSeed: 7 });
    const spec = cameraSpecFor(camera);
    assertNear(spec.eye, tuple(camera.position), 'eye');
    const r = lookAtRotation(spec.eye, spec.target);
    const axis: Vec3Tuple = [r[0][2], r[1][2], r[2][2]];
    assertNear(axis, tuple(camera.forward), 'line of sight', 1e-12);
    // The middle of the right image edge is half the view angle off the axis, towards the built-in camera's right.
    const edge = tuple(pixelRay(camera, 480, 180));
    assert.ok(Math.abs(angleBetween(edge, axis) - spec.viewAngle / 2) < 1e-9);
    const sensorX: Vec3Tuple = [r[0][0], r[1][0], r[2][0]];
    assertNear(sensorX, tuple(camera.right).map((v) => -v), "sensor +X is the image's left", 1e-12);
    assert.deepEqual([spec.width, spec.height], [480, 360]);
  });
});

describe('CoppeliaSim bridge: posing the arm and the objects', () => {
  it("lays each stand-in link along the built-in arm's skeleton, from joint to joint", () => {
    const arm = armSkeleton(REACHING, 0.7);
    const links = new Map(standInArmLinks(REACHING, 0.7).map((l) => [l.alias, l]));
    assert.deepEqual([...links.keys()], STAND_IN_LINK_ALIASES);
    const ends = (alias: string): [Vec3Tuple, Vec3Tuple] => {
      const link = links.get(alias)!;
      const along = rotate(rotationFromEulerXYZ(link.euler), [link.size[0] / 2, 0, 0]);
      const p = link.position;
      return [[p[0] - along[0], p[1] - along[1], p[2] - along[2]], [p[0] + along[0], p[1] + along[1], p[2] + along[2]]];
    };
    assertNear(ends('upper_arm').flat(), [...arm.shoulder, ...arm.elbow], 'upper arm', 1e-9);
    assertNear(ends('forearm').flat(), [...arm.elbow, ...arm.wrist], 'forearm', 1e-9);
    assertNear(ends('finger_left').flat(), [...arm.fingers.left.knuckle, ...arm.fingers.left.tip], 'left finger', 1e-9);
    assertNear([links.get('upper_arm')!.size[0], links.get('forearm')!.size[0]], [UPPER_ARM, FOREARM], 'link lengths', 1e-12);
  });

  it('tilts a held object about its base as the built-in renderer does, and parks objects that are gone', () => {
    const pitcher = sceneObject({ id: 'pitcher_1', kind: 'pitcher', colour: 'white', size: [0.1, 0.1, 0.18] });
    const d = { base: { x: 0.1, y: 0.2, z: 0.15 }, yaw: 0.7, tilt: 1.2, place: 'held' as const };
    const pose = objectPose(pitcher, d);
    const top = rotate(rotationFromEulerXYZ(pose.euler), [0, 0, 0.09]);
    const expectedTop = rotateYawTilt({ x: 0, y: 0, z: 0.18 }, d.yaw, d.tilt);
    assertNear([pose.position[0] + top[0], pose.position[1] + top[1], pose.position[2] + top[2]], [0.1 + expectedTop.x, 0.2 + expectedTop.y, 0.15 + expectedTop.z], 'rim centre', 1e-12);
    assert.equal(objectPose(pitcher, { ...d, place: 'gone' }), PARKED);
    assert.equal(objectPose(pitcher, { ...d, place: 'floor' }), PARKED);
  });

  it('puts the UR5 flange target behind the fingertips along the approach, its +z the approach direction', () => {
    const pose = flangePose(REACHING);
    const r = rotationFromEulerXYZ(pose.euler);
    const z: Vec3Tuple = [r[0][2], r[1][2], r[2][2]];
    const approach = armSkeleton(REACHING, 0).approach;
    assertNear(z, approach, 'flange +z', 1e-12);
    const p = REACHING.p;
    assertNear(pose.position, [p.x - RG2_REACH * approach[0], p.y - RG2_REACH * approach[1], p.z - RG2_REACH * approach[2]], 'flange position', 1e-12);
  });
});
