/**
 * CoppeliaSim WebSocket remote API ("WS remote API server" add-on): message types and pure
 * encode/decode, with no socket. Facts: /work/shared/reference/coppeliasim-remote-api.md.
 *
 * The server picks the encoding per message from its first byte: `{` means JSON (answered in a
 * text frame), anything else CBOR (answered in a binary frame). A function that returns nothing
 * answers `ret: []` in JSON but `ret: {}` (the empty CBOR map `a0`) in CBOR, because the server's
 * Lua CBOR encoder writes an empty table as a map.
 */
import { Decoder, Encoder } from 'cbor-x';

/** A value that can travel in a request or a reply. Byte strings need CBOR. */
export type WireValue = null | boolean | number | string | Uint8Array | readonly WireValue[] | WireMap;
export interface WireMap {
  readonly [key: string]: WireValue;
}

export type Encoding = 'json' | 'cbor';

/** `{func, args, id}`: call a function by its dotted name (`sim.getObject`, `step`). */
export interface CallRequest {
  readonly func: string;
  readonly args: readonly WireValue[];
  readonly id?: string;
}

/** `{eval, id}`: evaluate a Lua expression; the server prefixes `return `. */
export interface EvalRequest {
  readonly eval: string;
  readonly id?: string;
}

export type RemoteApiRequest = CallRequest | EvalRequest;

/** The server echoes the request's id unchanged; it is absent when the request had none. */
export type ReplyId = string | number | null;

export interface SuccessReply {
  readonly id: ReplyId;
  readonly success: true;
  readonly ret: readonly WireValue[];
}

export interface ErrorReply {
  readonly id: ReplyId;
  readonly success: false;
  readonly error: string;
}

export type RemoteApiReply = SuccessReply | ErrorReply;

/** A frame that is not a well-formed message of this protocol. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/** A frame as the transport hands it over: text frames as strings, binary frames as bytes. */
export type Frame = string | Uint8Array;

const JSON_OPEN_BRACE = 0x7b;
/** Nesting limit for decoded values: far above anything the API returns, low enough to stop a hostile frame. */
const MAX_DEPTH = 64;

// Byte strings stay byte strings (no typed-array tag), maps get their minimal length header.
const cborEncoder = new Encoder({ useRecords: false, mapsAsObjects: true, variableMapSize: true, tagUint8Array: false });
const cborDecoder = new Decoder({ useRecords: false, mapsAsObjects: true });
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function isCallRequest(request: RemoteApiRequest): request is CallRequest {
  return 'func' in request;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return 'text';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'a byte string';
  if (value instanceof Date) return 'a date (CBOR tag 0/1)';
  if (typeof value === 'object') return isPlainMap(value) ? 'a map' : `a ${value.constructor?.name ?? 'tagged value'}`;
  return `a ${typeof value}`;
}

/** Checks that a decoded value is made only of wire values; `path` names the place for the error. */
export function checkWireValue(value: unknown, path: string, depth = 0): WireValue {
  if (depth > MAX_DEPTH) throw new ProtocolError(`${path} nests deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((item: unknown, i) => checkWireValue(item, `${path}[${i}]`, depth + 1));
  if (isPlainMap(value)) {
    const out: Record<string, WireValue> = {};
    for (const [key, item] of Object.entries(value)) out[key] = checkWireValue(item, `${path}.${key}`, depth + 1);
    return out;
  }
  throw new ProtocolError(`${path} is ${describe(value)}, which the remote API never carries`);
}

/** JSON cannot carry bytes or non-finite numbers; say where such a value sits instead of sending `null`. */
function checkJsonSafe(value: WireValue, path: string): void {
  if (value instanceof Uint8Array) throw new ProtocolError(`${path} is a byte string; JSON cannot carry bytes, send it as CBOR`);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new ProtocolError(`${path} is ${value}; JSON cannot carry it, send it as CBOR`);
  if (Array.isArray(value)) value.forEach((item: WireValue, i) => checkJsonSafe(item, `${path}[${i}]`));
  else if (isPlainMap(value)) for (const [key, item] of Object.entries(value)) checkJsonSafe(item, `${path}.${key}`);
}

function encodeMap(message: WireMap, encoding: Encoding, what: string): Frame {
  if (encoding === 'cbor') return new Uint8Array(cborEncoder.encode(message));
  checkJsonSafe(message, what);
  return JSON.stringify(message);
}

export function encodeRequest(request: RemoteApiRequest, encoding: Encoding): Frame {
  const body: Record<string, WireValue> = isCallRequest(request)
    ? { func: request.func, args: request.args }
    : { eval: request.eval };
  if (request.id !== undefined) body.id = request.id;
  return encodeMap(body, encoding, isCallRequest(request) ? `request ${request.func}` : 'eval request');
}

/** Encodes a reply the way the server does: `{id, ret|error, success}`, an empty CBOR `ret` as a map. */
export function encodeReply(reply: RemoteApiReply, encoding: Encoding): Frame {
  const body: Record<string, WireValue> = {};
  if (reply.id !== null) body.id = reply.id;
  if (reply.success) body.ret = encoding === 'cbor' && reply.ret.length === 0 ? {} : reply.ret;
  else body.error = reply.error;
  body.success = reply.success;
  return encodeMap(body, encoding, 'reply');
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ProtocolError(`${what} is not valid JSON: ${(err as Error).message}`);
  }
}

function parseCbor(bytes: Uint8Array, what: string): unknown {
  if (bytes.length === 0) throw new ProtocolError(`${what} is empty`);
  try {
    return cborDecoder.decode(bytes) as unknown;
  } catch (err) {
    throw new ProtocolError(`${what} is not valid CBOR (${bytes.length} bytes): ${(err as Error).message}`);
  }
}

function decodeFrame(frame: Frame, what: string): { value: unknown; encoding: Encoding } {
  return typeof frame === 'string'
    ? { value: parseJson(frame, `${what} (text frame)`), encoding: 'json' }
    : { value: parseCbor(frame, `${what} (binary frame)`), encoding: 'cbor' };
}

function checkId(value: unknown, what: string): ReplyId {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new ProtocolError(`${what} 'id' is ${describe(value)}, expected text or a number`);
}

/**
 * A Lua table holding return values: a list, the empty map for "nothing", or (when a value in the
 * middle is nil) a map from positions 1..n, whose holes become null.
 */
function luaSequence(value: unknown, what: string): WireValue[] {
  if (Array.isArray(value)) return value.map((item: unknown, i) => checkWireValue(item, `${what}[${i}]`));
  if (!isPlainMap(value)) throw new ProtocolError(`${what} is ${describe(value)}, expected a list`);
  const keys = Object.keys(value);
  const positions = keys.map((k) => (/^[1-9][0-9]{0,5}$/.test(k) ? Number(k) : NaN));
  if (positions.some((p) => Number.isNaN(p))) {
    throw new ProtocolError(`${what} is a map with keys ${JSON.stringify(keys.slice(0, 5))}, expected a list`);
  }
  const out: WireValue[] = new Array<WireValue>(Math.max(0, ...positions)).fill(null);
  keys.forEach((k, i) => (out[positions[i] - 1] = checkWireValue(value[k], `${what}[${positions[i] - 1}]`)));
  return out;
}

/** Decodes a reply frame; throws ProtocolError naming what is wrong for anything else. */
export function decodeReply(frame: Frame): RemoteApiReply {
  const { value } = decodeFrame(frame, 'reply');
  if (!isPlainMap(value)) throw new ProtocolError(`reply is ${describe(value)}, expected a map with 'success'`);
  const id = checkId(value.id, 'reply');
  if (value.success === true) {
    // The server leaves 'ret' out only for a request naming neither 'func' nor 'eval'.
    const ret = value.ret === undefined ? [] : luaSequence(value.ret, 'reply ret');
    return { id, success: true, ret };
  }
  if (value.success === false) {
    if (typeof value.error !== 'string') {
      throw new ProtocolError(`error reply 'error' is ${describe(value.error)}, expected text`);
    }
    return { id, success: false, error: value.error };
  }
  const keys = Object.keys(value).join(', ') || 'no keys';
  throw new ProtocolError(`reply 'success' is ${describe(value.success)}, expected true or false (keys: ${keys})`);
}

/** What a server reads from one incoming frame; `encoding` is the one its reply must use. */
export interface DecodedRequest {
  readonly request: RemoteApiRequest | null;
  readonly id: ReplyId;
  readonly encoding: Encoding;
}

function requestFromMap(value: unknown): DecodedRequest['request'] {
  if (!isPlainMap(value)) throw new ProtocolError(`request is ${describe(value)}, expected a map`);
  const id = checkId(value.id, 'request');
  const idPart = id === null ? {} : { id: String(id) };
  if (typeof value.func === 'string' && value.func !== '') {
    const args = value.args === undefined ? [] : luaSequence(value.args, `request ${value.func} args`);
    return { func: value.func, args, ...idPart };
  }
  if (typeof value.eval === 'string' && value.eval !== '') return { eval: value.eval, ...idPart };
  return null;
}

/**
 * Decodes a request the way the server does: JSON when the first byte is `{` and it parses, CBOR
 * otherwise. `request` is null for a map that names neither `func` nor `eval` (the server answers
 * it with a bare success).
 */
export function decodeRequest(bytes: Uint8Array): DecodedRequest {
  let value: unknown;
  let encoding: Encoding = 'cbor';
  if (bytes.length > 0 && bytes[0] === JSON_OPEN_BRACE) {
    try {
      value = JSON.parse(utf8.decode(bytes)) as unknown;
      encoding = 'json';
    } catch {
      value = undefined;
    }
  }
  if (encoding === 'cbor') value = parseCbor(bytes, 'request');
  const id = isPlainMap(value) ? checkId(value.id, 'request') : null;
  return { request: requestFromMap(value), id, encoding };
}
