/**
 * Rotations as CoppeliaSim expresses them. Its Euler angles [alpha, beta, gamma] give the rotation
 * R = Rx(alpha) * Ry(beta) * Rz(gamma) (user manual, "Euler angles"); poses carry [qx, qy, qz, qw].
 */

export type Vec3Tuple = readonly [number, number, number];
/** Row-major 3x3 rotation matrix. */
export type Mat3 = readonly [Vec3Tuple, Vec3Tuple, Vec3Tuple];
export type Quaternion = readonly [number, number, number, number];

export const sub3 = (a: Vec3Tuple, b: Vec3Tuple): Vec3Tuple => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const cross3 = (a: Vec3Tuple, b: Vec3Tuple): Vec3Tuple => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];

export function normalize3(v: Vec3Tuple, what: string): Vec3Tuple {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (!(n > 1e-12)) throw new RangeError(`${what} has zero length`);
  return [v[0] / n, v[1] / n, v[2] / n];
}

export function rotationFromEulerXYZ(euler: Vec3Tuple): Mat3 {
  const [ca, sa] = [Math.cos(euler[0]), Math.sin(euler[0])];
  const [cb, sb] = [Math.cos(euler[1]), Math.sin(euler[1])];
  const [cg, sg] = [Math.cos(euler[2]), Math.sin(euler[2])];
  return [
    [cb * cg, -cb * sg, sb],
    [sa * sb * cg + ca * sg, -sa * sb * sg + ca * cg, -sa * cb],
    [-ca * sb * cg + sa * sg, ca * sb * sg + sa * cg, ca * cb],
  ];
}

export function eulerXYZFromRotation(m: Mat3): Vec3Tuple {
  const sb = Math.max(-1, Math.min(1, m[0][2]));
  const beta = Math.asin(sb);
  if (Math.abs(sb) > 1 - 1e-9) {
    // Gimbal lock: alpha and gamma turn about the same axis; put all of it into alpha.
    return [Math.atan2(m[2][1], m[1][1]), beta, 0];
  }
  return [Math.atan2(-m[1][2], m[2][2]), beta, Math.atan2(-m[0][1], m[0][0])];
}

export function quaternionFromRotation(m: Mat3): Quaternion {
  const trace = m[0][0] + m[1][1] + m[2][2];
  let q: [number, number, number, number];
  if (trace > 0) {
    const s = 2 * Math.sqrt(trace + 1);
    q = [(m[2][1] - m[1][2]) / s, (m[0][2] - m[2][0]) / s, (m[1][0] - m[0][1]) / s, s / 4];
  } else if (m[0][0] > m[1][1] && m[0][0] > m[2][2]) {
    const s = 2 * Math.sqrt(1 + m[0][0] - m[1][1] - m[2][2]);
    q = [s / 4, (m[0][1] + m[1][0]) / s, (m[0][2] + m[2][0]) / s, (m[2][1] - m[1][2]) / s];
  } else if (m[1][1] > m[2][2]) {
    const s = 2 * Math.sqrt(1 + m[1][1] - m[0][0] - m[2][2]);
    q = [(m[0][1] + m[1][0]) / s, s / 4, (m[1][2] + m[2][1]) / s, (m[0][2] - m[2][0]) / s];
  } else {
    const s = 2 * Math.sqrt(1 + m[2][2] - m[0][0] - m[1][1]);
    q = [(m[0][2] + m[2][0]) / s, (m[1][2] + m[2][1]) / s, s / 4, (m[1][0] - m[0][1]) / s];
  }
  // One sign per rotation, so equal rotations compare equal.
  return q[3] < 0 ? [-q[0], -q[1], -q[2], -q[3]] : q;
}

/** Applies `m` to `v`. */
export function rotate(m: Mat3, v: Vec3Tuple): Vec3Tuple {
  return [
    m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
    m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
    m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
  ];
}

/**
 * Orientation of a CoppeliaSim vision sensor at `eye` looking at `target`: the sensor looks along
 * its +Z and its +Y is the image's up, so +Z = forward, +Y = `up` made perpendicular, +X = Y x Z.
 */
export function lookAtRotation(eye: Vec3Tuple, target: Vec3Tuple, up: Vec3Tuple = [0, 0, 1]): Mat3 {
  const z = normalize3(sub3(target, eye), 'camera view direction');
  const x = normalize3(cross3(up, z), 'camera up direction crossed with the view direction');
  const y = cross3(z, x);
  return [
    [x[0], y[0], z[0]],
    [x[1], y[1], z[1]],
    [x[2], y[2], z[2]],
  ];
}

export function multiply3(a: Mat3, b: Mat3): Mat3 {
  const row = (i: number): Vec3Tuple => [
    a[i][0] * b[0][0] + a[i][1] * b[1][0] + a[i][2] * b[2][0],
    a[i][0] * b[0][1] + a[i][1] * b[1][1] + a[i][2] * b[2][1],
    a[i][0] * b[0][2] + a[i][1] * b[1][2] + a[i][2] * b[2][2],
  ];
  return [row(0), row(1), row(2)];
}

/** The inverse of a rotation. */
export function transpose3(m: Mat3): Mat3 {
  return [
    [m[0][0], m[1][0], m[2][0]],
    [m[0][1], m[1][1], m[2][1]],
    [m[0][2], m[1][2], m[2][2]],
  ];
}

export const IDENTITY3: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
