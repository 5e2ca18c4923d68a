/**
 * The socket under the remote API client, reduced to what the client needs: open, frames in and
 * out, close. Tests inject a fake; production uses the `ws` package.
 */
import WebSocket from 'ws';
import type { Frame } from './ws-protocol';

export interface FrameSocketHandlers {
  onOpen(): void;
  /** Text frames arrive as strings, binary frames as bytes. */
  onFrame(frame: Frame): void;
  /** Called exactly once, whether or not the socket ever opened; `detail` says why in words. */
  onClose(detail: string): void;
}

export interface FrameSocket {
  /** Strings go out as text frames, bytes as binary frames. Throws when the socket is not open. */
  send(frame: Frame): void;
  close(): void;
}

export type FrameSocketFactory = (url: string, handlers: FrameSocketHandlers) => FrameSocket;

export interface WebSocketOptions {
  /** Give up on an opening handshake after this long, ms. */
  readonly handshakeTimeoutMs?: number;
  /** Largest frame accepted, bytes (a 1920x1080 RGB image is about 6.2 MB). */
  readonly maxPayloadBytes?: number;
}

function frameBytes(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export function webSocketFactory(options: WebSocketOptions = {}): FrameSocketFactory {
  return (url, handlers) => {
    const ws = new WebSocket(url, {
      handshakeTimeout: options.handshakeTimeoutMs ?? 3000,
      maxPayload: options.maxPayloadBytes ?? 64 * 1024 * 1024,
      perMessageDeflate: false,
    });
    let lastError: string | null = null;
    ws.on('open', () => handlers.onOpen());
    ws.on('message', (data, isBinary) => {
      const bytes = frameBytes(data);
      handlers.onFrame(isBinary ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes.toString('utf8'));
    });
    ws.on('error', (err) => {
      lastError = err.message;
    });
    ws.on('close', (code, reason) => {
      const why = reason.length > 0 ? `: ${reason.toString('utf8')}` : '';
      handlers.onClose(lastError ?? `closed with code ${code}${why}`);
    });
    return {
      send(frame) {
        if (ws.readyState !== WebSocket.OPEN) throw new Error(`socket to ${url} is not open`);
        ws.send(frame, { binary: typeof frame !== 'string' });
      },
      close() {
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(1000);
      },
    };
  };
}
