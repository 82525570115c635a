import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { folderWith, get, LOCAL_SECRET, RawClient, type RawResponse } from './support';

// The app as `npm run app` starts it, in a child process, so real signals reach it. Only 127.0.0.1.
const ROOT = path.resolve(__dirname, '../../..');
const APP_SCRIPT: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.app;

interface RunningApp {
  readonly child: ChildProcess;
  readonly lines: Array<Record<string, unknown>>;
  readonly stdout: () => string;
  readonly exited: Promise<number | null>;
  waitFor(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function startApp(env: Record<string, string>): RunningApp {
  const [node, ...args] = APP_SCRIPT.split(' ');
  expect(node).toBe('node');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const lines: Array<Record<string, unknown>> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const complete = out.split('\n');
    lines.length = 0;
    for (const line of complete.slice(0, -1)) lines.push(JSON.parse(line));
  });
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    stdout: () => out,
    async waitFor(msg, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = lines.find((l) => l.msg === msg);
        if (line) return line;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no '${msg}' log line; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

const running: RunningApp[] = [];
afterEach(() => {
  for (const app of running.splice(0)) if (app.child.exitCode === null) app.child.kill('SIGKILL');
});

// Generous but bounded: eight engineers share two cores, and the telemetry distro takes seconds to load.
const STARTUP_MS = 30_000;

async function ready(env: Record<string, string> = {}) {
  const app = startApp(env);
  running.push(app);
  const port = Number((await app.waitFor('listening', STARTUP_MS)).port);
  await app.waitFor('ready', STARTUP_MS);
  return { app, port };
}

describe('npm run app', () => {
  it('serves on 127.0.0.1 with the local settings and secrets, at the port PORT names', async () => {
    const { app, port } = await ready();
    expect(await app.waitFor('listening')).toMatchObject({ level: 'info', host: '127.0.0.1', version: '0.0.0-local' });
    expect(port).toBeGreaterThan(0);
    const page = await get(port, '/');
    expect(page.body).toContain('Photo View (local)');
    expect(page.body).toContain('storage account photoviewlocal');
    expect(app.stdout()).toContain('"msg":"telemetry off: no APPLICATIONINSIGHTS_CONNECTION_STRING setting"');
    expect(app.stdout()).not.toContain('FAKE-LOCAL-ONLY');
    expect(fs.readFileSync(path.join(ROOT, 'workloads/photo-view/app/local.env'), 'utf8')).toMatch(/^HOST=127\.0\.0\.1$/m);
  }, 45_000);

  it('stops at startup with a clear error naming a missing secret, and exits 1', async () => {
    const empty = folderWith({});
    try {
      const app = startApp({ PHOTO_VIEW_SECRETS_DIR: empty.dir });
      running.push(app);
      expect(await app.exited).toBe(1);
      const error = app.lines.find((l) => l.level === 'error');
      expect(error?.msg).toMatch(
        /^photo-view cannot start:\n {2}- missing required secret STORAGE_CONNECTION_STRING: no non-empty file .*STORAGE_CONNECTION_STRING/,
      );
      expect(app.lines.some((l) => l.msg === 'listening')).toBe(false);
    } finally {
      empty.remove();
    }
  }, 45_000);
});

describe('SIGTERM under concurrent load', () => {
  it('drops no in-flight request; new connections are refused or see not-ready; exits 0', async () => {
    const { app, port } = await ready();
    const photo = (await get(port, '/photos/city.svg')).body;

    // Requests in flight when SIGTERM arrives: headers half sent, or a body still coming.
    const halfHeaders = Array.from({ length: 16 }, () => new RawClient(port));
    const halfBodies = Array.from({ length: 8 }, () => new RawClient(port));
    const readiness = new RawClient(port);
    await Promise.all([...halfHeaders, ...halfBodies, readiness].map((c) => c.connected));
    for (const c of halfHeaders) c.write('GET /photos/city.svg HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    for (const c of halfBodies) c.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n12345');
    readiness.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // Plus a stream of complete requests on fresh connections, right up to the signal.
    let loading = true;
    const outcomes: string[] = [];
    const load = (async () => {
      while (loading) {
        const client = new RawClient(port);
        try {
          await client.connected;
        } catch (error) {
          outcomes.push((error as NodeJS.ErrnoException).code ?? 'error');
          continue;
        }
        client.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
        const response = await client.response(15_000).catch(() => undefined);
        // Status 0: closed before a single response byte. That is a connection the kernel accepted into
        // the listen backlog just as the app stopped listening, never seen by the app: refused, in effect.
        // In the cluster the pre-stop delay keeps new connections away by then.
        outcomes.push(response ? (response.status === 0 ? 'refused' : String(response.status)) : 'no complete response');
        client.close();
      }
    })();
    await new Promise((r) => setTimeout(r, 300));

    app.child.kill('SIGTERM');
    expect(await app.waitFor('draining')).toMatchObject({ inFlight: expect.any(Number) });
    loading = false;
    await load;

    // The listener is closed: a new connection is refused.
    await expect(
      new Promise((resolve, reject) => net.connect(port, '127.0.0.1').once('connect', resolve).once('error', reject)),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    // Every request that was in flight completes, and its connection closes after the response.
    for (const c of halfHeaders) c.write('\r\n');
    for (const c of halfBodies) c.write('67890');
    readiness.write('\r\n');
    const responses: RawResponse[] = await Promise.all([...halfHeaders, ...halfBodies].map((c) => c.response(15_000)));
    expect(responses.filter((r) => r.status !== 200)).toEqual([]);
    expect(responses.slice(0, halfHeaders.length).every((r) => r.body === photo)).toBe(true);
    expect(responses.every((r) => r.closed && r.headers.connection === 'close')).toBe(true);
    expect(await readiness.response(15_000)).toMatchObject({ status: 503, body: '{"status":"draining"}\n' });

    // Requests of the load stream either completed or were refused at connect, none cut off.
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o !== '200' && o !== 'ECONNREFUSED' && o !== 'refused')).toEqual([]);
    expect(outcomes).toContain('200');

    expect(await app.exited).toBe(0);
    expect(await app.waitFor('stopped')).toMatchObject({ aborted: 0 });
  }, 60_000);
});

describe('telemetry with an Application Insights connection string setting', () => {
  // A stand-in for the ingestion endpoint on 127.0.0.1, over TLS (the exporter turns http:// into
  // https://) with a throw-away certificate the child trusts through NODE_EXTRA_CA_CERTS. The real distro
  // exports to it. Statsbeat is off and CLUSTER_RESOURCE_ID says "AKS", so the distro neither reports to
  // Microsoft nor probes the VM metadata service; the connection string points live metrics here too.
  it('exports request spans and metrics, flushed on SIGTERM', async () => {
    const tls = folderWith({});
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(tls.dir, 'key.pem'),
        '-out',
        path.join(tls.dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const envelopes: Array<{ name: string; data?: { baseType?: string; baseData?: Record<string, unknown> } }> = [];
    const ingestion = https.createServer(
      { key: fs.readFileSync(path.join(tls.dir, 'key.pem')), cert: fs.readFileSync(path.join(tls.dir, 'cert.pem')) },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString();
          if (req.url?.includes('/track')) {
            const parsed = text.trim().startsWith('[')
              ? JSON.parse(text)
              : text
                  .trim()
                  .split('\n')
                  .map((l) => JSON.parse(l));
            envelopes.push(...parsed);
            res
              .writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify({ itemsReceived: parsed.length, itemsAccepted: parsed.length, errors: [] }));
          } else {
            res.writeHead(200).end('{}');
          }
        });
      },
    );
    await new Promise<void>((r) => ingestion.listen(0, '127.0.0.1', r));
    const port = (ingestion.address() as net.AddressInfo).port;
    const secrets = folderWith({ STORAGE_CONNECTION_STRING: LOCAL_SECRET });
    const connectionString = {
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://127.0.0.1:${port}/;LiveEndpoint=https://127.0.0.1:${port}/`,
    };
    try {
      const { app, port: appPort } = await ready({
        PHOTO_VIEW_SECRETS_DIR: secrets.dir,
        ...connectionString,
        APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
        // The distro's default samples at most 5 traces a second, from an empty bucket at startup; keep every one.
        OTEL_TRACES_SAMPLER: 'always_on',
        NODE_EXTRA_CA_CERTS: path.join(tls.dir, 'cert.pem'),
        CLUSTER_RESOURCE_ID:
          '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-test',
      });
      expect(app.stdout()).toContain(
        '"msg":"telemetry on: traces and request metrics go to Application Insights, without Entra ID (no workload identity)"',
      );
      expect((await get(appPort, '/version')).status).toBe(200);
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      // The export may still be arriving here while the child has already gone.
      const requests = () => envelopes.filter((e) => e.data?.baseType === 'RequestData');
      for (const deadline = Date.now() + 10_000; requests().length === 0 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
      expect(requests().map((e) => e.data?.baseData?.url)).toContainEqual(expect.stringMatching(/\/version$/));
      expect(envelopes.some((e) => e.data?.baseType === 'MetricData')).toBe(true);
      expect(app.stdout()).not.toContain('InstrumentationKey=');
      expect(app.stdout()).not.toContain('telemetry flush failed');
    } finally {
      secrets.remove();
      tls.remove();
      ingestion.close();
    }
  }, 60_000);
});
