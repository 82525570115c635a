import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { PHOTO_VIEW_CONTRACT, type AppContract } from '../../contract';
import type { AppConfig } from './config';
import { galleryCss, galleryHtml, themeFor } from './gallery';
import type { Logger } from './log';
import type { Photo } from './photos';

/** starting: listening, configuration not loaded yet; ready: serving; draining: SIGTERM received. */
export type ServerState = 'starting' | 'ready' | 'draining';

/** The app only answers GET and HEAD, so a body is never needed; anything larger than this is refused. */
export const MAX_BODY_BYTES = 1024;
/** Request line and headers together (Node's default is 16 KiB). */
export const MAX_HEADER_BYTES = 8192;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/** The photo-view HTTP server and its lifecycle. */
export interface PhotoViewServer {
  readonly server: http.Server;
  state(): ServerState;
  /** Starts listening on the configured host and port; resolves to the port (useful with port 0). */
  listen(): Promise<number>;
  /** Serves the gallery with these photos and reports ready. */
  ready(photos: ReadonlyArray<Photo>): void;
  /**
   * Stops accepting connections, reports not ready, lets in-flight requests finish and closes each
   * connection after its response. Resolves to the number of requests cut off at the drain deadline (0 normally).
   */
  drain(): Promise<number>;
}

interface Response {
  readonly status: number;
  readonly type?: string;
  readonly body?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

const json = (status: number, value: unknown, headers?: Record<string, string>): Response => ({
  status,
  type: 'application/json',
  body: JSON.stringify(value) + '\n',
  headers,
});

/** Creates (but does not start) the server for a loaded configuration. */
export function createPhotoViewServer(config: AppConfig, logger: Logger, contract: AppContract = PHOTO_VIEW_CONTRACT): PhotoViewServer {
  let state: ServerState = 'starting';
  let photos = new Map<string, Photo>();
  let page = '';
  let inFlight = 0;
  const theme = themeFor(config.version);
  const css = galleryCss(theme);

  const server = http.createServer({
    // Both bound the whole request (slow headers and slow bodies alike) and are checked every second.
    requestTimeout: config.requestTimeoutMs,
    headersTimeout: config.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
    keepAliveTimeout: 5000,
    maxHeaderSize: MAX_HEADER_BYTES,
  });

  const route = (method: string, pathname: string, req: http.IncomingMessage): Response => {
    if (method !== 'GET' && method !== 'HEAD') return json(405, { error: `method ${method} not allowed` }, { allow: 'GET, HEAD' });
    if (pathname === contract.livenessPath) return json(200, { status: 'ok' });
    if (pathname === contract.readinessPath) return json(state === 'ready' ? 200 : 503, { status: state });
    if (pathname === '/version') return json(200, { version: config.version });
    if (state === 'starting') return json(503, { error: 'starting' }, { 'retry-after': '1' });
    if (pathname === '/') return { status: 200, type: 'text/html; charset=utf-8', body: page, headers: { 'cache-control': 'no-store' } };
    if (pathname === '/gallery.css') return { status: 200, type: 'text/css; charset=utf-8', body: css, headers: { 'cache-control': 'no-store' } };
    const photo = pathname.startsWith('/photos/') ? photos.get(pathname.slice('/photos/'.length)) : undefined;
    if (photo) {
      const cached = req.headers['if-none-match'] === photo.etag;
      return {
        status: cached ? 304 : 200,
        type: photo.contentType,
        body: cached ? undefined : photo.body,
        headers: { etag: photo.etag, 'cache-control': 'public, max-age=300' },
      };
    }
    return json(404, { error: 'not found' });
  };

  const send = (res: http.ServerResponse, response: Response, closeConnection = false) => {
    res.writeHead(response.status, {
      // While draining, every response closes its connection, so keep-alive clients reconnect elsewhere.
      ...(closeConnection || state === 'draining' ? { connection: 'close' } : {}),
      ...SECURITY_HEADERS,
      ...(response.type ? { 'content-type': response.type } : {}),
      ...(response.body !== undefined ? { 'content-length': String(Buffer.byteLength(response.body)) } : {}),
      ...response.headers,
    });
    res.end(response.body);
  };

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const started = performance.now();
    const pathname = (req.url ?? '/').split('?')[0];
    inFlight += 1;
    res.on('close', () => {
      inFlight -= 1;
      const fields = {
        method: req.method,
        path: pathname.slice(0, 200),
        status: res.statusCode,
        durationMs: Math.round(performance.now() - started),
      };
      logger.log(res.statusCode >= 500 ? 'error' : 'info', 'request', fields);
      if (state === 'draining') server.closeIdleConnections();
    });

    const declared = Number(req.headers['content-length'] ?? 0);
    if (!(declared <= MAX_BODY_BYTES)) {
      send(res, json(413, { error: `request body larger than ${MAX_BODY_BYTES} bytes` }), true);
      return;
    }
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_BODY_BYTES && !res.headersSent) {
        // Node closes the connection once this response is written, dropping the rest of the body.
        send(res, json(413, { error: `request body larger than ${MAX_BODY_BYTES} bytes` }), true);
      }
    });
    req.on('end', () => {
      if (res.headersSent) return;
      let response: Response;
      try {
        response = /^\/[\x21-\x7e]*$/.test(pathname)
          ? route(req.method ?? 'GET', decodeURIComponent(pathname), req)
          : json(400, { error: 'bad request path' });
      } catch (error) {
        const uriError = error instanceof URIError;
        if (!uriError) logger.log('error', 'request failed', { path: pathname.slice(0, 200), error: String((error as Error).stack ?? error) });
        response = uriError ? json(400, { error: 'bad percent-encoding in path' }) : json(500, { error: 'internal error' });
      }
      send(res, response);
    });
  });

  // Malformed requests, oversized headers and timeouts never reach 'request'; answer them like Node
  // would (400, 431, 408), but log them as JSON.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } }) => {
    if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    logger.log('warn', 'bad request', { status, error: error.code ?? error.message });
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });

  return {
    server,
    state: () => state,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const address = server.address();
          const port = typeof address === 'object' && address ? address.port : config.port;
          logger.log('info', 'listening', { host: config.host, port, version: config.version });
          resolve(port);
        });
      }),
    ready(loaded) {
      photos = new Map(loaded.map((p) => [p.file, p]));
      page = galleryHtml({ title: config.galleryTitle, version: config.version, theme, photos: loaded, storageAccount: config.storageAccount });
      if (state === 'starting') state = 'ready';
      logger.log('info', 'ready', { photos: loaded.length, layout: theme.layout, hue: theme.hue });
    },
    drain() {
      state = 'draining';
      logger.log('info', 'draining', { inFlight, deadlineMs: config.drainTimeoutMs });
      return new Promise((resolve) => {
        const deadline = setTimeout(() => {
          const aborted = inFlight;
          server.closeAllConnections();
          resolve(aborted);
        }, config.drainTimeoutMs);
        deadline.unref();
        // close() stops accepting and (Node >= 19) closes idle keep-alive connections; its callback runs
        // once the last connection has closed.
        server.close(() => {
          clearTimeout(deadline);
          resolve(0);
        });
        server.closeIdleConnections();
      });
    },
  };
}
