import { describe, expect, it } from 'vitest';
import { toolGraph, type ToolGraphInput } from '../../../src/toolsets/signals/tool-graph.js';

const START = Date.parse('2026-12-02T14:00:00Z');
const END = Date.parse('2026-12-02T17:00:00Z');
const input = (overrides: Partial<ToolGraphInput> = {}): ToolGraphInput => ({
  title: 'SM clock',
  unit: 'mhz',
  startMs: START,
  endMs: END,
  stepSeconds: 30,
  alertStartMs: END - 10 * 60_000,
  series: [{ query: 'DCGM_FI_DEV_SM_CLOCK', legend: ['gpu'] }],
  ...overrides,
});

describe('toolGraph', () => {
  it('gives the range, the alert start and an onset given in ms as RFC 3339', () => {
    const graph = toolGraph(input({ onset: END - 20 * 60_000, threshold: { value: 83, label: 'slowdown from' } }));
    expect(graph).toMatchObject({
      start: '2026-12-02T14:00:00.000Z',
      end: '2026-12-02T17:00:00.000Z',
      alertStart: '2026-12-02T16:50:00.000Z',
      onset: '2026-12-02T16:40:00.000Z',
      threshold: { value: 83, label: 'slowdown from' },
    });
  });

  it('leaves out an onset the graph cannot show (before its range, unparsable, or none)', () => {
    expect(toolGraph(input({ onset: START - 60_000 }))?.onset).toBeUndefined();
    expect(toolGraph(input({ onset: 'not a time' }))?.onset).toBeUndefined();
    expect(toolGraph(input({ onset: null }))?.onset).toBeUndefined();
  });

  it('gives no graph when the spec would be refused (right axis without its unit, a query past its length)', () => {
    expect(toolGraph(input({ series: [{ query: 'x', legend: 'x', axis: 'right' }] }))).toBeUndefined();
    expect(toolGraph(input({ series: [{ query: 'x'.repeat(4001), legend: 'x' }] }))).toBeUndefined();
  });
});
