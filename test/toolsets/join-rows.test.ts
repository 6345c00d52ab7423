import { describe, expect, it } from 'vitest';
import { joinRows, type JoinColumn } from '../../src/toolsets/join-rows.js';

const column = (title: string, unit: string, series: Array<[Record<string, string>, number]>): JoinColumn => ({
  title,
  output: { unit, topK: 10, sort: 'desc', summarize: true },
  series: series.map(([labels, value]) => ({ labels, value })),
});

describe('joinRows', () => {
  it('puts every query value of a pod on one line, with a dash where a query has none', () => {
    const held = column('GPUs held', 'GPUs', [
      [{ namespace: 'llm', pod: 'a', node: 'gpu-1' }, 1],
      [{ namespace: 'llm', pod: 'b', node: 'gpu-2' }, 2],
    ]);
    const activity = column('Mean activity', 'ratio', [
      [{ namespace: 'llm', pod: 'b' }, 0.01],
      [{ namespace: 'llm', pod: 'a' }, 0.6],
    ]);
    const cost = column('Idle cost', 'usd', [[{ namespace: 'llm', pod: 'b' }, 8.2]]);

    const table = joinRows([held, activity, cost], ['namespace', 'pod'], 10);

    expect(table.lines).toEqual([
      'namespace/pod (2): GPUs held | Mean activity | Idle cost',
      '  llm/a node=gpu-1: 1 GPUs | 60% | —',
      '  llm/b node=gpu-2: 2 GPUs | 1% | $8.2',
    ]);
    expect(table).toMatchObject({ total: 2, omitted: 0 });
  });

  it('shows the first rows up to the limit and counts the rest', () => {
    const requests = column('Requests', '', [
      [{ team: 'x' }, 30],
      [{ team: 'y' }, 20],
      [{ team: 'z' }, 10],
    ]);

    const table = joinRows([requests], ['team'], 2);

    expect(table.lines).toEqual(['team (3): Requests', '  x: 30', '  y: 20']);
    expect(table).toMatchObject({ total: 3, omitted: 1 });
  });

  it('names a row whose series lack the join labels', () => {
    const table = joinRows([column('Activity', 'ratio', [[{}, 0]])], ['namespace', 'pod'], 5);

    expect(table.lines[1]).toBe('  (none): 0%');
  });
});
