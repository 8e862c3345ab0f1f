import type { z } from 'zod';
import type { ScenarioFields } from './scenario-schema.ts';

/** True for a loopback host name or address (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    hostname === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/** A target: only loopback unless allowed, and a CA only for https. */
function checkTarget(s: ScenarioFields, ctx: z.RefinementCtx): void {
  if (s.target && !s.allowRemoteTarget && !isLoopbackHost(new URL(s.target).hostname)) {
    ctx.addIssue({
      code: 'custom',
      path: ['target'],
      message: `${new URL(s.target).hostname} is not loopback: load would leave this machine; set allowRemoteTarget (or --allow-remote-target) to mean it`,
    });
  }
  // With a target, a cell that needs feedbench's own server (the raw TCP floor, TLS on a plain
  // target, scale-out) is not refused here: it is recorded not-applicable, with the reason.
  if (s.targetKind !== 'feed' && !s.target)
    ctx.addIssue({
      code: 'custom',
      path: ['targetKind'],
      message: 'only with a target: it says what the target speaks',
    });
  if (s.targetCa && !s.target?.startsWith('https:'))
    ctx.addIssue({ code: 'custom', path: ['targetCa'], message: 'only with an https:// target' });
  if (s.agents !== undefined && s.target)
    ctx.addIssue({
      code: 'custom',
      path: ['agents'],
      message:
        "agents in this host's namespaces reach only the server the run starts: against a target, run `feedbench agent` on each load host (docs/agents.md)",
    });
}

/** Several instances: no raw TCP floor; a failover needs two instances and a kill inside the window. */
function checkScaleOut(s: ScenarioFields, ctx: z.RefinementCtx): void {
  const instances = Array.isArray(s.scaleOut.instances)
    ? s.scaleOut.instances
    : [s.scaleOut.instances];
  if (instances.some((k) => k > 1) && s.rawTcpReference)
    ctx.addIssue({
      code: 'custom',
      path: ['rawTcpReference'],
      message: 'the raw TCP floor is served by a single server: not with several instances',
    });
  const failover = s.scaleOut.failover;
  if (failover) {
    if (!instances.some((k) => k > 1))
      ctx.addIssue({
        code: 'custom',
        path: ['scaleOut', 'failover'],
        message: 'killing an instance needs at least 2 instances (scaleOut.instances)',
      });
    if (failover.killAtMs >= s.durationMs)
      ctx.addIssue({
        code: 'custom',
        path: ['scaleOut', 'failover', 'killAtMs'],
        message: `must fall inside the ${s.durationMs} ms window`,
      });
    const smallest = Math.min(...instances.filter((k) => k > 1));
    if (failover.instance >= smallest)
      ctx.addIssue({
        code: 'custom',
        path: ['scaleOut', 'failover', 'instance'],
        message: `must be below ${smallest}, the fewest instances of a cell that kills one`,
      });
  }
}

/** A capacity ladder or a cost curve: a list of client counts, each step run once. */
function checkCapacity(s: ScenarioFields, ctx: z.RefinementCtx): void {
  const ladders = [s.capacity && 'a capacity ladder', s.costCurve && 'a cost curve'].filter(
    (x): x is string => typeof x === 'string',
  );
  if (ladders.length > 1)
    ctx.addIssue({
      code: 'custom',
      path: ['costCurve'],
      message: 'capacity and costCurve both step the clients: one of them per scenario',
    });
  for (const what of ladders.slice(0, 1)) {
    if (!Array.isArray(s.clients) || s.clients.length < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['clients'],
        message: `${what} needs a list of at least 2 client counts`,
      });
    if (s.repetitions > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['repetitions'],
        message: `${what} runs each step once: repetitions must be 1`,
      });
  }
}

/** Chat and echo: no raw TCP floor, no bursts. */
function checkWorkload(s: ScenarioFields, ctx: z.RefinementCtx): void {
  if (s.workload !== 'feed') {
    if (s.rawTcpReference)
      ctx.addIssue({
        code: 'custom',
        path: ['rawTcpReference'],
        message: `the raw TCP floor carries no upstream messages: not with workload "${s.workload}"`,
      });
    if (s.burst)
      ctx.addIssue({
        code: 'custom',
        path: ['burst'],
        message: `bursts shape the server's feed: not with workload "${s.workload}"`,
      });
  }
}

/** Slow consumers: a pause inside the window; with a target, one policy (its own). */
function checkSlowConsumers(s: ScenarioFields, ctx: z.RefinementCtx): void {
  const pause = s.slowConsumers?.pause;
  if (pause && pause.afterMs >= s.durationMs)
    ctx.addIssue({
      code: 'custom',
      path: ['slowConsumers', 'pause', 'afterMs'],
      message: `must fall inside the ${s.durationMs} ms window`,
    });
  if (s.slowConsumers && s.target && Array.isArray(s.slowConsumers.policy))
    ctx.addIssue({
      code: 'custom',
      path: ['slowConsumers', 'policy'],
      message: 'not a list with a target: its policy is its own',
    });
}

/** Bursts: each must fit in its slot at every rate. */
function checkBursts(s: ScenarioFields, ctx: z.RefinementCtx): void {
  if (!s.burst) return;
  for (const rate of Array.isArray(s.ratePerSec) ? s.ratePerSec : [s.ratePerSec]) {
    if ((s.burst.size - 1) * s.burst.gapMs >= (1000 * s.burst.size) / rate) {
      ctx.addIssue({
        code: 'custom',
        path: ['burst'],
        message: `a burst of ${s.burst.size} updates ${s.burst.gapMs} ms apart does not fit in its ${(1000 * s.burst.size) / rate} ms slot at ${rate} updates/s`,
      });
    }
  }
}

/** The checks across a scenario's fields, each adding its problems to `ctx`. */
export function checkScenario(s: ScenarioFields, ctx: z.RefinementCtx): void {
  for (const check of [
    checkTarget,
    checkScaleOut,
    checkCapacity,
    checkWorkload,
    checkSlowConsumers,
    checkBursts,
  ])
    check(s, ctx);
}
