/** Prints where a report went and the verdict of each claim. */
export function printReport(report: {
  path: string;
  verdicts: { id: string; verdict: string; byHttp?: { http: string; verdict: string }[] }[];
}): void {
  console.log(`report:  ${report.path}`);
  // With both HTTP versions in the run, each claim's verdict per version: `C3 1.1 supported / 2
  // not-supported`.
  const verdict = (v: (typeof report.verdicts)[number]) =>
    v.byHttp && v.byHttp.length > 1
      ? v.byHttp.map((j) => `${j.http} ${j.verdict}`).join(' / ')
      : v.verdict;
  console.log(`verdicts: ${report.verdicts.map((v) => `${v.id} ${verdict(v)}`).join(', ')}`);
}
