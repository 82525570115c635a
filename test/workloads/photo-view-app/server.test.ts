import { createPhotoViewServer, MAX_BODY_BYTES, type PhotoViewServer } from '../../../workloads/photo-view/app/src/server';
import { loadPhotos, type Photo } from '../../../workloads/photo-view/app/src/photos';
import { jsonLogger } from '../../../workloads/photo-view/app/src/log';
import { PHOTO_VIEW_CONTRACT } from '../../../workloads/photo-view/contract';
import { get, localConfig, memoryLogger, PHOTOS_DIR, RawClient, request } from './support';

// The real server on 127.0.0.1 with an ephemeral port, in this process.
let photos: ReadonlyArray<Photo>;
const started: PhotoViewServer[] = [];

async function serve(env: Record<string, string> = {}, ready = true) {
  const logger = memoryLogger();
  const app = createPhotoViewServer(localConfig(env), logger);
  started.push(app);
  const port = await app.listen();
  if (ready) app.ready(photos);
  return { app, port, logger };
}

beforeAll(async () => {
  photos = await loadPhotos(PHOTOS_DIR);
});
afterAll(async () => {
  for (const app of started) if (app.server.listening) await new Promise((r) => app.server.close(r));
  for (const app of started) app.server.closeAllConnections();
});

describe('photo-view gallery', () => {
  it('shows the running version, and two versions look different (colour and layout)', async () => {
    const v1 = await serve({ APP_VERSION: '1.4.2' });
    const v2 = await serve({ APP_VERSION: '2.0.0' });
    const [page1, page2] = await Promise.all([get(v1.port, '/'), get(v2.port, '/')]);
    expect([page1.status, page2.status]).toEqual([200, 200]);
    expect(page1.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page1.body).toContain('<title>Photo View (local) · v1.4.2</title>');
    expect(page1.body).toContain('<span class="version">v1.4.2</span>');
    expect(page2.body).toContain('<span class="version">v2.0.0</span>');
    expect(page1.body).toContain('data-layout="grid"');
    expect(page2.body).toContain('data-layout="strip"');
    const [css1, css2] = await Promise.all([get(v1.port, '/gallery.css'), get(v2.port, '/gallery.css')]);
    const background = (css: string) => /body \{[^}]*background: (hsl\([^)]*\))/.exec(css)?.[1];
    expect(background(css1.body)).toMatch(/^hsl\(\d+ 45% 94%\)$/);
    expect(background(css1.body)).not.toEqual(background(css2.body));
    expect((await get(v2.port, '/version')).body).toBe('{"version":"2.0.0"}\n');
  });

  it('shows every photo shipped in the image, each served from memory with an ETag', async () => {
    const { port } = await serve();
    const page = (await get(port, '/')).body;
    const sources = [...page.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toEqual(photos.map((p) => `/photos/${p.file}`));
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) {
      const photo = await get(port, source);
      expect([photo.status, photo.headers['content-type'], photo.body]).toEqual([200, 'image/svg+xml', expect.stringContaining('<svg')]);
      expect((await get(port, source, `If-None-Match: ${photo.headers.etag}\r\n`)).status).toBe(304);
    }
  });

  it('escapes the configured title', async () => {
    const { port } = await serve({ GALLERY_TITLE: '<script>alert(1)</script>' });
    const page = (await get(port, '/')).body;
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('sends a strict Content-Security-Policy and nosniff', async () => {
    const { port } = await serve();
    const page = await get(port, '/');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('photo-view probes', () => {
  it(`liveness (${PHOTO_VIEW_CONTRACT.livenessPath}) answers from the start; readiness (${PHOTO_VIEW_CONTRACT.readinessPath}) only once configuration is loaded`, async () => {
    const { app, port } = await serve({}, false);
    expect(await get(port, '/healthz')).toMatchObject({ status: 200, body: '{"status":"ok"}\n' });
    expect(await get(port, '/readyz')).toMatchObject({ status: 503, body: '{"status":"starting"}\n' });
    expect((await get(port, '/')).status).toBe(503);
    app.ready(photos);
    expect(await get(port, '/readyz')).toMatchObject({ status: 200, body: '{"status":"ready"}\n' });
  });

  it('readiness fails while draining; the request in flight finishes and its connection closes', async () => {
    const { app, port } = await serve();
    const inFlight = new RawClient(port);
    await inFlight.connected;
    inFlight.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await new Promise((r) => setTimeout(r, 100));
    const drained = app.drain();
    expect(app.server.listening).toBe(false);
    inFlight.write('\r\n');
    expect(await inFlight.response()).toMatchObject({ status: 503, body: '{"status":"draining"}\n', closed: true, headers: { connection: 'close' } });
    expect(await drained).toBe(0);
  });
});

describe('photo-view bad requests get 4xx and never stop the server', () => {
  let port: number;
  let logger: ReturnType<typeof memoryLogger>;
  beforeAll(async () => {
    ({ port, logger } = await serve());
  });
  afterAll(async () => {
    // Still serving after every bad request above.
    expect((await get(port, '/healthz')).status).toBe(200);
  });

  it.each([
    ['an unknown path', 'GET /nope HTTP/1.1\r\nHost: x\r\n\r\n', 404],
    ['a path outside the photos', 'GET /photos/..%2F..%2Fpackage.json HTTP/1.1\r\nHost: x\r\n\r\n', 404],
    ['bad percent-encoding', 'GET /photos/%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a POST (only GET and HEAD)', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}', 405],
    ['a declared body over the limit', `GET / HTTP/1.1\r\nHost: x\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`, 413],
    [
      'a chunked body over the limit',
      `GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${(2 * MAX_BODY_BYTES).toString(16)}\r\n${'x'.repeat(2 * MAX_BODY_BYTES)}\r\n0\r\n\r\n`,
      413,
    ],
    ['a malformed request line', 'HELLO\r\n\r\n', 400],
    ['headers over 8 KiB', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(9000)}\r\n\r\n`, 431],
  ])('rejects %s', async (_name, raw, status) => {
    expect((await request(port, raw)).status).toBe(status);
  });

  it('rejects a method with Allow: GET, HEAD', async () => {
    expect((await request(port, 'DELETE / HTTP/1.1\r\nHost: x\r\n\r\n')).headers.allow).toBe('GET, HEAD');
  });

  it('answers HEAD without a body', async () => {
    const head = await request(port, 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect([head.status, head.body, Number(head.headers['content-length'])]).toEqual([200, '', expect.any(Number)]);
  });

  it('logs every request as one JSON line without the query string', async () => {
    await get(port, '/version?token=abc');
    const line = logger.lines.find((l) => l.msg === 'request' && (l.fields as { path?: string }).path === '/version');
    expect(line).toEqual({ level: 'info', msg: 'request', fields: { method: 'GET', path: '/version', status: 200, durationMs: expect.any(Number) } });
    expect(logger.text()).not.toContain('token=abc');
  });
});

describe('photo-view request timeout', () => {
  it('answers 408 to a client that stops sending its headers', async () => {
    const { port } = await serve({ REQUEST_TIMEOUT_MS: '100' });
    const slow = new RawClient(port);
    await slow.connected;
    slow.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const started = Date.now();
    expect((await slow.response(8000)).status).toBe(408);
    // Well before the default timeout (10 s): the configured one applies. Bounded loosely for busy machines.
    expect(Date.now() - started).toBeLessThan(6000);
    slow.close();
  });
});

describe('JSON logger', () => {
  it('writes one JSON object per line at or above its level', () => {
    const lines: string[] = [];
    const logger = jsonLogger('warn', (line) => lines.push(line));
    logger.log('info', 'hidden');
    logger.log('error', 'shown', { status: 500 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toEqual({ time: expect.any(String), level: 'error', msg: 'shown', status: 500 });
  });
});
