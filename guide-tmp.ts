// usage: node --import tsx guide.ts <repo> <clients> <delayMs> <http> files...
const [repo, clients, delay, http, ...files] = process.argv.slice(2);
const { readResults } = await import(`${repo}/src/results/index.ts`);
const { reportCells } = await import(`${repo}/src/report/report-cells.ts`);
const dg = await import(`${repo}/src/report/sections/decision-guide.ts`);
let guideRows = dg.guideRows;
try { guideRows ??= (await import(`${repo}/src/report/sections/guide-rows.ts`)).guideRows; } catch {}
const cells = reportCells(files.map((f: string) => readResults(f)));
const costs = dg.guideCosts(cells).filter((c: { http: string }) => c.http === http);
const rows = guideRows(costs, { clients: Number(clients), updatesPerSec: 1, payloadBytes: 128, acceptedDelayMs: Number(delay) });
for (const r of rows) console.log(`${r.transport.padEnd(10)} typical ${r.typicalMs?.toFixed(1)} ms, worst ${r.worstMs?.toFixed(1)} ms, req/s ${Math.round(r.requestsPerSec)}, Mbit/s ${r.megabitsPerSec?.toFixed(1)}, cores ${r.serverCores?.toFixed(2)}, processes ${r.serverProcesses ?? '-'}, basis ${r.basis ?? 'light load'}${r.extrapolated ? `, extrapolated: ${r.extrapolated}` : ''}`);
