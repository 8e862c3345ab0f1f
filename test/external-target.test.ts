import { createServer } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../src/results/index.ts';
import { freePort } from '../src/process/external-program.ts';
import { runFeedbench, runFeedbenchAsync, startFeedbench, waitFor } from './helpers/cli.ts';
import type { ChildProcess } from 'node:child_process';
import { selfSignedCertificate } from '../src/server/tls-certificate.ts';
import { cellsIn } from './helpers/results-in.ts';

function scenario(dir: string, target: string, extra: Record<string, unknown> = {}): string {
  const path = join(dir, 'target.json');
  writeFileSync(
    path,
    JSON.stringify({
      name: 'target',
      transports: ['sse', 'websocket'],
      clients: 10,
      ratePerSec: 20,
      payloadBytes: 64,
      warmupMs: 500,
      durationMs: 1000,
      target,
      ...extra,
    }),
  );
  return path;
}

describe('feedbench run --target URL (a server feedbench did not start)', () => {
  let server: ChildProcess;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    // Stands in for a server written in another language: feedbench's own, run by hand.
    server = startFeedbench(['serve', '--port', String(port)]);
    let out = '';
    server.stdout!.on('data', (d) => (out += d));
    await waitFor(() => out.includes(String(port)), 15_000, 'the target to listen');
  });
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('measures delivery and latency, and reports the server figures as not measured, never zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-target-'));
    const run = runFeedbench([
      'run',
      scenario(dir, `http://127.0.0.1:${port}`),
      '--out',
      dir,
      '--no-report',
      '--progress',
      'none',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const results = readResults(
      join(
        dir,
        readdirSync(dir).find((f) => f.startsWith('target-'))!,
      ),
    );
    for (const cell of results.cells) {
      expect(cell.state, cell.reason ?? '').toBe('ok');
      const m = cell.metrics!;
      // 20 updates/s over a 1 s window, to each of 10 clients; the window's seqs are the ones seen.
      expect(m.delivery).toEqual({
        published: 200,
        delivered: 200,
        late: 0,
        lost: 0,
        duplicated: 0,
        reordered: 0,
        receiving_clients: 10,
      });
      expect(m.server).toEqual({
        cpu_ms_per_1k_updates: null,
        cpu_share: null,
        rss_bytes: null,
        peak_rss_bytes: null,
        rss_bytes_per_conn: null,
        live_bytes_per_conn: null,
        live_bytes: null,
        connections: null,
        slow_consumers: null,
      });
      expect(m.cost_per_client_hour?.server_cpu_ms).toBeNull();
      expect(m.latency_us!.count).toBe(200);
      expect(cell.external).toMatchObject({
        url: `http://127.0.0.1:${port}`,
        feed_control: true,
        applied_offset_us: 0,
        clock: { clock: 'monotonic', samples: 8 },
      });
      expect(cell.external!.clock.uncertainty_us).toBeGreaterThan(0);
      // The estimate of two processes' one monotonic clock is within its own uncertainty of zero.
      expect(Math.abs(cell.external!.clock.offset_us)).toBeLessThanOrEqual(
        cell.external!.clock.uncertainty_us + 1_000,
      );
    }
  });

  it("runs a suite whose parts need feedbench's own server: those cells are not-applicable with the reason, and the run exits 0", () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-target-suite-'));
    const suite = join(dir, 'suite.json');
    writeFileSync(
      suite,
      JSON.stringify({
        name: 'suite',
        transports: ['websocket'],
        clients: 2,
        ratePerSec: 10,
        payloadBytes: 16,
        warmupMs: 300,
        durationMs: 700,
        parts: [
          { name: 'feed', rawTcpReference: true },
          { name: 'tls', tls: true },
          { name: 'scale-out', scaleOut: { instances: 2 } },
        ],
      }),
    );
    // README's form: the suite from the command line, the target an option.
    const run = runFeedbench([
      'run',
      suite,
      '--target',
      `http://127.0.0.1:${port}`,
      '--out',
      dir,
      '--no-report',
      '--progress',
      'plain',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const cells = cellsIn(dir, 'suite');
    const states = cells
      .map(
        (c) =>
          `${c.params.transport} ${c.state}${c.state === 'not-applicable' ? `: ${c.reason}` : ''}`,
      )
      .sort();
    expect(states).toEqual([
      "raw-tcp not-applicable: the raw TCP floor is served by feedbench's own server: not measured against a target",
      "websocket not-applicable: scale-out runs several of feedbench's own servers: a target is one address feedbench does not run",
      'websocket not-applicable: the target is plain http://: a cell over TLS needs an https:// target (feedbench makes certificates only for its own server)',
      'websocket ok',
    ]);
    expect(run.stdout).toContain(
      '[1/1] websocket 2c 10/s 16B tls: not applicable: the target is plain http://',
    );
    expect(run.stdout).toContain(
      "NOT APPLICABLE raw-tcp 2c 10/s 16B: the raw TCP floor is served by feedbench's own server",
    );
  });

  it('measures a target that speaks only HTTP/1.1 over it: its HTTP/2 cells are not applicable, with the reason, and the run exits 0', async () => {
    // In front of the target, a proxy that closes every connection opening with HTTP/2's preface:
    // a server without h2c, as most are.
    const proxy = createNetServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', (first: Buffer) => {
        if (first.subarray(0, 3).toString() === 'PRI') return void socket.destroy();
        const upstream = connect(port, '127.0.0.1', () => {
          upstream.write(first);
          socket.pipe(upstream).pipe(socket);
        });
        upstream.on('error', () => socket.destroy());
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyPort = (proxy.address() as { port: number }).port;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'feedbench-target-h1-'));
      const run = await runFeedbenchAsync([
        'run',
        scenario(dir, `http://127.0.0.1:${proxyPort}`, { http: ['1.1', '2'], clients: 2 }),
        '--out',
        dir,
        '--no-report',
      ]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const cells = cellsIn(dir, 'target');
      const states = cells.map((c) => `${c.params.transport} ${c.params.http} ${c.state}`).sort();
      expect(states).toEqual([
        'sse 1.1 ok',
        'sse 2 not-applicable',
        'websocket 1.1 ok',
        'websocket 2 not-applicable',
      ]);
      for (const c of cells.filter((c) => c.params.http === '2'))
        expect(c.reason).toContain(
          `http://127.0.0.1:${proxyPort} refused HTTP/2 (http: "2" uses h2c with prior knowledge)`,
        );
      for (const c of cells.filter((c) => c.state === 'ok'))
        expect(c.metrics.delivery.lost).toBe(0);
    } finally {
      proxy.close();
    }
  });

  it("merges two load hosts' runs into one: counts summed, histograms merged, each host's clock kept", () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-merge-'));
    const a = runFeedbench([
      'run',
      scenario(dir, `http://127.0.0.1:${port}`),
      '--out',
      join(dir, 'a'),
      '--no-report',
      '--progress',
      'none',
    ]);
    const b = runFeedbench([
      'run',
      scenario(dir, `http://127.0.0.1:${port}`),
      '--out',
      join(dir, 'b'),
      '--no-report',
      '--progress',
      'none',
    ]);
    expect([a.status, b.status]).toEqual([0, 0]);
    const files = ['a', 'b'].map((h) => join(dir, h, readdirSync(join(dir, h))[0]!));
    const merged = runFeedbench(['merge', ...files, '--out', join(dir, 'merged.json')]);
    expect(merged.status).toBe(0);
    const [ra, rb, m] = [...files, join(dir, 'merged.json')].map(readResults);
    for (const [i, cell] of m!.cells.entries()) {
      const parts = [ra!.cells[i]!, rb!.cells[i]!];
      expect(cell.params.clients).toBe(20);
      expect(cell.metrics!.delivery.delivered).toBe(
        parts[0]!.metrics!.delivery.delivered + parts[1]!.metrics!.delivery.delivered,
      );
      expect(cell.metrics!.latency_us!.count).toBe(
        parts[0]!.metrics!.latency_us!.count + parts[1]!.metrics!.latency_us!.count,
      );
      expect(cell.metrics!.latency_us!.max).toBe(
        Math.max(...parts.map((p) => p.metrics!.latency_us!.max)),
      );
      expect(cell.metrics!.wire.bytes_down).toBe(
        parts[0]!.metrics!.wire.bytes_down + parts[1]!.metrics!.wire.bytes_down,
      );
      expect(cell.hosts!.map((h) => h.clock)).toEqual(parts.map((p) => p.external!.clock));
    }
    expect(m!.merged_from!.map((f) => f.source)).toEqual(files);
  });
});

describe('feedbench run --target over HTTP/2 and TLS', () => {
  let server: ChildProcess;
  let port: number;
  let caPath: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-target-tls-'));
    const tls = selfSignedCertificate();
    caPath = join(dir, 'cert.pem');
    writeFileSync(caPath, tls.cert);
    writeFileSync(join(dir, 'key.pem'), tls.key);
    port = await freePort();
    server = startFeedbench([
      'serve',
      '--port',
      String(port),
      '--tls-cert',
      caPath,
      '--tls-key',
      join(dir, 'key.pem'),
    ]);
    let out = '';
    server.stdout!.on('data', (d) => (out += d));
    await waitFor(
      () => out.includes(`https://127.0.0.1:${port}`),
      15_000,
      'the TLS target to listen',
    );
  });
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('measures an https target over HTTP/1.1 and HTTP/2 (h2 by ALPN, WebSocket by RFC 8441), trusting the CA given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-target-h2-'));
    const run = runFeedbench([
      'run',
      scenario(dir, `https://127.0.0.1:${port}`),
      '--target-ca',
      caPath,
      '--http',
      '1.1,2',
      '--out',
      dir,
      '--no-report',
      '--progress',
      'none',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const results = readResults(
      join(
        dir,
        readdirSync(dir).find((f) => f.startsWith('target-'))!,
      ),
    );
    expect(
      results.cells.map((c) => `${c.params.transport} ${c.params.http} ${c.params.tls}`).sort(),
    ).toEqual(['sse 1.1 true', 'sse 2 true', 'websocket 1.1 true', 'websocket 2 true']);
    for (const cell of results.cells) {
      expect(cell.state, cell.reason ?? '').toBe('ok');
      expect(cell.metrics!.delivery.lost).toBe(0);
      if (cell.params.http === '2')
        expect(cell.metrics!.wire.http2!.tls_bytes_per_update).toBeGreaterThan(0);
    }
  });

  it('refuses an https target whose certificate it cannot trust, saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-target-h2-'));
    const run = await runFeedbenchAsync([
      'run',
      scenario(dir, `https://127.0.0.1:${port}`),
      '--out',
      dir,
      '--no-report',
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /cannot reach https:\/\/127\.0\.0\.1:\d+\/health: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)/,
    );
  });
});

describe('feedbench run --target with a target that cannot be measured', () => {
  it('says it cannot reach an address nobody listens on, and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-target-bad-'));
    const run = runFeedbench([
      'run',
      scenario(dir, `http://127.0.0.1:${await freePort()}`),
      '--out',
      dir,
      '--no-report',
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/health: ECONNREFUSED/);
  });

  it.each([
    [
      'speaks another protocol',
      '{"ok":true}',
      'expected GET /health to answer 200 {"protocol": 1, "transports": [...]}, got "{\\"ok\\":true}"',
    ],
    [
      'states a version this driver does not know',
      '{"protocol":1,"version":"2.0","transports":["websocket"]}',
      'expected "version" in /health to be "1" or "1.<minor>" (or absent), got "2.0"',
    ],
  ])(
    'says what it expected and what came back from a server that %s',
    async (_what, health, expected) => {
      const impostor = createServer((_req, res) => res.end(health));
      await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', r));
      const port = (impostor.address() as { port: number }).port;
      try {
        const dir = mkdtempSync(join(tmpdir(), 'feedbench-target-bad-'));
        const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
          // Asynchronous: the impostor answers from this process, so it must not be blocked.
          const child = startFeedbench([
            'run',
            scenario(dir, `http://127.0.0.1:${port}`),
            '--out',
            dir,
            '--no-report',
          ]);
          let stderr = '';
          child.stderr!.on('data', (d) => (stderr += d));
          child.once('exit', (status) => resolve({ status, stderr }));
        });
        expect(run.status).toBe(2);
        expect(run.stderr).toContain(expected);
      } finally {
        impostor.close();
      }
    },
  );

  it('refuses a target that is not an http(s) origin, and a CA without https', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-target-bad-'));
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({
        name: 'bad',
        transports: ['websocket'],
        clients: 1,
        ratePerSec: 1,
        payloadBytes: 1,
        target: 'ftp://127.0.0.1:21',
        targetCa: 'ca.pem',
      }),
    );
    const again = runFeedbench(['validate', path]);
    expect(again.stderr).toContain('target: must be an http:// or https:// URL');
    expect(again.stderr).toContain('targetCa: only with an https:// target');
  });

  it('refuses a target off this machine unless it is allowed explicitly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedbench-target-remote-'));
    const path = scenario(dir, 'http://192.0.2.10:8080');
    const refused = runFeedbench(['validate', path]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(
      'target: 192.0.2.10 is not loopback: load would leave this machine',
    );
    writeFileSync(
      path,
      JSON.stringify({
        name: 'remote',
        transports: ['sse'],
        clients: 1,
        ratePerSec: 1,
        payloadBytes: 1,
        target: 'http://192.0.2.10:8080',
        allowRemoteTarget: true,
      }),
    );
    expect(runFeedbench(['validate', path]).status).toBe(0);
  });
});
