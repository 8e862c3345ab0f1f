/**
 * The layers of docs/architecture.md, checked in `npm test`. An import may point down the layers or sideways
 * within its own folder; never up, never in a circle. Bottom to top:
 *   0  stats, metrics, feed, protocol    pure or nearly: statistics, histograms, the feed, the wire contract
 *   1  results, process                  the results format; child processes and IPC
 *   2  transports                        one folder per transport: descriptor, server half, client half
 *   3  server, driver, netem, scaleout,  the processes of a cell, and what stands between them;
 *      agents                            load agents on other hosts, and their coordinator
 *   4  run, endpoint                     the orchestrator: scenario -> cells -> results; endpoints that do not speak the feed protocol
 *   5  report, gate, conform             readers of results files; conform reads a target (the protocol's cases)
 *   6  cli                               argv -> one call per command -> exit code
 * bench/ (benchmark scripts) may use anything but the command line.
 */
const LAYERS = [
  ['stats', 'metrics', 'feed', 'protocol'],
  ['results', 'process'],
  ['transports'],
  ['server', 'driver', 'netem', 'scaleout', 'agents'],
  ['run', 'endpoint'],
  ['report', 'gate', 'conform'],
  ['cli'],
];

const folder = (name) => `^src/${name}/`;
const any = (names) => `^src/(${names.join('|')})/`;
const above = (level) => LAYERS.slice(level + 1).flat();

/** One rule per layer: nothing in it imports from a layer above it. */
const upward = LAYERS.slice(0, -1).map((names, level) => ({
  name: `no-upward-from-${names.join('-')}`,
  comment: `${names.join(', ')} (layer ${level}) must not import from a layer above it: ${above(level).join(', ')}`,
  severity: 'error',
  from: { path: any(names) },
  to: { path: [any(above(level).filter((n) => n !== 'cli')), '^src/cli(\\.ts$|/)'] },
}));

/**
 * Within a layer, the only imports between folders, each one way: scaleout runs K of server's
 * processes; agents run driver's processes for a coordinator; protocol's chat stamp pads with feed's payload. Any other is an error, and none
 * runs back, so a layer has no circle between its folders.
 */
const SIDEWAYS_ALLOWED = { scaleout: ['server'], protocol: ['feed'], agents: ['driver'] };

const sideways = LAYERS.flatMap((names) =>
  names.flatMap((name) => {
    const forbidden = names.filter((n) => n !== name && !(SIDEWAYS_ALLOWED[name] ?? []).includes(n));
    return forbidden.length === 0
      ? []
      : [{
          name: `no-sideways-from-${name}`,
          comment: `${name} must not import ${forbidden.join(' or ')}: they are one layer${SIDEWAYS_ALLOWED[name] ? ` (only ${SIDEWAYS_ALLOWED[name].join(', ')}, one way)` : ''}`,
          severity: 'error',
          from: { path: folder(name) },
          to: { path: any(forbidden) },
        }];
  }),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A circle of imports makes modules that cannot be read, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    ...sideways,
    {
      name: 'transports-stand-alone',
      comment: 'A transport folder uses only what all transports share (transports/*.ts, transports/shared/), never another transport: adding or removing one is one folder.',
      severity: 'error',
      from: { path: '^src/transports/([^/]+)/', pathNot: '^src/transports/shared/' },
      to: { path: '^src/transports/([^/]+)/', pathNot: ['^src/transports/$1/', '^src/transports/shared/'] },
    },
    {
      name: 'readers-read-results-only',
      comment: 'report/ and gate/ read results files through src/results/ and know nothing of how a run makes them.',
      severity: 'error',
      from: { path: '^src/(report|gate)/' },
      to: { path: '^src/(run|server|driver|scaleout|netem)/' },
    },
    {
      name: 'bench-not-cli',
      comment: 'Benchmark scripts call the layers directly, not the command line.',
      severity: 'error',
      from: { path: '^src/bench/' },
      to: { path: '^src/cli' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves to a file or a package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
