/** The report's CSS: light and dark schemes, narrow screens, print. */
export const STYLE = `
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; background: #f6f7f9; }
body { margin: 0 auto; max-width: 1200px; padding: 16px; line-height: 1.45; }
h1 { margin: 0 0 4px; } h2 { margin-top: 32px; border-bottom: 2px solid #d8dde3; padding-bottom: 4px; }
.sub { color: #57606a; margin-top: 0; }
table { border-collapse: collapse; font-size: 13px; background: #fff; }
th, td { border: 1px solid #d8dde3; padding: 4px 6px; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll { overflow-x: auto; max-width: 100%; }
table.raw td:first-child { white-space: nowrap; }
.card { overflow-wrap: anywhere; }
.key > span.k { white-space: nowrap; }
table.info, table.lubbers, table.overview, table.capacity { width: 100%; }
td.path { word-break: break-all; }
.card { background: #fff; border: 1px solid #d8dde3; border-radius: 8px; padding: 12px 16px; margin: 16px 0; }
.card h3 { margin: 0 0 8px; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
blockquote { margin: 0 0 8px; padding: 4px 12px; border-left: 4px solid #c9d1d9; color: #444; font-style: italic; }
.because { font-size: 16px; }
.versions { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; } .version h4 { margin: 8px 0 4px; }
.http-verdict { font-size: 13px; font-weight: 400; white-space: nowrap; }
.verdict { font-size: 13px; font-weight: 600; padding: 2px 10px; border-radius: 12px; color: #fff; white-space: nowrap; }
.verdict.supported { background: #1a7f37; } .verdict.supported-with-condition { background: #bf8700; }
.verdict.not-supported { background: #cf222e; } .verdict.not-measured { background: #6e7781; }
.numbers td:first-child { color: #444; } .notes { color: #444; font-size: 14px; } .anchors { font-size: 14px; color: #333; }
figure.chart { margin: 12px 0; } figcaption .what { color: #57606a; font-size: 14px; }
.chart-box { position: relative; width: 100%; }
.key { display: flex; flex-wrap: wrap; gap: 12px; font-size: 14px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.flag { color: #cf222e; font-weight: 600; } tr.flagged td:first-child { box-shadow: inset 4px 0 #cf222e; }
tr.measured td { font-weight: 600; }
table.verdicts td.na { color: #6e7781; font-size: 12px; } table.guide { width: 100%; }
form.guide { display: flex; flex-wrap: wrap; gap: 8px 20px; margin: 8px 0; } form.guide input { width: 7em; } form.guide .unit, .small { color: #57606a; font-size: 13px; }
ul.honesty { padding-left: 20px; } .clean { color: #1a7f37; font-weight: 600; } p.full { font-size: 14px; margin: 4px 0 0; }
@media (prefers-color-scheme: dark) {
  :root { color: #d1d7e0; background: #0d1117; }
  table, .card { background: #161b22; } th, td, .card { border-color: #30363d; } h2 { border-color: #30363d; }
  .sub, figcaption .what, .small, form.guide .unit, .numbers td:first-child, .notes, .anchors, blockquote { color: #9da7b3; }
  a { color: #6cb6ff; } .flag { color: #ff7b72; } .clean { color: #56d364; } input, select { background: #0d1117; color: #d1d7e0; border: 1px solid #30363d; }
}
@media print {
  /* Paper is white whatever the screen's scheme: the light colours come back. */
  :root { background: #fff; color: #000; } body { max-width: none; padding: 0; } .card, figure.chart, table { break-inside: avoid; }
  table, .card { background: #fff; } th, td, .card, h2 { border-color: #d8dde3; }
  .sub, figcaption .what, .small, form.guide .unit, .numbers td:first-child, .notes, .anchors, blockquote { color: #444; }
  input, select { background: #fff; color: #000; } .flag { color: #cf222e; } .scroll { overflow: visible; } table { font-size: 10px; } .verdict { font-size: 10px; padding: 1px 6px; }
  form.guide input, form.guide select { border: none; } a { color: inherit; text-decoration: none; } details { display: block; } details > summary { display: none; }
}
@media (max-width: 640px) { body { padding: 8px; } .because { font-size: 15px; } th, td { padding: 3px 4px; }
  /* A card's figures stack, label over value: two columns would squeeze the labels to a word a line. */
  table.numbers td { display: block; border-bottom: none; } table.numbers td.n { text-align: left; white-space: normal; font-weight: 600; border-top: none; border-bottom: 1px solid #d8dde3; } }
`;
