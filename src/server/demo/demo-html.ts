import type { DemoConfig } from './page/demo-page.ts';

/** JSON safe inside a <script> element: no "<" can close it. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replaceAll('<', '\\u003c');

const STYLE = `
body { font: 15px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1f24; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 20px 0 8px; }
.lead { color: #444; max-width: 70em; }
.controls { margin: 12px 0; display: flex; gap: 16px; align-items: center; }
button { font-size: 16px; padding: 6px 14px; }
.row { display: grid; grid-template-columns: repeat(4, minmax(220px, 1fr)); gap: 12px; }
.lane { border: 1px solid #ccd; border-radius: 6px; padding: 10px; }
.lane h3 { margin: 0; font-size: 16px; } .lane .sub { margin: 2px 0 6px; color: #555; font-size: 13px; }
.lane[data-state^="error"] { border-color: #c33; }
.lane table { border-collapse: collapse; width: 100%; font-size: 13px; }
.lane td { padding: 1px 0; } .lane td + td { text-align: right; font-variant-numeric: tabular-nums; }
`;

/**
 * The demo page: a row of four lanes per HTTP version, the "How are you?" button and the
 * repeat switch, with the lanes' configuration and the bundled script inlined (the page needs
 * nothing from any network but the demo's own servers).
 */
export function demoHtml(config: DemoConfig, script: string): string {
  const versions = [...new Set(config.lanes.map((l) => l.http))];
  const rows = versions
    .map((http) => {
      const lanes = config.lanes
        .filter((l) => l.http === http)
        .map((l) => `<div class="lane" id="lane-${l.id}"></div>`)
        .join('');
      return `<h2>HTTP/${http}</h2><div class="row">${lanes}</div>`;
    })
    .join('');
  const plainNote = versions.includes('2')
    ? ''
    : ' HTTP/2 lanes need TLS (browsers speak HTTP/2 only over TLS): run the demo without --plain to see them.';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>feedbench demo: How are you?</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body>
<h1>How are you? Over all four transports at once</h1>
<p class="lead">The article's page sends "How are you?" and waits for the answer. Here every lane asks the same question of a feed server of its own:
WebSocket over its socket (the answer comes back as an echo frame), the HTTP transports with a <code>POST /publish</code> whose answer comes back
the way that transport receives updates: the next short poll (every ${config.pollIntervalMs} ms), the held long poll, the event stream.
Round trips are timed by this page; wire bytes are what each lane's TCP sockets carried (TLS included), counted by its server, idle polling included.${plainNote}</p>
<div class="controls"><button id="ask">How are you?</button><label><input type="checkbox" id="repeat" checked> ask every ${config.repeatMs / 1000} s</label></div>
${rows}
<script>globalThis.FEEDBENCH_DEMO = ${scriptJson(config)};</script>
<script>${script}</script>
</body></html>`;
}
