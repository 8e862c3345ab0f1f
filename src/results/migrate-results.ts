/** Older results files, brought to the current schema version before validation. */

type Json = Record<string, unknown>;

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Version 1 grew fields as features landed (workloads, scale-out, cost per client-hour), so a v1
 * file may lack them: each is filled with what a file of that time measured (the feed, one
 * instance, no upstream) or null where it was not measured. Nothing present is changed.
 */
function fromVersion1(file: Json): Json {
  const cells = Array.isArray(file.cells) ? file.cells : [];
  for (const cell of cells) {
    if (!isObject(cell)) continue;
    if (isObject(cell.params)) {
      cell.params.workload ??= 'feed';
      cell.params.instances ??= 1;
      cell.params.balancer ??= null;
      cell.params.failover_at_ms ??= null;
    }
    if (isObject(cell.metrics)) {
      cell.metrics.upstream ??= null;
      cell.metrics.cost_per_client_hour ??= null;
    }
    if (cell.state === 'ok') delete cell.reason;
  }
  return { ...file, schema_version: 2 };
}

/** Migrations by the version they read; each returns the next version. */
const MIGRATIONS: Record<number, (file: Json) => Json> = { 1: fromVersion1 };

/**
 * Brings a results file of an older `schema_version` to the current one, step by step; undefined
 * when no migration reads that version. The file passed in is left as it was.
 */
export function migrateResults(file: Json, version: number): Json | undefined {
  if (!MIGRATIONS[version]) return undefined;
  let current = structuredClone(file);
  for (let v = version, step = MIGRATIONS[v]; step; step = MIGRATIONS[++v]) current = step(current);
  return current;
}
