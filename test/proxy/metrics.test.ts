import { describe, expect, it } from 'vitest';
import { LabelCap, MAX_TOOL_LABELS, OTHER_LABEL } from '../../src/proxy/labelCap.js';
import { PromMetrics } from '../../src/proxy/metrics.js';

/** The samples of one metric in the registry's text: labels → value. */
async function samples(m: PromMetrics, name: string): Promise<Array<{ labels: string; value: number }>> {
  const text = await m.text();
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `)).map((l) => {
    const at = l.lastIndexOf(' ');
    return { labels: l.slice(name.length, at), value: Number(l.slice(at + 1)) };
  });
}

describe('LabelCap', () => {
  it('keeps MCP request method names and calls every other method "other"', () => {
    const cap = new LabelCap();
    for (const method of ['tools/call', 'resources/read', 'server/discover', 'tasks/get']) expect(cap.method(method)).toBe(method);
    for (const method of ['x/anything', 'tools/call ', '', 'notifications/progress']) expect(cap.method(method)).toBe(OTHER_LABEL);
  });

  it(`gives the first ${MAX_TOOL_LABELS} tool names a label of their own and later ones "other"`, () => {
    const cap = new LabelCap();
    expect(cap.tool(null)).toBe('');
    for (let i = 0; i < MAX_TOOL_LABELS; i++) expect(cap.tool(`t${i}`)).toBe(`t${i}`);
    expect(cap.tool('late')).toBe(OTHER_LABEL);
    expect(cap.tool('t0')).toBe('t0');
    expect(cap.tool(`t${MAX_TOOL_LABELS - 1}`)).toBe(`t${MAX_TOOL_LABELS - 1}`);
  });
});

describe('PromMetrics label cardinality', () => {
  it('counts every request, with at most 200 tool series and unknown methods as "other"', async () => {
    const m = new PromMetrics(() => null);
    const tools = MAX_TOOL_LABELS + 50;
    for (let i = 0; i < tools; i++) {
      m.received('tools/call', `tool-${i}`);
      m.answered('tools/call', `tool-${i}`, 'result', 0, 0.001);
    }
    m.received('tools/call', 'tool-0');
    for (const method of ['vendor/a', 'vendor/b', 'vendor/c']) {
      m.received(method, null);
      m.answered(method, null, 'jsonrpc_error', 0, 0.001);
      m.failed(method, null, 'cancelled');
    }
    m.failed('tools/call', 'never-seen', 'timeout');

    const requests = await samples(m, 'mcpopt_proxy_requests_total');
    expect(requests.reduce((a, s) => a + s.value, 0)).toBe(tools + 1 + 3);
    const toolSeries = requests.filter((s) => s.labels.includes('method="tools/call"'));
    expect(toolSeries).toHaveLength(MAX_TOOL_LABELS + 1);
    expect(toolSeries.find((s) => s.labels.includes('tool="tool-0"'))?.value).toBe(2);
    expect(toolSeries.find((s) => s.labels.includes(`tool="${OTHER_LABEL}"`))?.value).toBe(50);
    expect(requests.find((s) => s.labels.includes(`method="${OTHER_LABEL}"`))?.value).toBe(3);
    expect(requests.some((s) => s.labels.includes('vendor/'))).toBe(false);

    const answers = await samples(m, 'mcpopt_proxy_answers_total');
    expect(answers.reduce((a, s) => a + s.value, 0)).toBe(tools + 3);
    expect(answers.find((s) => s.labels.includes(`method="${OTHER_LABEL}"`) && s.labels.includes('outcome="jsonrpc_error"'))?.value).toBe(3);
    const failures = await samples(m, 'mcpopt_proxy_failures_total');
    expect(failures.find((s) => s.labels.includes(`method="${OTHER_LABEL}"`))?.value).toBe(3);
    expect(failures.find((s) => s.labels.includes(`tool="${OTHER_LABEL}"`) && s.labels.includes('class="timeout"'))?.value).toBe(1);
    const served = await samples(m, 'mcpopt_proxy_service_seconds_count');
    expect(served.map((s) => s.labels).sort()).toEqual([`{method="${OTHER_LABEL}"}`, '{method="tools/call"}']);
  });

  it('reads in-flight, queue depth and sessions when scraped', async () => {
    const m = new PromMetrics(() => null);
    m.inflight(3);
    m.queueDepth(2);
    m.sessions(1);
    expect(await samples(m, 'mcpopt_proxy_inflight')).toEqual([{ labels: '', value: 3 }]);
    expect(await samples(m, 'mcpopt_proxy_queue_depth')).toEqual([{ labels: '', value: 2 }]);
    m.inflight(0);
    expect(await samples(m, 'mcpopt_proxy_inflight')).toEqual([{ labels: '', value: 0 }]);
    expect(await samples(m, 'mcpopt_proxy_sessions')).toEqual([{ labels: '', value: 1 }]);
  });
});
