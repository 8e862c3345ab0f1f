import { ofWorkload, usable, type MeasuredCell, type ReportCell } from '../report-cells.ts';
import { onReferenceServer } from '../servers.ts';

/** The network profiles in the cells, loopback first (the verdicts' reference condition). */
export function networksOf(cells: readonly MeasuredCell[]): string[] {
  return [...new Set(cells.map((c) => c.cell.params.network))].sort((a, b) => (a === 'loopback' ? -1 : b === 'loopback' ? 1 : a.localeCompare(b)));
}

/**
 * The cells a claim is judged on: of the reference server (servers.ts), usable, without TLS (C7's subject), on one network, loopback
 * when present, so that like is compared with like. Other networks are listed beside. Cells that
 * all ran over TLS (browser pages, which speak HTTP/2 only over TLS) are judged as they are:
 * like is still compared with like.
 */
export function referenceCells(all: readonly ReportCell[]): { cells: MeasuredCell[]; network: string | undefined; others: string[]; plain: MeasuredCell[] } {
  // Scale-out cells are C5's: the other claims are judged on single servers, and on one server.
  const single = ofWorkload(usable(onReferenceServer(all)), 'feed').filter((c) => (c.cell.params.instances ?? 1) === 1);
  const withoutTls = single.filter((c) => !c.cell.params.tls);
  const plain = withoutTls.length > 0 ? withoutTls : single;
  const [network, ...others] = networksOf(plain);
  return { cells: plain.filter((c) => c.cell.params.network === network), network, others, plain };
}
