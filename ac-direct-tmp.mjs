// Fixed-rate polls with realistic answers: autocannon at -R against feedbench serve (--rate 1),
// each request asking since = the newest seq - 1, so each answer carries about one update.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
const [port, pid, rate, conns] = process.argv.slice(2).map(Number);
const tck = 100;
const cpu = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / tck; };
const first = await (await fetch(`http://127.0.0.1:${port}/poll`)).json();
const t0 = Date.now();
const since = () => Math.max(0, first.last + Math.floor((Date.now() - t0) / 1000) - 1);
const run = autocannon({ url: `http://127.0.0.1:${port}`, connections: conns, overallRate: rate, duration: 20,
  requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/poll?since=${since()}` }) }] });
await new Promise((r) => setTimeout(r, 8000));
const a = cpu(), ta = Date.now();
await new Promise((r) => setTimeout(r, 10000));
const b = cpu(), tb = Date.now();
const result = await run;
const cores = (b - a) / ((tb - ta) / 1000);
console.log(`autocannon ${conns} connections at ${rate}/s (since = newest - 1): server ${cores.toFixed(3)} cores, ${(cores * 1e6 / rate).toFixed(0)} us per poll; ${Math.round(result.requests.average)} req/s, ${Math.round(result.throughput.average / result.requests.average)} B per answer`);
