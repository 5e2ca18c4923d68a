/**
 * A stand-in for CoppeliaSim's "WS remote API server" add-on, for tests (not part of the product).
 *
 * Follows the add-on: each message is JSON if its first byte is `{` and it parses (reply in a text
 * frame), CBOR otherwise (reply in a binary frame); an undecodable message gets no reply at all.
 * The id is echoed unchanged; an unknown function answers "No such function: X". Requests queue up
 * and are handled once per main-loop pass (a timer), after the simulation advanced for that pass,
 * so `step` only raises a flag and simulation time moves on the next pass.
 *
 * Known differences: a request naming neither func nor eval gets `ret: {}` where the add-on sends
 * no `ret`; aliases are stored as given where CoppeliaSim restricts their characters.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import {
  decodeRequest,
  encodeReply,
  isCallRequest,
  type DecodedRequest,
  type Encoding,
  type Frame,
  type RemoteApiReply,
  type WireValue,
} from '../../coppeliasim/ws-protocol';
import { evaluate, STANDIN_FUNCTIONS } from './coppeliasim-standin-api';
import { LuaError, StandInWorld, type RenderMode, type StandInModel } from './coppeliasim-standin-world';

export interface StandInOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  /** Simulation time step, s (CoppeliaSim's default is 0.05). */
  readonly dt?: number;
  /** Interval between main-loop passes, ms. */
  readonly passIntervalMs?: number;
  /** Program version as major * 10000 + minor * 100 + patch. */
  readonly version?: number;
  /** 4.10 behaviour: `sim` is unknown until `wsRemoteApi.require('sim')`. */
  readonly requireNeeded?: boolean;
  /** Before 4.10 the add-on has no `wsRemoteApi.require`. */
  readonly hasRequire?: boolean;
  /** Model files `sim.loadModel` can load. */
  readonly models?: Readonly<Record<string, StandInModel>>;
  /** What vision sensors show (default: the test pattern). */
  readonly render?: RenderMode;
}

export interface ReceivedRequest {
  readonly func: string | null;
  readonly eval: string | null;
  readonly encoding: Encoding;
  readonly id: WireValue;
}

const REQUIRABLE: readonly string[] = ['sim', 'simIK'];

type ReplyOverride = { readonly func: string; readonly frame: Frame | null };

export class CoppeliaSimStandIn {
  readonly world: StandInWorld;
  /** Every decoded request, in order of handling. */
  readonly received: ReceivedRequest[] = [];
  /** Messages it could not decode (the add-on logs these and answers nothing). */
  readonly undecodable: string[] = [];
  readonly #options: StandInOptions;
  readonly #queue: { socket: WebSocket; bytes: Uint8Array }[] = [];
  readonly #overrides: ReplyOverride[] = [];
  readonly #dropOn = new Set<string>();
  #server: WebSocketServer | null = null;
  #port: number;
  #loop: NodeJS.Timeout | null = null;
  /** Modules made global by wsRemoteApi.require. */
  readonly #required = new Set<string>();
  #held = false;

  private constructor(options: StandInOptions) {
    this.#options = options;
    this.#port = options.port ?? 0;
    this.world = new StandInWorld(options.dt ?? 0.05, options.version ?? 40600, options.render ?? 'pattern');
    for (const [file, model] of Object.entries(options.models ?? {})) this.world.models.set(file, model);
  }

  static async start(options: StandInOptions = {}): Promise<CoppeliaSimStandIn> {
    const standIn = new CoppeliaSimStandIn(options);
    await standIn.listen();
    standIn.#loop = setInterval(() => standIn.#mainLoopPass(), options.passIntervalMs ?? 2);
    return standIn;
  }

  get port(): number {
    return this.#port;
  }

  get connectionCount(): number {
    return this.#server?.clients.size ?? 0;
  }

  /** Accepts connections (again, on the same port after `stopListening`). */
  async listen(): Promise<void> {
    if (this.#server) return;
    const server = new WebSocketServer({ port: this.#port, host: '127.0.0.1', perMessageDeflate: false });
    server.on('connection', (socket) => {
      socket.on('message', (data, isBinary) => {
        const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        void isBinary; // the add-on ignores the frame type and looks at the first byte
        this.#queue.push({ socket, bytes: new Uint8Array(bytes) });
      });
    });
    await once(server, 'listening');
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Drops every connection and stops listening: connecting is refused until `listen`. */
  async stopListening(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.#queue.length = 0;
  }

  async close(): Promise<void> {
    if (this.#loop) clearInterval(this.#loop);
    this.#loop = null;
    await this.stopListening();
  }

  /** Requests received and not yet handled. */
  get queuedRequests(): number {
    return this.#queue.length;
  }

  /** Suspends main-loop passes (requests queue up, time stands still) until `releaseMainLoop`. */
  holdMainLoop(): void {
    this.#held = true;
  }

  releaseMainLoop(): void {
    this.#held = false;
  }

  /** The next request for `func` makes the server drop that connection instead of answering. */
  dropConnectionOn(func: string): void {
    this.#dropOn.add(func);
  }

  /** The next reply to `func` is `frame` as it stands (text for strings), or nothing at all for null. */
  replaceNextReply(func: string, frame: Frame | null): void {
    this.#overrides.push({ func, frame });
  }

  /** Sends a raw frame to every client, as if the server had. */
  broadcast(frame: Frame): void {
    for (const client of this.#server?.clients ?? []) client.send(frame, { binary: typeof frame !== 'string' });
  }

  #mainLoopPass(): void {
    if (this.#held) return;
    this.world.mainLoopPass();
    for (const { socket, bytes } of this.#queue.splice(0)) {
      if (socket.readyState === WebSocket.OPEN) this.#handle(socket, bytes);
    }
  }

  #handle(socket: WebSocket, bytes: Uint8Array): void {
    let decoded: DecodedRequest;
    try {
      decoded = decodeRequest(bytes);
    } catch (err) {
      this.undecodable.push((err as Error).message);
      return;
    }
    const { request, id, encoding } = decoded;
    const func = request && isCallRequest(request) ? request.func : null;
    this.received.push({ func, eval: request && !isCallRequest(request) ? request.eval : null, encoding, id });
    if (func !== null && this.#dropOn.delete(func)) {
      socket.terminate();
      return;
    }
    const reply = this.#answer(decoded);
    const override = func === null ? -1 : this.#overrides.findIndex((o) => o.func === func);
    if (override >= 0) {
      const { frame } = this.#overrides.splice(override, 1)[0];
      if (frame !== null) socket.send(frame, { binary: typeof frame !== 'string' });
      return;
    }
    socket.send(encodeForWire(reply, encoding), { binary: encoding === 'cbor' });
  }

  #answer({ request, id }: DecodedRequest): RemoteApiReply {
    try {
      if (request === null) return { id, success: true, ret: [] };
      if (!isCallRequest(request)) {
        if (!this.#known('sim')) throw new LuaError(`[string "return ${request.eval}"]:1: attempt to index a nil value (global 'sim')`);
        return { id, success: true, ret: evaluate(request.eval) };
      }
      return { id, success: true, ret: this.#call(request.func, request.args) };
    } catch (err) {
      if (err instanceof LuaError) return { id, success: false, error: err.message };
      throw err;
    }
  }

  /** From 4.10 `sim` and `simIK` are unknown until required; other names are always there. */
  #known(module: string): boolean {
    return !REQUIRABLE.includes(module) || this.#required.has(module) || !(this.#options.requireNeeded ?? false);
  }

  #call(func: string, args: readonly WireValue[]): WireValue[] {
    if (func === 'wsRemoteApi.require' && (this.#options.hasRequire ?? true)) {
      if (typeof args[0] === 'string') this.#required.add(args[0]);
      return [];
    }
    const fn = Object.hasOwn(STANDIN_FUNCTIONS, func) ? STANDIN_FUNCTIONS[func] : undefined;
    if (!fn || !this.#known(func.split('.')[0] as string)) throw new LuaError(`No such function: ${func}`);
    return fn(this.world, args);
  }
}

/**
 * The add-on's JSON encoder writes a Lua string's bytes as they are, so a reply holding a byte
 * buffer becomes a text frame that is not UTF-8 (which a compliant client refuses).
 */
function encodeForWire(reply: RemoteApiReply, encoding: Encoding): Frame {
  if (encoding === 'cbor' || !reply.success || !reply.ret.some((v) => v instanceof Uint8Array)) return encodeReply(reply, encoding);
  const buffers: Uint8Array[] = [];
  const ret = reply.ret.map((v) => (v instanceof Uint8Array ? `\u0000bytes${buffers.push(v) - 1}\u0000` : v));
  const text = encodeReply({ ...reply, ret }, 'json') as string;
  const parts = text.split(/"\\u0000bytes(\d+)\\u0000"/);
  return Buffer.concat(parts.map((part, i) => (i % 2 === 1 ? Buffer.concat([Buffer.from('"'), buffers[Number(part)], Buffer.from('"')]) : Buffer.from(part))));
}
