import { describe, expect, it } from 'vitest';
import type { ConformanceFile } from '../../results/index.ts';
import { conformanceSection } from './conformance-section.ts';

const file: ConformanceFile = {
  kind: 'conformance', target: 'http://127.0.0.1:9000', created_at: '2026-12-02T01:00:00.000Z', tool: { version: '0.1.0' }, quick: false,
  cases: [
    { id: '1.1', title: 'GET /health answers', state: 'pass', expected: null, got: null, request: null, reason: null, ms: 3 },
    { id: '3.1', title: 'GET /long-poll without since answers at once', state: 'fail', expected: 'an answer within 1000 ms', got: '<held> after 2000 ms', request: 'GET /long-poll', reason: null, ms: 2001 },
    { id: '4.1', title: 'GET /sse answers at once', state: 'not-applicable', expected: null, got: null, request: null, reason: 'the target does not serve sse', ms: 0 },
  ],
  summary: { passed: 1, failed: 1, not_applicable: 1 },
};

describe('the report\'s conformance section', () => {
  it('shows every case with its verdict, a failure with expected, got and the request (escaped), and why a case does not apply', () => {
    const html = conformanceSection([file]);
    expect(html).toContain('http://127.0.0.1:9000: 1 passed, 1 failed, 1 do not apply');
    expect(html).toContain('<td>3.1</td><td class="flag">FAIL</td><td>GET /long-poll without since answers at once</td><td>expected an answer within 1000 ms; got &lt;held&gt; after 2000 ms; request: GET /long-poll</td>');
    expect(html).toContain('<td>4.1</td><td class="">does not apply</td><td>GET /sse answers at once</td><td>the target does not serve sse</td>');
  });

  it('is empty without conformance files', () => {
    expect(conformanceSection([])).toBe('');
  });
});
