/**
 * Loading rclnodejs for the ros2 graph backend, lazily and with one clear error when it cannot
 * load: why (ROS 2 not sourced, the module missing, or its addon failing with its own message)
 * and what to do. Nothing else in the suite requires rclnodejs.
 */
import type * as rclnodejs from 'rclnodejs';

export type Rclnodejs = typeof rclnodejs;

export class Ros2UnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Ros2UnavailableError';
  }
}

/** What loadRclnodejs looks at; tests replace it to simulate a machine without ROS 2. */
export interface Ros2Environment {
  readonly env: NodeJS.ProcessEnv;
  readonly resolve: (id: string) => string;
  readonly load: (id: string) => unknown;
}

export const processEnvironment: Ros2Environment = {
  env: process.env,
  resolve: (id) => require.resolve(id),
  load: (id) => require(id) as unknown,
};

function isMissingModule(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'MODULE_NOT_FOUND' && /'rclnodejs'/.test((error as Error).message);
}

/** Loads rclnodejs, or throws one Ros2UnavailableError that says why and what to do. */
export function loadRclnodejs(environment: Ros2Environment = processEnvironment): Rclnodejs {
  const { env } = environment;
  const reasons: string[] = [];
  const unset = ['AMENT_PREFIX_PATH', 'ROS_DISTRO'].filter((name) => !env[name]);
  if (unset.length > 0) {
    reasons.push(`ROS 2 is not sourced (${unset.join(' and ')} ${unset.length > 1 ? 'are' : 'is'} unset)`);
    try {
      environment.resolve('rclnodejs');
    } catch {
      reasons.push('the rclnodejs module is not installed');
    }
  } else {
    try {
      return environment.load('rclnodejs') as Rclnodejs;
    } catch (error) {
      const text = error instanceof Error ? error.message.split('\n')[0] : String(error);
      reasons.push(isMissingModule(error) ? `the rclnodejs module is not installed (${text})` : `rclnodejs failed to load: ${text}`);
    }
  }
  const distro = env['ROS_DISTRO'] || '<distro>';
  throw new Ros2UnavailableError(
    [
      `The ros2 graph backend is unavailable: ${reasons.join('; ')}.`,
      'To run on ROS 2 (Humble, Jazzy or Kilted):',
      `  1. source /opt/ros/${distro}/setup.bash`,
      '  2. npm install rclnodejs   (builds its addon against the sourced ROS 2)',
      '  3. colcon build --base-paths interfaces/h2r_interfaces && source install/setup.bash',
      '  4. npx generate-ros-messages   (generates rclnodejs messages for h2r_interfaces)',
      'Or leave out --graph ros2 / H2R_GRAPH=ros2 to use the embedded graph.',
    ].join('\n'),
  );
}
