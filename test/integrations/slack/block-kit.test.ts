import { describe, expect, it } from 'vitest';
import {
  actionButton,
  clip,
  CUT_NOTE,
  fitBlocks,
  section,
  sections,
} from '../../../src/integrations/slack/block-kit.js';

describe('fitBlocks', () => {
  it('keeps a message within 50 blocks, with a visible note and its buttons last', () => {
    const blocks = [
      ...Array.from({ length: 80 }, (_, index) => section(`line ${index}`)),
      { type: 'actions' as const, elements: [actionButton('Show evidence', 'holmes_show_evidence', 'i1')] },
    ];
    const fitted = fitBlocks(blocks);
    expect(fitted.cut).toBe(true);
    expect(fitted.blocks).toHaveLength(50);
    expect(fitted.blocks.at(-1)!.type).toBe('actions');
    expect(JSON.stringify(fitted.blocks.at(-2))).toContain(CUT_NOTE);
  });

  it('cuts an over-long section with the note and closes a code block it cut open', () => {
    const fitted = fitBlocks([section(`intro\n\`\`\`\n${'x'.repeat(4000)}\n\`\`\``)]);
    const text = (fitted.blocks[0] as { text: { text: string } }).text.text;
    expect(fitted.cut).toBe(true);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.match(/```/g)).toHaveLength(2);
    expect(text.endsWith(CUT_NOTE)).toBe(true);
    expect(fitBlocks([section('short')])).toEqual({ blocks: [section('short')], cut: false });
  });
});

describe('sections', () => {
  it('splits long text into sections without losing a character, even a line longer than a section', () => {
    const words = Array.from({ length: 1500 }, (_, index) => `w${index}`).join(' ');
    const text = `head\n${words}\ntail &amp; end`;
    const parts = sections(text).map((block) => (block as { text: { text: string } }).text.text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(3000);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('clip never leaves half an entity', () => {
    expect(clip(`${'a'.repeat(10)}&amp;b`, 14)).not.toMatch(/&am?$/);
  });
});
