/**
 * The simulator node's backend from plain options, for the node and for anything else that runs
 * episodes the same way (the trial harness): `builtin` steps the episodes in this process,
 * `coppeliasim` runs the same episodes with CoppeliaSim holding the scene and rendering the camera.
 */
import { CoppeliaSimBackend } from '../coppeliasim/backend';
import type { BackoffPolicy } from '../coppeliasim/backoff';
import type { ClientLog } from '../coppeliasim/ws-client';
import { BuiltinSimulator, type SimulatorBackend } from './backend';
import { DEFAULT_FOV_Y_DEG } from './camera';
import { DEFAULT_DT } from './episode';

export const BACKEND_KINDS = ['builtin', 'coppeliasim'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];
export const REMOTE_ENCODINGS = ['cbor', 'json'] as const;
export type RemoteEncoding = (typeof REMOTE_ENCODINGS)[number];

export const DEFAULT_COPPELIASIM_HOST = '127.0.0.1';
export const DEFAULT_COPPELIASIM_PORT = 23050;

export interface SimulatorBackendOptions {
  readonly backend: BackendKind;
  /** CoppeliaSim's WS remote API (backend 'coppeliasim' only); defaults 127.0.0.1, 23050, cbor. */
  readonly host?: string;
  readonly port?: number;
  readonly encoding?: RemoteEncoding;
  /** Sim seconds per step (default 0.05). */
  readonly stepSeconds?: number;
  /**
   * The camera frames will be asked for (the node's image_width, image_height, fov_deg, jitter).
   * CoppeliaSim's camera is built to match it; default 160x120, 52 degrees, no jitter.
   */
  readonly camera?: { readonly width: number; readonly height: number; readonly fovYDeg?: number; readonly jitter?: number };
  /** Where the CoppeliaSim link reports (connected, unreachable, lost); default stderr. */
  readonly log?: ClientLog;
  /** Reconnection delays (tests shorten them); default 250 ms doubling to 10 s. */
  readonly backoff?: Partial<BackoffPolicy>;
  /** Folder holding CoppeliaSim's models as sim.loadModel resolves it (default `models`). */
  readonly modelDirectory?: string;
}

export function createSimulatorBackend(options: SimulatorBackendOptions): SimulatorBackend {
  const dt = options.stepSeconds ?? DEFAULT_DT;
  if (options.backend === 'builtin') return new BuiltinSimulator(dt);
  if (options.backend !== 'coppeliasim') throw new RangeError(`backend '${String(options.backend)}' is not one of ${BACKEND_KINDS.join(', ')}`);
  const camera = options.camera ?? { width: 160, height: 120 };
  return new CoppeliaSimBackend({
    dt,
    client: {
      host: options.host ?? DEFAULT_COPPELIASIM_HOST,
      port: options.port ?? DEFAULT_COPPELIASIM_PORT,
      encoding: options.encoding ?? 'cbor',
      ...(options.backoff ? { backoff: options.backoff } : {}),
    },
    camera: { width: camera.width, height: camera.height, fovYDeg: camera.fovYDeg ?? DEFAULT_FOV_Y_DEG, jitter: camera.jitter ?? 0 },
    ...(options.modelDirectory ? { scene: { modelDirectory: options.modelDirectory } } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}
