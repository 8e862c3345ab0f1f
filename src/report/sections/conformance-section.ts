import type { ConformanceFile } from '../../results/index.ts';
import { escapeHtml } from '../page/escape-html.ts';

const STATE = { pass: 'pass', fail: 'FAIL', 'not-applicable': 'does not apply' } as const;

/**
 * The report's section on `feedbench conform` runs: per target, every case with its verdict, and
 * for a failure what was expected, what came and the request. Empty without conformance files.
 */
export function conformanceSection(files: readonly ConformanceFile[]): string {
  if (files.length === 0) return '';
  const tables = files.map((file) => {
    const rows = file.cases.map((c) => {
      const detail = c.state === 'fail' ? `expected ${c.expected}; got ${c.got}; request: ${c.request}` : (c.reason ?? '');
      return `<tr><td>${escapeHtml(c.id)}</td><td class="${c.state === 'fail' ? 'flag' : ''}">${STATE[c.state]}</td><td>${escapeHtml(c.title)}</td><td>${escapeHtml(detail)}</td></tr>`;
    });
    const { passed, failed, not_applicable } = file.summary;
    return `<h3>${escapeHtml(file.target)}${file.quick ? ' (quick cases)' : ''}: ${passed} passed, ${failed} failed, ${not_applicable} do not apply</h3><p>Checked ${escapeHtml(file.created_at)} by feedbench ${escapeHtml(file.tool.version)}.</p><div class="scroll"><table class="conformance"><thead><tr><th>case</th><th>verdict</th><th>rule</th><th>what came, or why it does not apply</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
  });
  return `<h2>Conformance to the feed protocol</h2>
<p>Every rule of the protocol as a numbered case (<code>feedbench conform URL</code>), in the manner of the Autobahn suite for WebSocket: a target that fails one is measured wrongly or not at all, whatever its figures say.</p>
${tables.join('\n')}`;
}
