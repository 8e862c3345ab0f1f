import type { CurveCost, GuideInputs, GuideRow, TransportCost } from './decision-guide.ts';

/**
 * One transport's server cost for `events` per second from its cost curve: the processes its knee
 * needs, their cores (CPU interpolated between the steps, the fitted line outside them), latency
 * from the step nearest one process's load, and what was extrapolated. Self-contained, like
 * guideRows, which the page runs with it.
 */
export function curveCost(
  curve: CurveCost,
  events: number,
  clients: number,
): { cores: number; processes: number; p50Ms: number | null; p99Ms: number | null; notes: string[] } {
  const round = (x: number) => Math.round(x).toLocaleString('en');
  const steps = curve.steps;
  const first = steps[0] as (typeof steps)[number];
  const last = steps[steps.length - 1] as (typeof steps)[number];
  const notes: string[] = [];
  const processes = Math.max(1, Math.ceil(events / Math.max(1, curve.kneeEvents)));
  const x = events / processes;
  let cpu: number;
  const above = steps.findIndex((s) => s.events >= x);
  if (x >= first.events && above >= 0) {
    const hi = steps[above] as (typeof steps)[number];
    const lo = steps[Math.max(0, above - 1)] as (typeof steps)[number];
    const t = hi.events === lo.events ? 0 : (x - lo.events) / (hi.events - lo.events);
    cpu = lo.cpuMsPerSec + t * (hi.cpuMsPerSec - lo.cpuMsPerSec);
  } else {
    const edge = x < first.events ? first : last;
    cpu =
      curve.fixedMsPerSec !== null && curve.marginalMsPerEvent !== null
        ? Math.max(0, curve.fixedMsPerSec + curve.marginalMsPerEvent * x)
        : (edge.cpuMsPerSec / Math.max(1, edge.events)) * x;
    notes.push(
      `${round(x)} events/s per process is outside the measured ${round(first.events)}-${round(last.events)}`,
    );
  }
  const perProcess = clients / processes;
  const held = Math.max(...steps.map((s) => s.connections ?? 0));
  if (perProcess > held && held > 0)
    notes.push(`${round(perProcess)} connections per process, beyond the ${round(held)} measured`);
  if (curve.kneeLowerBound && events > curve.kneeEvents)
    notes.push(
      `the knee was not reached (${round(curve.kneeEvents)} events/s per process passed): fewer processes may do`,
    );
  let nearest = first;
  for (const s of steps)
    if (Math.abs(Math.log(s.events / x)) < Math.abs(Math.log(nearest.events / x))) nearest = s;
  return { cores: (processes * cpu) / 1000, processes, p50Ms: nearest.p50Ms, p99Ms: nearest.p99Ms, notes };
}


/**
 * What each transport costs and delivers for the inputs. Short polling polls often enough that
 * no update waits longer than the accepted delay (its interval the delay less a poll's own time
 * d, the fastest transport's p50; typical delay half the interval plus d); long polling makes a
 * request per update (fewer when updates come faster than it answers); push sends each update on
 * a held connection.
 *
 * With a cost curve, the server's cost is read from it: the load (requests/s for short polling,
 * updates delivered/s otherwise) is split over as many processes as its knee needs (load / knee,
 * rounded up), each process's CPU interpolated between the measured steps (the fitted line
 * outside them, said so in `extrapolated`) and latency taken from the step nearest its load.
 * Without one, costs scale linearly from the light-load figures (`basis`). Self-contained (no
 * imports, no outer names but curveCost): the report page runs this very function as its inputs
 * change.
 */
export function guideRows(costs: readonly TransportCost[], inputs: GuideInputs): GuideRow[] {
  const { clients, updatesPerSec, payloadBytes, acceptedDelayMs } = inputs;
  // A poll's own time: the fastest transport's p50 over the same HTTP version.
  const pushP50 = costs
    .filter((x) => x.transport !== 'short-poll' && x.p50Ms !== null)
    .map((x) => x.p50Ms as number);
  const floorMs = pushP50.length > 0 ? Math.min(...pushP50) : 0;
  return costs.map((c) => {
    const polling = c.transport === 'short-poll';
    const d = polling ? floorMs : (c.p50Ms ?? 0);
    const intervalMs = Math.max(1, acceptedDelayMs - d);
    const requestsPerSec = polling
      ? (clients * 1000) / intervalMs
      : c.transport === 'long-poll'
        ? clients * Math.min(updatesPerSec, 1000 / Math.max(1, d))
        : 0;
    const events = polling ? requestsPerSec : clients * updatesPerSec;
    // A cost per request (polling) or per delivered update (push), over the whole load per second.
    const perSecond = (perRequest: number | null, perUpdate: number | null) =>
      polling
        ? perRequest === null
          ? null
          : requestsPerSec * perRequest
        : perUpdate === null
          ? null
          : clients * updatesPerSec * perUpdate;
    const overheadB = perSecond(c.overheadPerRequestB, c.overheadPerUpdateB);
    const curve = c.curve;
    let serverCores: number | null = null;
    let processes: number | null = null;
    let p50Ms = c.p50Ms;
    let p99Ms = c.p99Ms;
    const notes: string[] = [];
    const fromCurve = curve && curve.steps.length > 0 ? curveCost(curve, events, clients) : null;
    if (fromCurve) {
      serverCores = fromCurve.cores;
      processes = fromCurve.processes;
      if (!polling) {
        p50Ms = fromCurve.p50Ms;
        p99Ms = fromCurve.p99Ms;
      }
      if (fromCurve.notes.length > 0) notes.push(...fromCurve.notes);
    } else {
      const cpuMsPerSec = perSecond(c.cpuMsPerRequest, c.cpuMsPerUpdate);
      serverCores = cpuMsPerSec === null ? null : cpuMsPerSec / 1000;
    }
    const typicalMs = polling ? intervalMs / 2 + d : p50Ms;
    const worstMs = polling ? intervalMs + d : p99Ms;
    const wireB = overheadB === null ? null : overheadB + clients * updatesPerSec * payloadBytes;
    return {
      transport: c.transport,
      typicalMs,
      worstMs,
      meetsDelay: worstMs === null ? null : worstMs <= acceptedDelayMs,
      requestsPerSec,
      megabitsPerSec: wireB === null ? null : (wireB * 8) / 1e6,
      serverCores,
      serverProcesses: processes,
      // Every client holds a connection: push its stream, polling its keep-alive connection
      // between polls.
      serverMiB: c.memoryPerConnB === null ? null : (clients * c.memoryPerConnB) / 2 ** 20,
      connections: clients,
      basis: fromCurve ? 'curve' : 'light load',
      extrapolated: notes.length > 0 ? notes.join('; ') : null,
    };
  });
}
