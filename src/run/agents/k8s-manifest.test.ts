import { describe, expect, it } from 'vitest';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { agentManifest, manifestProblems, ManifestError } from './k8s-manifest.ts';
import { parseScenarios } from '../scenario.ts';

const request = (fields: Record<string, unknown> = {}, agents = 10) => {
  const scenario = {
    name: 'job',
    transports: ['websocket', 'sse'],
    clients: 40_000,
    ratePerSec: 0.2,
    payloadBytes: 64,
    target: 'http://feed.default.svc:8080',
    allowRemoteTarget: true,
    ...fields,
  };
  return {
    scenarios: parseScenarios(scenario, 'test'),
    scenarioText: JSON.stringify(scenario),
    agents,
    target: 'http://feed.default.svc:8080',
    image: 'registry.example/feedbench:0.1.0',
    name: 'feedbench',
  };
};

describe('feedbench k8s manifest', () => {
  it('builds a ConfigMap, a headless Service and an Indexed Job of N agents that Kubernetes would accept', () => {
    const { items } = agentManifest(request());
    const [configMap, service, job] = items as [ConfigMap, Service, Job];
    // Each validated again from its JSON, as kubectl would send it.
    new ConfigMap(configMap).validate();
    new Service(service).validate();
    new Job(job).validate();
    expect(configMap.data?.['scenario.json']).toContain('"name":"job"');
    expect(service.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(job.spec).toMatchObject({
      completionMode: 'Indexed',
      completions: 10,
      parallelism: 10,
      backoffLimit: 0,
      template: { spec: { subdomain: 'feedbench', restartPolicy: 'Never' } },
    });
    const container = job.spec?.template.spec?.containers[0];
    expect(container?.args).toEqual(
      expect.arrayContaining(['--coordinate', 'ws://feedbench-0.feedbench:7070/agents']),
    );
    // 40,000 clients over 10 agents: 4,000 connections each, from the pre-flight figures.
    expect(job.metadata?.annotations).toEqual({
      'feedbench/open-files-per-agent': '4200',
      'feedbench/connections-per-agent': '4000',
    });
    expect(container?.resources?.requests).toEqual({ cpu: '1.5', memory: '425Mi' });
    expect(job.spec?.activeDeadlineSeconds).toBeGreaterThan(0);
  });

  it("lets Kubernetes' schema refuse what it would refuse", () => {
    const job = agentManifest(request()).items[2] as Job;
    const broken = { ...job, spec: { ...job.spec, completions: 'ten' } } as unknown as Job;
    expect(() => new Job(broken).validate()).toThrow(/spec\/completions must be integer/);
  });

  it('refuses a bad name, count, target and image, each in a line', () => {
    expect(
      manifestProblems({ agents: 0, target: 'feed:8080', image: 'a b', name: 'Feed_Bench' }),
    ).toEqual([
      '--name: "Feed_Bench" is not a DNS label of at most 50 characters (a-z, 0-9, -; starting with a letter)',
      '--agents: 0 is not an integer from 1 to 1000',
      '--target: "feed:8080" is not an http:// or https:// origin',
      '--image: "a b" is not an image reference',
    ]);
  });

  it('refuses a scenario none of whose cells runs against a target', () => {
    expect(() => agentManifest(request({ scaleOut: { instances: 3 } }))).toThrow(ManifestError);
  });

  it('refuses network profiles, whose proxy would run beside agent 0 alone', () => {
    expect(() => agentManifest(request({ network: ['loopback', 'mobile'] }))).toThrow(
      /^network: a Job's agents measure the network between their pods and the target as it is/,
    );
  });
});
