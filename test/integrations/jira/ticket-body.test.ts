import { describe, expect, it } from 'vitest';
import { documentText, fitDocument, paragraph, table, text, type AdfNode } from '../../../src/integrations/jira/adf.js';
import { costLine, ticketBody, ticketSummary } from '../../../src/integrations/jira/ticket-body.js';
import { adfProblems } from './jira-stand-in.js';
import { chatAlert, richResult } from './jira-harness.js';

const words = (node: AdfNode): string[] => [...(node.text ? [node.text] : []), ...(node.content ?? []).flatMap(words)];

describe('ticket body', () => {
  it('keeps a summary on one line within 255 characters', () => {
    const result = richResult(chatAlert({ alertname: `Chat\nLatency${'X'.repeat(300)}` }));
    const summary = ticketSummary(result);
    expect(summary).toHaveLength(255);
    expect(summary).not.toMatch(/\n/);
    expect(summary.endsWith('…')).toBe(true);
  });

  it('says "not determined" and lists the leads when there is no root cause', () => {
    const alert = chatAlert();
    const result = richResult(alert, { rootCause: null });
    const body = ticketBody(result, [alert]);
    expect(adfProblems(body)).toEqual([]);
    const all = words(body as AdfNode);
    expect(all).toContain('Not determined');
    expect(all).toContain('Leads, most likely first:');
    expect(all).toContain(' (gpu-noisy-neighbor): confidence 82%, score 7');
  });

  it('shows a javascript: URL as text, never as a link', () => {
    const alert = { ...chatAlert(), generatorURL: 'javascript:alert(1)' };
    const body = JSON.stringify(ticketBody(richResult(alert), [alert]));
    expect(body).not.toContain('"href":"javascript');
    expect(body).toContain('Prometheus graph of the alert: javascript:alert(1)');
  });

  it('prints the model spend in the cost line when the agent was involved', () => {
    const result = richResult(chatAlert(), {
      mode: 'llm',
      usage: { modelCalls: 3, inputTokens: 12_000, outputTokens: 800, usd: 0.0421, toolCalls: 5, queries: 7 },
    });
    expect(costLine(result)).toBe(
      'Cost: 3 model calls, 12000 input and 800 output tokens, $0.0421; 5 tool calls, 7 queries; 2.4 s.',
    );
  });

  it('cuts a table to the rows that fit and names what was left out', () => {
    const rows = Array.from({ length: 100 }, (_, index) => [text(`row ${index} ${'y'.repeat(50)}`)]);
    const doc = fitDocument([paragraph(text('head')), table(['Row'], rows)], 2_000, (omitted) =>
      paragraph(text(`${omitted} left out`)),
    );
    expect(JSON.stringify(doc).length).toBeLessThanOrEqual(2_000);
    const kept = doc.content[1]!.content!.length - 1;
    expect(kept).toBeGreaterThan(5);
    expect(documentText(doc.content.at(-1))).toBe(`${100 - kept} left out\n`);
  });
});
