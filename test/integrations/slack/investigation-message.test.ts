import { describe, expect, it } from 'vitest';
import type { InvestigationResult } from '../../../src/core/investigation.js';
import { codeBlock, escapeMrkdwn, inlineCode, safeUrl } from '../../../src/integrations/slack/escape-mrkdwn.js';
import { investigationMessage, type InvestigationView } from '../../../src/integrations/slack/investigation-message.js';
import { silenceLink } from '../../../src/integrations/slack/silence-link.js';
import { resultFor } from '../../server/fixtures/webhook.js';
import { textOf } from './fixtures/slack-flows.js';

/** Labels as an attacker with webhook access would write them. */
const HOSTILE = {
  alertname: 'PodDown <!channel>',
  severity: 'critical',
  namespace: '<@U0CEO> ping',
  pod: 'web-1 <https://evil.example|click me> & more',
  team: 'ops ``` @here',
};

function view(result: InvestigationResult | null, overrides: Partial<InvestigationView> = {}): InvestigationView {
  const alert = {
    fingerprint: 'f1',
    status: 'firing' as const,
    labels: HOSTILE,
    annotations: { summary: 'Pod <!here> is down; see <https://evil.example|this>' },
    startsAt: '2026-11-26T06:00:00Z',
    generatorURL: 'javascript:alert(1)',
  };
  return {
    id: 'abcdef12-3456',
    state: result ? 'completed' : 'running',
    alert,
    alertCount: 1,
    resolved: false,
    result,
    error: null,
    ...overrides,
  };
}

/** Every mrkdwn text of a message (plain_text is never parsed), without code (shown literally). */
function mrkdwnOutsideCode(blocks: unknown): string {
  const texts: string[] = [];
  JSON.stringify(blocks, (key, value: unknown) => {
    if (value && typeof value === 'object' && (value as { type?: string }).type === 'mrkdwn')
      texts.push((value as { text: string }).text);
    return value;
  });
  return texts
    .join('\n')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '');
}

describe('escaping for Slack mrkdwn', () => {
  it('neutralises control sequences and broadcast words in prose', () => {
    expect(escapeMrkdwn('<!channel> <@U1> <!subteam^S1> a & b @here')).toBe(
      '&lt;!channel&gt; &lt;@U1&gt; &lt;!subteam^S1&gt; a &amp; b @\u2060here',
    );
    expect(inlineCode('a`b <c>')).toBe('`aˋb &lt;c&gt;`');
  });

  it('keeps a command in its code block whatever it contains, changing nothing else', () => {
    const block = codeBlock('echo "```" && kubectl get pods -l app=web > /tmp/x');
    expect(block).toBe('```\necho "ˋˋˋ" &amp;&amp; kubectl get pods -l app=web &gt; /tmp/x\n```');
    expect(block.match(/```/g)).toHaveLength(2);
  });

  it('accepts only http(s) links', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('http://prometheus:9090/graph?g0.expr=up')).toBe('http://prometheus:9090/graph?g0.expr=up');
    expect(safeUrl(`https://x.example/${'a'.repeat(3000)}`)).toBeUndefined();
  });
});

describe('investigationMessage', () => {
  it('lets no label, annotation or remediation command inject mentions, links or formatting', () => {
    const result: InvestigationResult = {
      ...resultFor([view(null).alert]),
      rootCause: { id: 'pod-down', title: 'Pod <!everyone> crashed', confidence: 0.8, summary: 'see <@U0CEO>' },
      remediation: {
        runbook: 'crash',
        steps: [{ title: 'Restart <!channel>', command: 'kubectl -n "<@U0CEO> ping" rollout restart ```\n<!channel>' }],
      },
    };
    const message = investigationMessage(view(result), { llm: false, tickets: false });
    const text = textOf(message);
    expect(textOf(message)).toContain('`&lt;@U0CEO&gt; ping`');
    for (const part of [mrkdwnOutsideCode(message.blocks), message.text]) {
      expect(part).not.toMatch(/<[!@#]/);
      expect(part).not.toMatch(/<https?:/);
      expect(part).not.toMatch(/(^|[^\u2060])@(here|channel|everyone)/);
    }
    // The command's block opens and closes where Holmes put it.
    const commandSection = (message.blocks as Array<{ text?: { text: string } }>).find((block) =>
      block.text?.text.includes('rollout restart'),
    );
    expect(commandSection!.text!.text.match(/```/g)).toHaveLength(2);
    // The header is plain text: shown as written, never parsed.
    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: { type: 'plain_text', text: '🔥 PodDown <!channel> · critical · FIRING' },
    });
    // A generatorURL that is not http(s) gets no button.
    expect(text).not.toContain('Prometheus graph');
  });

  it('says "not determined" with the leads when no cause won, and shows progress while running', () => {
    const undetermined: InvestigationResult = {
      ...resultFor([view(null).alert]),
      rootCause: null,
      hypotheses: [
        {
          cause: 'gpu-noisy-neighbor',
          title: 'Another workload shares the GPU',
          class: 'gpu',
          score: 2,
          confidence: 0.3,
          candidateBecause: ['a GPU is shared'],
          evidence: [],
        },
      ],
    };
    expect(textOf(investigationMessage(view(undetermined), { llm: true, tickets: true }))).toContain(
      '*Root cause not determined.* Leads:\n• Another workload shares the GPU (`gpu-noisy-neighbor`) · confidence 30%: a GPU is shared',
    );
    const running = investigationMessage(view(null, { progress: 'calling `gpu_sharing`' }), {
      llm: true,
      tickets: true,
    });
    expect(textOf(running)).toContain('⏳ *Investigating*: calling `gpu_sharing`…');
    expect(running.blocks.some((block) => block.type === 'actions')).toBe(false);
  });
});

describe('silenceLink', () => {
  it("prefills Alertmanager's form with the alert's labels, quoted for its matcher syntax", () => {
    const url = silenceLink(
      { alertmanagerUrl: 'http://am:9093/' },
      { alertname: 'A"b', 'bad name': 'x', pod: 'p\\1' },
      'why',
    );
    expect(url).toBe(
      `http://am:9093/#/silences/new?filter=${encodeURIComponent('{alertname="A\\"b",pod="p\\\\1"}')}&comment=why`,
    );
    expect(silenceLink({ silenceUrl: 'https://grafana/alerting/silence/new?matcher={filter}' }, { a: 'b' }, '')).toBe(
      `https://grafana/alerting/silence/new?matcher=${encodeURIComponent('{a="b"}')}`,
    );
    expect(silenceLink({}, { a: 'b' }, '')).toBeUndefined();
  });
});
