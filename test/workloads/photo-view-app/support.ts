import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig, type AppConfig } from '../../../workloads/photo-view/app/src/config';
import type { Logger, LogLevel } from '../../../workloads/photo-view/app/src/log';

export const APP_DIR = path.resolve(__dirname, '../../../workloads/photo-view/app');
export const PHOTOS_DIR = path.join(APP_DIR, 'photos');
export const LOCAL_SECRET = fs.readFileSync(path.join(APP_DIR, 'local/secrets/STORAGE_CONNECTION_STRING'), 'utf8').trim();

/** A temporary folder with files (name -> content); removed by the returned cleanup. */
export function folderWith(files: Record<string, string>): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'photo-view-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A config as the image would load it, with the local sample settings and secrets. */
export function localConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    APP_VERSION: '1.0.0',
    PORT: '0',
    PHOTO_VIEW_SETTINGS_DIR: path.join(APP_DIR, 'local/settings'),
    PHOTO_VIEW_SECRETS_DIR: path.join(APP_DIR, 'local/secrets'),
    PHOTO_VIEW_PHOTOS_DIR: PHOTOS_DIR,
    ...env,
  });
}

/** A logger that keeps what it is given. */
export function memoryLogger(): Logger & { lines: Array<{ level: LogLevel; msg: string; fields?: object }>; text: () => string } {
  const lines: Array<{ level: LogLevel; msg: string; fields?: object }> = [];
  return { lines, log: (level, msg, fields) => lines.push({ level, msg, fields }), text: () => JSON.stringify(lines) };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Whether the server closed the connection after the response. */
  closed: boolean;
}

/** Parses the first HTTP/1.1 response in `raw` (content-length bodies only, which is all the app sends). */
export function parseResponse(raw: Buffer, closed: boolean): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine, ...headerLines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: raw.subarray(end + 4).toString('utf8'), closed };
}

/** A raw TCP client: send exactly these bytes (in pieces if needed) and read the response. */
export class RawClient {
  private readonly socket: net.Socket;
  private data = Buffer.alloc(0);
  private closed = false;
  /** Called on every chunk and on close: the pending response() checks whether it is complete. */
  private changed: () => void = () => undefined;
  readonly connected: Promise<void>;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
      this.changed();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.changed();
    });
    this.socket.on('error', () => undefined);
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
  }

  write(bytes: string): void {
    this.socket.write(bytes, 'latin1');
  }

  /**
   * Resolves with the response once it is complete (by content-length; no body for HEAD) or the
   * connection closed; rejects after `timeoutMs`. Event-driven: it resolves as soon as the bytes arrive.
   */
  response(timeoutMs = 5000, head = false): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const finish = (outcome: () => void) => {
        clearTimeout(deadline);
        this.changed = () => undefined;
        outcome();
      };
      const deadline = setTimeout(
        () =>
          finish(() =>
            reject(new Error(`no complete response within ${timeoutMs} ms; got ${JSON.stringify(this.data.toString('latin1').slice(0, 200))}`)),
          ),
        timeoutMs,
      );
      this.changed = () => {
        const end = this.data.indexOf('\r\n\r\n');
        if (end >= 0) {
          const length = head ? 0 : Number(/\r\ncontent-length: *(\d+)/i.exec(this.data.subarray(0, end).toString('latin1'))?.[1] ?? 0);
          if (this.data.length - end - 4 >= length) {
            // So that `closed` says whether the server closed the connection: a close the response
            // announces is waited for (until the deadline); one it does not announce counts if it has
            // arrived by the next turn of the event loop (on loopback it comes with the last bytes).
            const announced = /\r\nconnection: *close\r\n/i.test(this.data.subarray(0, end + 2).toString('latin1'));
            if (announced && !this.closed) return;
            if (this.closed) finish(() => resolve(parseResponse(this.data, true)));
            else setImmediate(() => finish(() => resolve(parseResponse(this.data, this.closed))));
            this.changed = () => undefined;
            return;
          }
        }
        if (this.closed) finish(() => resolve(parseResponse(this.data.length > 0 ? this.data : Buffer.from('HTTP/1.1 000 NONE\r\n\r\n'), true)));
      };
      this.changed();
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** One complete request on a fresh connection. */
export async function request(port: number, head: string, body = ''): Promise<RawResponse> {
  const client = new RawClient(port);
  await client.connected;
  client.write(head + body);
  try {
    return await client.response(5000, head.startsWith('HEAD '));
  } finally {
    client.close();
  }
}

export const get = (port: number, pathname: string, extraHeaders = '') =>
  request(port, `GET ${pathname} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extraHeaders}\r\n`);
