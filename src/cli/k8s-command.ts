import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../results/index.ts';
import { loadScenarios, parseScenarios } from '../run/scenario.ts';
import { agentManifest, manifestProblems } from '../run/agents/k8s-manifest.ts';
import { UsageError, type Outcome } from './outcomes.ts';

/** `feedbench k8s manifest`'s options, as commander parses them. */
export interface ManifestOptions {
  agents: number;
  target: string;
  image: string;
  name: string;
  out?: string;
}

/**
 * Fields that describe this host's run, not a Job's: the agents' count (--agents), the server's
 * instances (the target is one address; what stands behind it is the reader's), and this host's
 * driver processes and cores.
 */
const HOST_FIELDS = ['agents', 'scaleOut', 'driverProcesses', 'cores'] as const;

/** The scenario file as a Job runs it: without HOST_FIELDS, in it and in each part of a suite. */
function scenarioForJob(path: string): { job: Record<string, unknown>; dropped: string[] } {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const dropped = new Set<string>();
  const strip = (o: Record<string, unknown>) => {
    const kept = { ...o };
    for (const field of HOST_FIELDS)
      if (field in kept) {
        dropped.add(field);
        delete kept[field];
      }
    return kept;
  };
  const job = strip(raw);
  if (Array.isArray(job.parts)) job.parts = (job.parts as Record<string, unknown>[]).map(strip);
  return { job, dropped: [...dropped] };
}

/**
 * `feedbench k8s manifest`: the ConfigMap, headless Service and Indexed Job of a distributed run,
 * validated against Kubernetes' schemas, as one JSON List for `kubectl apply -f`.
 */
export function manifestCommand(scenarioPath: string, opts: ManifestOptions): Outcome {
  const problems = manifestProblems(opts);
  if (problems.length > 0)
    throw new UsageError(
      `k8s manifest: ${problems.length} problem${problems.length > 1 ? 's' : ''}\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  loadScenarios(scenarioPath); // the file's own mistakes first, named by its own fields
  const { job, dropped } = scenarioForJob(scenarioPath);
  const scenarios = parseScenarios(
    { ...job, target: opts.target, allowRemoteTarget: true },
    `${scenarioPath} as a Job runs it`,
  );
  const manifest = agentManifest({
    ...opts,
    scenarios,
    scenarioText: `${JSON.stringify(job, null, 2)}\n`,
  });
  if (dropped.length > 0)
    console.error(
      `left out of the Job's scenario: ${dropped.join(', ')} (this host's set-up: the Job's agents are --agents, and the target is one address)`,
    );
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  if (!opts.out) {
    process.stdout.write(text);
    return 'ok';
  }
  writeFileAtomic(resolve(opts.out), text);
  console.error(
    `wrote ${opts.out}: ConfigMap ${opts.name}-scenario, Service ${opts.name}, Job ${opts.name} (${opts.agents} agents), each validated`,
  );
  return 'ok';
}
