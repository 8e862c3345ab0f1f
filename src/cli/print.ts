/** Prints where a report went and the verdict of each claim. */
export function printReport(report: { path: string; verdicts: { id: string; verdict: string }[] }): void {
  console.log(`report:  ${report.path}`);
  console.log(`verdicts: ${report.verdicts.map((v) => `${v.id} ${v.verdict}`).join(', ')}`);
}
