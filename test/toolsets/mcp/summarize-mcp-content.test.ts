import { describe, expect, it } from 'vitest';
import { summarizeJson } from '../../../src/toolsets/mcp/summarize-json.js';
import { summarizeMcpContent } from '../../../src/toolsets/mcp/summarize-mcp-content.js';

describe('summarizeJson', () => {
  it('keeps the first items of a long list and counts the rest', () => {
    const summary = summarizeJson(
      Array.from({ length: 50 }, (_, index) => ({ id: index })),
      { maxItems: 3 },
    );
    expect(summary.text.split('\n')).toEqual([
      '50 items',
      '{"id":0}',
      '{"id":1}',
      '{"id":2}',
      '… 47 more items (50 in all)',
    ]);
    expect(summary.droppedItems).toBe(47);
  });

  it('cuts long strings and deep nesting, saying how much was left out', () => {
    const summary = summarizeJson(
      { message: 'x'.repeat(30), deep: { a: { b: { c: 1 } } } },
      { maxStringChars: 10, maxDepth: 2 },
    );
    expect(summary.text).toContain('message: "xxxxxxxxxx… (20 more characters)"');
    expect(summary.text).toContain('deep: {"a":"{1 keys}"}');
    expect(summary.droppedChars).toBe(20);
  });

  it('leaves a small document whole', () => {
    expect(summarizeJson({ gpu: '3', busy: 0.99 })).toEqual({
      text: 'gpu: "3"\nbusy: 0.99',
      droppedItems: 0,
      droppedChars: 0,
    });
  });
});

describe('summarizeMcpContent', () => {
  it('summarises JSON text, keeps plain text, and names images and binary resources instead of inlining them', () => {
    const summary = summarizeMcpContent({
      content: [
        {
          type: 'text',
          text: JSON.stringify({ pods: Array.from({ length: 25 }, (_, index) => ({ pod: `p${index}` })) }),
        },
        { type: 'text', text: 'plain words [not json' },
        { type: 'image', data: Buffer.alloc(3072).toString('base64'), mimeType: 'image/png' },
        { type: 'resource', resource: { uri: 'file:///dump.bin', mimeType: 'application/octet-stream', blob: 'AAAA' } },
        { type: 'resource_link', uri: 'https://grafana/d/x', name: 'dashboard' },
      ],
    });
    expect(summary.status).toBe('success');
    expect(summary.text).toContain('pods: 25 items');
    expect(summary.text).toContain('… 5 more items (25 in all)');
    expect(summary.text).toContain('plain words [not json');
    expect(summary.text).toContain('[image image/png, 3.0 KB, not shown]');
    expect(summary.text).toContain('[resource file:///dump.bin application/octet-stream, 0.0 KB, not shown]');
    expect(summary.text).toContain('link: https://grafana/d/x (dashboard)');
    expect(summary.text).not.toContain(Buffer.alloc(3072).toString('base64'));
    expect(summary.omitted?.what).toBe('5 list items');
  });

  it('reads an error result as an error, an empty one as no data, and structured content when there is no text', () => {
    expect(summarizeMcpContent({ content: [{ type: 'text', text: 'boom' }], isError: true })).toMatchObject({
      status: 'error',
      text: 'boom',
    });
    expect(summarizeMcpContent({ content: [] })).toMatchObject({ status: 'no_data' });
    expect(summarizeMcpContent({ content: [], structuredContent: { owner: 'team-a' } })).toMatchObject({
      status: 'success',
      text: 'owner: "team-a"',
    });
  });
});
