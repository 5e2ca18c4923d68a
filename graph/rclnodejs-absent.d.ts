/**
 * rclnodejs is an optional dependency that cannot install without ROS 2, so the main build sees
 * it as untyped. graph/ros2.ts is type-checked against the real rclnodejs 2.2.0 declarations by
 * `npm run typecheck:ros2`, whose tsconfig leaves this file out.
 */
declare module 'rclnodejs';
