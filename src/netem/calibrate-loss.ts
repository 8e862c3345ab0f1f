import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createLossyLink, type LinkSample } from './lossy-link.ts';

/** What calibration measured through a lossy link at one setting. */
export interface LossCalibration {
  readonly setPercent: number;
  /** Measured in each direction: dropped / seen, percent. */
  readonly toClientsPercent: number;
  readonly fromClientsPercent: number;
  readonly packets: number;
  /** Data segments dropped and TCP segments both sides sent again. */
  readonly dropped: number;
  readonly retransmits: number;
}

/** An echo server, run in the hop's namespace. */
const ECHO = `require('node:net').createServer({ noDelay: true }, (s) => s.pipe(s))
  .listen(PORT, '0.0.0.0', () => console.log('ready'));`;

/** A client in the clients' namespace: 200 bytes every ms for DURATION ms, reading the echo. */
const PINGER = `const s = require('node:net').connect({ host: HOST, port: PORT, noDelay: true });
s.on('data', () => {});
s.on('connect', () => {
  const timer = setInterval(() => s.write(Buffer.alloc(200, 1)), 1);
  setTimeout(() => { clearInterval(timer); setTimeout(() => s.end(), 1500); }, DURATION);
});
s.on('close', () => process.exit(0));`;

/** Runs a script with node inside a namespace. */
function nodeIn(namespace: string, script: string) {
  return spawn('ip', ['netns', 'exec', namespace, process.execPath, '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/**
 * Drops `lossPercent` on a lossy link of its own and sends a TCP stream through it both ways
 * (200 bytes each way every ms for `durationMs`): the share nftables dropped each way, against the
 * setting, and the segments TCP sent again for them.
 */
export async function calibrateLoss(
  lossPercent: number,
  durationMs = 3_000,
): Promise<LossCalibration> {
  const link = createLossyLink();
  const port = 17_000 + (process.pid % 1_000);
  const echo = nodeIn(link.hop.namespace, ECHO.replace('PORT', String(port)));
  try {
    await once(echo.stdout, 'data');
    link.setLoss(lossPercent);
    const before = link.sample();
    const pinger = nodeIn(
      link.clients.namespace,
      PINGER.replace('HOST', JSON.stringify(link.hop.address))
        .replace('PORT', String(port))
        .replace('DURATION', String(durationMs)),
    );
    await once(pinger, 'exit');
    return calibration(lossPercent, before, link.sample());
  } finally {
    echo.kill();
    link.remove();
  }
}

/** The figures between two samples. */
function calibration(setPercent: number, a: LinkSample, b: LinkSample): LossCalibration {
  const d = (name: keyof LinkSample['nft']) => b.nft[name] - a.nft[name];
  const share = (dropped: number, seen: number) => (seen > 0 ? (dropped / seen) * 100 : 0);
  return {
    setPercent,
    toClientsPercent: share(d('in_dropped'), d('in_packets')),
    fromClientsPercent: share(d('out_dropped'), d('out_packets')),
    packets: d('in_packets') + d('out_packets'),
    dropped: d('in_dropped') + d('out_dropped'),
    retransmits:
      b.clientsTcp.retransSegs -
      a.clientsTcp.retransSegs +
      (b.hopTcp.retransSegs - a.hopTcp.retransSegs),
  };
}
