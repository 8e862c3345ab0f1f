import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeJsonAtomic, type ConformanceCase } from '../results/index.ts';
import { isLoopbackHost } from '../run/scenario.ts';
import { runConformance } from '../conform/conform.ts';
import { UsageError, type Outcome } from './outcomes.ts';

/** Options of `feedbench conform`. */
export interface ConformOptions {
  out: string;
  quick?: boolean;
  targetCa?: string;
  allowRemoteTarget?: boolean;
}

const MARK = { pass: 'pass', fail: 'FAIL', 'not-applicable': 'n/a' } as const;

/** One line per case; a failure adds what was expected, what came and the request. */
function caseLines(c: ConformanceCase): string[] {
  const head = `${c.id.padEnd(5)} ${MARK[c.state].padEnd(4)} ${c.title}`;
  if (c.state === 'fail')
    return [
      head,
      `        expected: ${c.expected}`,
      `        got:      ${c.got}`,
      `        request:  ${c.request}`,
    ];
  if (c.state === 'not-applicable') return [head, `        (${c.reason})`];
  return [head];
}

/**
 * `feedbench conform URL`: every rule of the feed protocol as a numbered case against a server,
 * printed as each ends and written as JSON; exit 0 only when every case that applies passes.
 */
export async function conformCommand(url: string, opts: ConformOptions): Promise<Outcome> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new UsageError(
      `${JSON.stringify(url)} is not a URL: give the server's origin, like http://127.0.0.1:8080`,
    );
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new UsageError(`${url}: conform speaks http:// and https:// only`);
  if (!isLoopbackHost(target.hostname) && !opts.allowRemoteTarget)
    throw new UsageError(
      `${target.hostname} is not loopback: the cases would send requests off this machine; add --allow-remote-target to mean it`,
    );
  let ca: string | undefined;
  try {
    ca = opts.targetCa ? readFileSync(opts.targetCa, 'utf8') : undefined;
  } catch (error) {
    throw new UsageError(`cannot read --target-ca: ${(error as Error).message}`);
  }
  console.log(
    `conformance of ${target.origin} to the feed protocol${opts.quick ? ' (quick cases)' : ''}:`,
  );
  const report = await runConformance(
    { url: target, ...(ca ? { ca } : {}) },
    { quick: opts.quick ?? false },
    (c) => console.log(caseLines(c).join('\n')),
  );
  const { passed, failed, not_applicable } = report.summary;
  const out = resolve(opts.out.replace('<time>', report.created_at.replace(/[:.]/g, '-')));
  writeJsonAtomic(out, report);
  console.log(
    `\n${passed} passed, ${failed} failed, ${not_applicable} not applicable\nwritten: ${out} (feedbench report ${opts.out.includes('<time>') ? out : opts.out} adds it to a report)`,
  );
  return failed > 0 ? 'nonconformant' : 'ok';
}
