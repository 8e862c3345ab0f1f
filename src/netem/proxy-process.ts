/**
 * The network-profile proxy as its own process, between driver and server, so its work is
 * charged to neither. Options as JSON in argv[2]: { profile, target: { host, port }, listenHost? }
 * (listenHost: where its clients reach it, loopback unless the clients are agents elsewhere).
 */
import { serveIpc } from '../process/ipc.ts';
import { exitWithParent } from '../process/exit-with-parent.ts';
import { startDelayProxy } from './delay-proxy.ts';
import type { NetworkProfile } from './profiles.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as {
  profile: NetworkProfile;
  target: { host: string; port: number };
  listenHost?: string;
};
exitWithParent();
const proxy = await startDelayProxy(options.profile, options.target, options.listenHost);
serveIpc({}, { port: proxy.port, pid: process.pid });
