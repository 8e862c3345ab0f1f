/**
 * The Kubernetes objects of a distributed run: the scenario in a ConfigMap, a headless Service
 * that gives agent 0 a stable name, and an Indexed Job of N agents. Built with kubernetes-models,
 * whose validate() checks each against Kubernetes' own schemas.
 */
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { AGENT_PATH } from '../../agents/agent-messages.ts';
import { expandCells } from '../cells.ts';
import { listOf } from '../../transports/descriptor.ts';
import type { Scenario } from '../scenario.ts';
import { agentNeeds, type AgentNeeds } from './agent-needs.ts';

/**
 * What a Job's agents cannot run of these scenarios: network profiles, whose proxy would run beside
 * agent 0 alone, out of the other pods' reach. Empty when they can run them all.
 */
export function jobProblems(scenarios: readonly Scenario[]): string[] {
  return scenarios.some((s) => listOf(s.network).some((n) => n !== 'loopback'))
    ? [
        "network: a Job's agents measure the network between their pods and the target as it is; network profiles run on one host (`feedbench run --agents N`)",
      ]
    : [];
}

/** A manifest that would run nothing. */
export class ManifestError extends Error {}

/** The coordinator's port in a pod. */
export const COORDINATOR_PORT = 7070;
/** How long agent 0 keeps serving /results after the run, ms: time to `kubectl cp` or curl. */
const KEEP_SERVING_MS = 600_000;
/** How long agent 0 waits for every pod to be scheduled, pulled and registered, ms. */
const ARRIVE_TIMEOUT_MS = 300_000;

/** What the manifest is asked for. */
export interface ManifestRequest {
  /** The scenario (or each part of a suite) as read, to size the agents. */
  readonly scenarios: readonly Scenario[];
  /** The file's text for the ConfigMap. */
  readonly scenarioText: string;
  readonly agents: number;
  readonly target: string;
  readonly image: string;
  /** Name of the Job, the Service and (with -scenario) the ConfigMap. */
  readonly name: string;
}

/** A request's problems, `field: what is wrong` each; none when it can be built. */
export function manifestProblems(r: Omit<ManifestRequest, 'scenarios' | 'scenarioText'>): string[] {
  const problems: string[] = [];
  // A pod's hostname is <job>-<index>: the name and the index must stay within one DNS label.
  if (!/^[a-z]([-a-z0-9]{0,48}[a-z0-9])?$/.test(r.name))
    problems.push(
      `--name: "${r.name}" is not a DNS label of at most 50 characters (a-z, 0-9, -; starting with a letter)`,
    );
  if (!Number.isInteger(r.agents) || r.agents < 1 || r.agents > 1000)
    problems.push(`--agents: ${r.agents} is not an integer from 1 to 1000`);
  if (!/^https?:\/\/[^/\s]+\/?$/.test(r.target))
    problems.push(`--target: "${r.target}" is not an http:// or https:// origin`);
  if (!/^[^\s]+$/.test(r.image)) problems.push(`--image: "${r.image}" is not an image reference`);
  return problems;
}

const labels = (name: string) => ({
  'app.kubernetes.io/name': 'feedbench',
  'app.kubernetes.io/instance': name,
});

/** Kubernetes' quantity of bytes, in MiB rounded up. */
const mebibytes = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)}Mi`;

/** The agent container's arguments: one template for every index (only agent 0 coordinates). */
function agentArgs(r: ManifestRequest): string[] {
  return [
    'agent',
    '/scenario/scenario.json',
    '--agents',
    String(r.agents),
    '--coordinate',
    '--coordinator',
    `ws://${r.name}-0.${r.name}:${COORDINATOR_PORT}${AGENT_PATH}`,
    '--listen',
    `0.0.0.0:${COORDINATOR_PORT}`,
    '--target',
    r.target,
    '--allow-remote-target',
    '--out',
    '/results',
    '--arrive-timeout-ms',
    String(ARRIVE_TIMEOUT_MS),
    '--keep-serving-ms',
    String(KEEP_SERVING_MS),
  ];
}

/** The Indexed Job of the agents. */
function agentJob(r: ManifestRequest, needs: AgentNeeds): Job {
  const memory = mebibytes(needs.memoryBytes);
  return new Job({
    metadata: {
      name: r.name,
      labels: labels(r.name),
      annotations: {
        'feedbench/open-files-per-agent': String(needs.openFiles),
        'feedbench/connections-per-agent': String(needs.connections),
      },
    },
    spec: {
      completionMode: 'Indexed',
      completions: r.agents,
      parallelism: r.agents,
      backoffLimit: 0,
      // Bounded in time: arrival, every cell, and the time to fetch the results.
      activeDeadlineSeconds: needs.runSeconds + (ARRIVE_TIMEOUT_MS + KEEP_SERVING_MS) / 1000 + 60,
      template: {
        metadata: { labels: labels(r.name) },
        spec: {
          subdomain: r.name,
          restartPolicy: 'Never',
          containers: [
            {
              name: 'agent',
              image: r.image,
              args: agentArgs(r),
              ports: [{ name: 'coordinator', containerPort: COORDINATOR_PORT }],
              resources: {
                requests: { cpu: String(needs.cores), memory },
                limits: { memory },
              },
              volumeMounts: [
                { name: 'scenario', mountPath: '/scenario', readOnly: true },
                { name: 'results', mountPath: '/results' },
              ],
            },
          ],
          volumes: [
            { name: 'scenario', configMap: { name: `${r.name}-scenario` } },
            { name: 'results', emptyDir: {} },
          ],
        },
      },
    },
  });
}

/**
 * The ConfigMap, the headless Service and the Indexed Job, each validated against Kubernetes'
 * schemas (a failure throws with the path and the rule), as one `List` kubectl applies.
 */
export function agentManifest(r: ManifestRequest): {
  kind: 'List';
  apiVersion: 'v1';
  items: object[];
} {
  const problems = jobProblems(r.scenarios);
  if (problems.length > 0) throw new ManifestError(problems.join('\n'));
  const parts = r.scenarios.map((s) => agentNeeds(expandCells(s), s, r.agents));
  if (parts.every((p) => p.connections === 0))
    throw new ManifestError(
      'every cell of the scenario is not applicable against a target (scale-out, the raw TCP floor and other servers run only on this host): nothing for the agents to run',
    );
  const needs = parts.reduce((a, b) => ({
    connections: Math.max(a.connections, b.connections),
    openFiles: Math.max(a.openFiles, b.openFiles),
    memoryBytes: Math.max(a.memoryBytes, b.memoryBytes),
    cores: Math.max(a.cores, b.cores),
    runSeconds: a.runSeconds + b.runSeconds,
  }));
  const configMap = new ConfigMap({
    metadata: { name: `${r.name}-scenario`, labels: labels(r.name) },
    data: { 'scenario.json': r.scenarioText },
  });
  // Headless, and publishing pods before they are ready: agent 0's name resolves as soon as its
  // pod has an address, which the other agents need in order to register.
  const service = new Service({
    metadata: { name: r.name, labels: labels(r.name) },
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: labels(r.name),
      ports: [{ name: 'coordinator', port: COORDINATOR_PORT }],
    },
  });
  const job = agentJob(r, needs);
  const items = [configMap, service, job];
  for (const item of items) item.validate();
  return { kind: 'List', apiVersion: 'v1', items: items.map((i) => i.toJSON() as object) };
}
