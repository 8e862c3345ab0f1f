import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../results/index.ts';
import { scenariosWithOverrides } from '../run/scenario-overrides.ts';
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
 * The scenario file's text without `agents` (a Job's count is --agents; in the file it means
 * this host's namespaces), in it and in each part of a suite.
 */
function scenarioForJob(path: string): string {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const strip = (o: Record<string, unknown>) => {
    const { agents: _agents, ...rest } = o;
    return rest;
  };
  const job = strip(raw);
  if (Array.isArray(job.parts)) job.parts = job.parts.map(strip);
  return `${JSON.stringify(job, null, 2)}\n`;
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
  const scenarios = scenariosWithOverrides(scenarioPath, {
    target: opts.target,
    allowRemoteTarget: true,
    agents: undefined,
  });
  const manifest = agentManifest({
    ...opts,
    scenarios,
    scenarioText: scenarioForJob(scenarioPath),
  });
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
