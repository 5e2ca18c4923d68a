/**
 * Client of CoppeliaSim's WebSocket remote API: keeps one connection, reconnects with backoff,
 * sends calls and matches replies by id.
 *
 * Concurrency: several calls may be outstanding; each carries its own id ("1", "2", ...) and its
 * reply is matched by the echoed id. The server handles requests in order on its main thread, so
 * replies also come back in order; an undecodable frame is therefore charged to the oldest call.
 */
import { CoppeliaSimError, type CoppeliaSimErrorKind } from './errors';
import { backoffDelay, backoffPolicy, type BackoffPolicy } from './backoff';
import {
  decodeReply,
  encodeRequest,
  type Encoding,
  type Frame,
  type RemoteApiReply,
  type RemoteApiRequest,
  type WireValue,
} from './ws-protocol';
import { webSocketFactory, type FrameSocket, type FrameSocketFactory } from './ws-transport';

export { CoppeliaSimError, isLinkFailure, type CoppeliaSimErrorKind } from './errors';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface ConnectionEvent {
  readonly state: ConnectionState;
  /** What happened, in words (the error that closed the socket, the URL connected to). */
  readonly detail: string;
}

export interface CallOptions {
  readonly timeoutMs?: number;
  /** Overrides the client's encoding for this call (calls that return bytes need CBOR). */
  readonly encoding?: Encoding;
}

/** What the typed API wrappers need from a client; a test can implement it without a socket. */
export interface RemoteCaller {
  call(func: string, args?: readonly WireValue[], options?: CallOptions): Promise<WireValue[]>;
  evaluate(expression: string, options?: CallOptions): Promise<WireValue[]>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type ClientLog = (level: LogLevel, message: string) => void;

export interface RemoteApiClientOptions {
  readonly host?: string;
  /** 23050 by default; from CoppeliaSim 4.8 the add-on listens on 23050 + its process id parameter. */
  readonly port?: number;
  readonly encoding?: Encoding;
  readonly callTimeoutMs?: number;
  readonly backoff?: Partial<BackoffPolicy>;
  /** Retry after a failed attempt or a dropped connection (default true). */
  readonly reconnect?: boolean;
  /** Source of jitter for the backoff, values in [0, 1). Jitter only spreads retries; no result depends on it. */
  readonly random?: () => number;
  readonly socketFactory?: FrameSocketFactory;
  readonly log?: ClientLog;
  /** Modules made global on connect with `wsRemoteApi.require` (needed from 4.10, harmless before). */
  readonly requireModules?: readonly string[];
}

interface PendingCall {
  /** The function (or `eval <expression>`) called. */
  readonly func: string;
  /** How errors name the call: function and request id. */
  readonly what: string;
  readonly resolve: (ret: WireValue[]) => void;
  readonly reject: (err: CoppeliaSimError) => void;
  readonly timer: NodeJS.Timeout;
}

const defaultLog: ClientLog = (level, message) => {
  if (level !== 'debug') process.stderr.write(`[${level.toUpperCase()}] [coppeliasim] ${message}\n`);
};

const HOW_TO_START =
  'is CoppeliaSim running with the "WS remote API server" add-on enabled (port 23050, or 23050 + the process id from 4.8)?';

/** Late replies to these recent ids are expected and only logged at debug level. */
const TIMED_OUT_MEMORY = 64;

export class RemoteApiClient implements RemoteCaller {
  readonly url: string;
  readonly #encoding: Encoding;
  readonly #callTimeoutMs: number;
  readonly #policy: BackoffPolicy;
  readonly #reconnect: boolean;
  readonly #random: () => number;
  readonly #factory: FrameSocketFactory;
  readonly #log: ClientLog;
  readonly #requireModules: readonly string[];
  readonly #listeners = new Set<(event: ConnectionEvent) => void>();
  readonly #pending = new Map<string, PendingCall>();
  readonly #timedOut: string[] = [];
  #state: ConnectionState = 'idle';
  #socket: FrameSocket | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #nextId = 1;
  #failedAttempts = 0;
  /** Retries scheduled since the last successful connection: the backoff exponent. */
  #retries = 0;
  #lastError: string | null = null;
  /** Why the setup after opening failed; it closed the socket itself, so this beats the close detail. */
  #setupFailure: string | null = null;
  #closeWaiters: (() => void)[] = [];

  constructor(options: RemoteApiClientOptions = {}) {
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? 23050;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port = ${port} is invalid: it must be an integer in 0..65535`);
    this.url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}/`;
    this.#encoding = options.encoding ?? 'cbor';
    this.#callTimeoutMs = options.callTimeoutMs ?? 5000;
    this.#policy = backoffPolicy(options.backoff);
    this.#reconnect = options.reconnect ?? true;
    this.#random = options.random ?? Math.random;
    this.#factory = options.socketFactory ?? webSocketFactory();
    this.#log = options.log ?? defaultLog;
    this.#requireModules = options.requireModules ?? ['sim'];
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The reason the last attempt failed or the last connection closed, if any. */
  get lastError(): string | null {
    return this.#lastError;
  }

  /** Calls `listener` on every change of connection state; returns the function that unsubscribes. */
  onConnectionChange(listener: (event: ConnectionEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Starts connecting (again, after a failure with `reconnect: false`); retries with backoff until
   * connected or closed. Never throws or rejects.
   */
  start(): void {
    if (this.#state === 'idle' || (this.#state === 'disconnected' && !this.#socket && !this.#retryTimer)) this.#attempt();
  }

  /** Starts if needed and resolves once connected; rejects after `timeoutMs` with the reason (retries go on). */
  connect(timeoutMs = 10_000): Promise<void> {
    this.start();
    return this.waitUntilConnected(timeoutMs);
  }

  waitUntilConnected(timeoutMs: number): Promise<void> {
    if (this.#state === 'connected') return Promise.resolve();
    if (this.#state === 'closed') return Promise.reject(this.#notConnected('wait for a connection'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        const tries = this.#failedAttempts > 0 ? ` after ${this.#failedAttempts} failed attempt(s)` : '';
        reject(new CoppeliaSimError('not-connected', `CoppeliaSim is not reachable at ${this.url}${tries} within ${timeoutMs} ms (${this.#lastError ?? this.#state}); ${HOW_TO_START}`));
      }, timeoutMs);
      const unsubscribe = this.onConnectionChange((event) => {
        if (event.state !== 'connected' && event.state !== 'closed') return;
        clearTimeout(timer);
        unsubscribe();
        if (event.state === 'connected') resolve();
        else reject(this.#notConnected('wait for a connection'));
      });
    });
  }

  call(func: string, args: readonly WireValue[] = [], options: CallOptions = {}): Promise<WireValue[]> {
    if (this.#state !== 'connected') return Promise.reject(this.#notConnected(`call ${func}`));
    return this.#send({ func, args }, func, options);
  }

  evaluate(expression: string, options: CallOptions = {}): Promise<WireValue[]> {
    if (this.#state !== 'connected') return Promise.reject(this.#notConnected(`evaluate ${expression}`));
    return this.#send({ eval: expression }, `eval ${expression}`, options);
  }

  /** Stops retrying, fails outstanding calls and closes the socket; resolves once it is closed. */
  close(): Promise<void> {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const socket = this.#socket;
    this.#setState('closed', 'closed by the client');
    this.#failPending('closed', (what) => `${what} was cancelled: the client was closed`);
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => {
      this.#closeWaiters.push(resolve);
      socket.close();
    });
  }

  #notConnected(action: string): CoppeliaSimError {
    const why = this.#lastError ? `: ${this.#lastError}` : '';
    return new CoppeliaSimError('not-connected', `cannot ${action}: not connected to CoppeliaSim at ${this.url} (${this.#state}${why})`);
  }

  #setState(state: ConnectionState, detail: string): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of [...this.#listeners]) {
      try {
        listener({ state, detail });
      } catch (err) {
        this.#log('error', `a connection listener threw: ${(err as Error).message}`);
      }
    }
  }

  #attempt(): void {
    this.#retryTimer = null;
    this.#setState('connecting', `connecting to ${this.url}`);
    const socket: FrameSocket = this.#factory(this.url, {
      onOpen: () => void this.#onOpen(socket),
      onFrame: (frame) => this.#onFrame(socket, frame),
      onClose: (detail) => this.#onClose(socket, detail),
    });
    this.#socket = socket;
  }

  async #onOpen(socket: FrameSocket): Promise<void> {
    try {
      for (const module of this.#requireModules) {
        try {
          await this.#send({ func: 'wsRemoteApi.require', args: [module] }, 'wsRemoteApi.require', {});
        } catch (err) {
          // Before 4.10 the add-on has no wsRemoteApi.require and `sim` is already global.
          if (!(err instanceof CoppeliaSimError) || err.kind !== 'remote') throw err;
          this.#log('debug', `wsRemoteApi.require('${module}') is not available (${err.remoteMessage}); assuming CoppeliaSim before 4.10`);
        }
      }
    } catch (err) {
      if (socket === this.#socket) {
        this.#setupFailure = `setup after connecting failed: ${(err as Error).message}`;
        socket.close();
      }
      return;
    }
    if (socket !== this.#socket || this.#state === 'closed') return;
    const after = this.#failedAttempts > 0 ? ` after ${this.#failedAttempts} failed attempt(s)` : '';
    this.#failedAttempts = 0;
    this.#retries = 0;
    this.#lastError = null;
    this.#log('info', `connected to CoppeliaSim at ${this.url}${after}`);
    this.#setState('connected', `connected to ${this.url}`);
  }

  #onClose(socket: FrameSocket, detail: string): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    const wasConnected = this.#state === 'connected';
    this.#failPending('disconnected', (what) => `connection to CoppeliaSim at ${this.url} was lost while ${what} waited for its reply (${detail})`);
    if (this.#state === 'closed') {
      for (const done of this.#closeWaiters.splice(0)) done();
      return;
    }
    const why = this.#setupFailure ?? detail;
    this.#setupFailure = null;
    this.#lastError = why;
    if (wasConnected) {
      this.#log('warn', `lost the connection to CoppeliaSim at ${this.url} (${why})`);
      this.#setState('disconnected', `connection to ${this.url} lost: ${why}`);
    } else if (this.#failedAttempts === 0) {
      this.#log('warn', `cannot reach CoppeliaSim at ${this.url} (${why}); ${HOW_TO_START}${this.#reconnect ? '; retrying with backoff' : ''}`);
    } else {
      this.#log('debug', `attempt ${this.#failedAttempts + 1} to reach ${this.url} failed (${why})`);
    }
    if (!wasConnected) this.#failedAttempts += 1;
    if (!this.#reconnect) {
      this.#setState('disconnected', `not connected to ${this.url}: ${why}`);
      return;
    }
    const delay = backoffDelay(this.#retries++, this.#policy, this.#random);
    this.#retryTimer = setTimeout(() => this.#attempt(), delay);
  }

  #send(request: RemoteApiRequest, what: string, options: CallOptions): Promise<WireValue[]> {
    const socket = this.#socket;
    if (!socket) return Promise.reject(this.#notConnected(what));
    const id = String(this.#nextId++);
    let frame: Frame;
    try {
      frame = encodeRequest({ ...request, id }, options.encoding ?? this.#encoding);
    } catch (err) {
      return Promise.reject(new CoppeliaSimError('protocol', `cannot encode ${what}: ${(err as Error).message}`, what));
    }
    const timeoutMs = options.timeoutMs ?? this.#callTimeoutMs;
    return new Promise<WireValue[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#timedOut.push(id);
        if (this.#timedOut.length > TIMED_OUT_MEMORY) this.#timedOut.shift();
        reject(new CoppeliaSimError('timeout', `CoppeliaSim at ${this.url} did not answer ${what} (request ${id}) within ${timeoutMs} ms`, what));
      }, timeoutMs);
      this.#pending.set(id, { func: what, what: `${what} (request ${id})`, resolve, reject, timer });
      try {
        socket.send(frame);
      } catch (err) {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(new CoppeliaSimError('disconnected', `cannot send ${what} to ${this.url}: ${(err as Error).message}`, what));
      }
    });
  }

  #onFrame(socket: FrameSocket, frame: Frame): void {
    if (socket !== this.#socket) return;
    let reply: RemoteApiReply;
    try {
      reply = decodeReply(frame);
    } catch (err) {
      const oldest = this.#pending.keys().next();
      const message = (err as Error).message;
      if (oldest.done) {
        this.#log('warn', `ignoring a frame from ${this.url} while no call waits: ${message}`);
        return;
      }
      this.#settle(oldest.value, (call) => call.reject(new CoppeliaSimError('protocol', `bad reply to ${call.what}: ${message}`, call.func)));
      return;
    }
    const id = reply.id === null ? null : String(reply.id);
    if (id === null || !this.#pending.has(id)) {
      const known = id !== null && this.#timedOut.includes(id);
      this.#log(known ? 'debug' : 'warn', `ignoring a reply for request ${id ?? '(no id)'}: ${known ? 'it timed out earlier' : 'no call with that id is waiting'}`);
      return;
    }
    this.#settle(id, (call) => {
      if (reply.success) call.resolve([...reply.ret]);
      else call.reject(new CoppeliaSimError('remote', `${call.what} failed in CoppeliaSim: ${reply.error}`, call.func, reply.error));
    });
  }

  #settle(id: string, finish: (call: PendingCall) => void): void {
    const call = this.#pending.get(id);
    if (!call) return;
    this.#pending.delete(id);
    clearTimeout(call.timer);
    finish(call);
  }

  #failPending(kind: CoppeliaSimErrorKind, message: (what: string) => string): void {
    for (const id of [...this.#pending.keys()]) {
      this.#settle(id, (call) => call.reject(new CoppeliaSimError(kind, message(call.what), call.func)));
    }
  }
}
