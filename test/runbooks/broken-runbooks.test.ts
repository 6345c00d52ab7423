import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeCheck, type CheckInput } from '../../src/runbooks/judge-check.js';
import { loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import type { KnownTool } from '../../src/runbooks/validate-runbook.js';
import { toolSchema } from '../../src/toolsets/toolset-schema.js';

// One tool as a toolset declares it: the validator sees what the toolbox would offer.
const TOOLS: KnownTool[] = [
  {
    toolset: 'test/set',
    spec: toolSchema.parse({
      name: 'signal_change',
      description: 'how a signal changed',
      parameters: {
        signal: { type: 'enum', values: ['kv_cache_usage', 'restarts'], required: true, description: 'signal' },
        namespace: { type: 'label_value', entity: 'namespace', description: 'namespace' },
      },
      builtin: 'signal_change',
    }),
  },
];

/** A runbook whose one check is given; everything else is valid. */
function runbook(check: string): string {
  return `---
id: my-cause
title: A cause of my own
class: tail-latency
candidate: { alerts: [slow] }
checks:
${check}
remediation:
  - title: Do the thing
---
# Body
`;
}

const GOOD_CHECK = `  - id: full
    description: cache full
    tool: signal_change
    params: { signal: kv_cache_usage }
    facts:
      usage: data.ours.after
    supports: '$usage != null and $usage >= 0.9'
    contradicts: '$usage != null and $usage < 0.8'
    weight: 3
    explain: { supports: 'cache at {{usage_pct}}' }`;

async function load(check: string) {
  const dir = mkdtempSync(join(tmpdir(), 'holmes-broken-'));
  writeFileSync(join(dir, 'my-cause.md'), runbook(check));
  return loadRunbooks([dir], { tools: TOOLS });
}

const input = (data: unknown): CheckInput => ({
  data,
  status: 'success',
  entities: {},
  view: { workload: 'chat' },
  nowMs: Date.now(),
  alertStartMs: Date.now() - 900_000,
  windowMs: 1_800_000,
});

describe('a broken runbook', () => {
  it('loads when nothing is wrong (the cases below differ from it by one mistake)', async () => {
    const result = await load(GOOD_CHECK);
    expect(result.failures).toEqual([]);
    expect(result.runbooks.map((entry) => entry.id)).toEqual(['my-cause']);
  });

  it.each([
    ['an unknown tool', GOOD_CHECK.replace('tool: signal_change', 'tool: signal_chnage'), /signal_chnage/],
    ['a parameter the tool refuses', GOOD_CHECK.replace('signal: kv_cache_usage', 'signal: kv_cache'), /kv_cache/],
    ['an undefined $name', GOOD_CHECK.replace("'$usage != null and $usage >= 0.9'", "'$usag >= 0.9'"), /usag/],
    ['an undefined {{name}} in a sentence', GOOD_CHECK.replace('{{usage_pct}}', '{{usage_pc}}'), /usage_pc/],
  ])('is refused at load with its file and line when it has %s', async (_kind, check, names) => {
    const result = await load(check);
    expect(result.runbooks).toEqual([]);
    const [failure] = result.failures;
    expect(failure?.file).toMatch(/my-cause\.md$/);
    const issue = failure!.issues[0]!;
    expect(issue.line).toBeGreaterThan(5);
    expect(`${issue.message} ${issue.fix ?? ''}`).toMatch(names);
  });

  it('is refused with the line in the body when a ## Fix command names an undefined {{name}}', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'holmes-broken-'));
    const text = runbook(GOOD_CHECK).replace('remediation:\n  - title: Do the thing\n', '');
    const lines = `${text}\n## Fix\n\n### Grow the cache\n\n\`\`\`sh\nvllm serve --gpu-memory-utilization {{usag}}\n\`\`\`\n`;
    writeFileSync(join(dir, 'my-cause.md'), lines);
    const { failures } = await loadRunbooks([dir], { tools: TOOLS });
    const issue = failures[0]!.issues[0]!;
    expect(issue.message).toContain('{{usag}}');
    expect(issue.path).toBe('## Fix step 1 command');
    expect(lines.split('\n')[issue.line! - 1]).toBe('```sh');
  });

  it('is unavailable at run time, naming the fact, when a data path has a typo — never contradicts', async () => {
    const { runbooks } = await load(GOOD_CHECK.replace('usage: data.ours.after', 'usage: data.ours.aftr'));
    const judged = await judgeCheck(runbooks[0]!.checks[0]!, input({ ours: { count: 1, before: 0.5, after: 0.5 } }));
    expect(judged.verdict).toBe('unavailable');
    expect(judged.sentence).toContain("fact 'usage' reads data.ours.aftr");
  });

  it('is unavailable at run time, naming the field, when supports gives a number', async () => {
    const { runbooks } = await load(GOOD_CHECK.replace("'$usage != null and $usage >= 0.9'", "'$usage * 2'"));
    const judged = await judgeCheck(runbooks[0]!.checks[0]!, input({ ours: { count: 1, after: 0.95 } }));
    expect(judged.verdict).toBe('unavailable');
    expect(judged.sentence).toContain("'supports' gave 1.9");
  });

  it('contradicts on the same data when the check is right: only evidence contradicts', async () => {
    const { runbooks } = await load(GOOD_CHECK);
    expect((await judgeCheck(runbooks[0]!.checks[0]!, input({ ours: { count: 1, after: 0.5 } }))).verdict).toBe(
      'contradicts',
    );
    // An empty result is no typo: it shows nothing either way.
    expect(
      (await judgeCheck(runbooks[0]!.checks[0]!, input({ ours: { count: 0, before: null, after: null }, series: [] })))
        .verdict,
    ).toBe('inconclusive');
  });

  it('is inconclusive with the fix when the metric is not collected here', async () => {
    const { runbooks } = await load(GOOD_CHECK);
    const judged = await judgeCheck(runbooks[0]!.checks[0]!, input(null), {
      metrics: ['vllm:kv_cache_usage_perc'],
      fix: 'scrape the vLLM pods',
    });
    expect(judged.verdict).toBe('inconclusive');
    expect(judged.sentence).toContain('scrape the vLLM pods');
  });
});
