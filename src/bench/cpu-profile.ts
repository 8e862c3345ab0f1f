/** One frame of a V8 CPU profile (the `.cpuprofile` format written by `node --cpu-prof`). */
interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}

/** The parts of a `.cpuprofile` this module reads. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time of one area or function, ms and share of the busy (non-idle) time. */
export interface TimeShare {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

/** Where one process spent its CPU while profiled. */
export interface ProfileSummary {
  /** Sampled time that was not idle, ms. */
  readonly busyMs: number;
  /** Wall time the profile covers, ms. */
  readonly wallMs: number;
  /** By area (a package, a Node subsystem, feedbench's own code, GC), largest first. */
  readonly areas: readonly TimeShare[];
  /** By function (name and area), largest first. */
  readonly functions: readonly TimeShare[];
}

/**
 * The area a frame belongs to: the npm package, Node's subsystem (`node:internal/http2/core` is
 * "node http2"), feedbench's own code, or one of V8's pseudo-frames (GC, program, idle).
 */
export function areaOf(frame: ProfileNode['callFrame']): string {
  const { functionName: name, url } = frame;
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'V8 (program)';
  if (name === '(root)') return 'root';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg && pkg[1] !== '.cache') return pkg[1] ?? 'npm';
  if (url.startsWith('node:')) {
    const parts = url.slice(5).split('/');
    const sub = parts[0] === 'internal' ? parts[1] : parts[0];
    return `node ${(sub ?? '').replace(/\.js$/, '').replace(/_.*$/, '')}`;
  }
  if (url === '') return 'native';
  return 'feedbench';
}

/** Sums `ms` into `map` under `key`. */
function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

/** The entries of `map` as shares of `busyMs`, largest first, at most `limit`. */
function ranked(map: Map<string, number>, busyMs: number, limit: number): TimeShare[] {
  return [...map]
    .map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit);
}

/**
 * Self time per area and per function. A sample's time is the gap to the next sample (as Chrome's
 * DevTools counts it); idle samples are left out of the busy total and the shares.
 */
export function summarizeProfile(profile: CpuProfile, topFunctions = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let busyMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i] ?? -1);
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (!node) continue;
    const area = areaOf(node.callFrame);
    if (area === 'idle') continue;
    busyMs += ms;
    add(areas, area, ms);
    add(functions, `${node.callFrame.functionName || '(anonymous)'} [${area}]`, ms);
  }
  return {
    busyMs,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    areas: ranked(areas, busyMs, Infinity),
    functions: ranked(functions, busyMs, topFunctions),
  };
}
