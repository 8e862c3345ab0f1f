import type { CellParams } from '../../results/index.ts';
import { required } from '../../metrics/required.ts';
import {
  estimateClockOffset,
  externalTarget,
  probeTarget,
  targetAddress,
} from '../external-target.ts';
import { openSocketIoControl, probeSocketIoTarget } from '../socketio-target.ts';
import type { Scenario } from '../scenario.ts';
import type { ClockEstimate } from '../../results/index.ts';
import type { ServerSide } from '../../server/server-side.ts';
import type { Teardown } from './teardown.ts';

/**
 * A target's URL (and, for https, the CA to trust: absent, the system's), its clock against ours,
 * and whether its feed took the cell's settings.
 */
export interface TargetOfRig {
  readonly url: URL;
  readonly ca?: string | undefined;
  readonly clock: ClockEstimate;
  readonly feedControl: () => boolean;
}

/**
 * A cell's server side when it is a target, a server feedbench did not start: checked to speak
 * what the scenario says it speaks, and its clock learnt. A feed-protocol target by `/health` and
 * `/clock`; a Socket.IO target by Engine.IO's handshake and, over a control connection closed on
 * `teardown`, its acknowledged `clock` event (its feed set by a `feed` event where it answers one).
 */
export async function targetSide(
  scenario: Scenario,
  p: CellParams,
  teardown: Teardown,
): Promise<{ server: ServerSide; target: TargetOfRig }> {
  const address = required(targetAddress(scenario), "the target's address");
  let server: ReturnType<typeof externalTarget>;
  let clock: ClockEstimate;
  if (scenario.targetKind === 'socket.io') {
    await probeSocketIoTarget(address);
    const control = await openSocketIoControl(address);
    teardown.cleanup(() => Promise.resolve(control.close()));
    clock = await control.clock();
    server = externalTarget(address, control.feed);
  } else {
    await probeTarget(address, [p.transport], [p.http]);
    clock = await estimateClockOffset(address);
    server = externalTarget(address);
  }
  return {
    server,
    target: { url: address.url, ca: address.ca, clock, feedControl: server.feedControl },
  };
}
