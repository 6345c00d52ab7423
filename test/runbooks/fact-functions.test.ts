import { describe, expect, it } from 'vitest';
import { FACT_FUNCTIONS } from '../../src/runbooks/fact-functions.js';

const { oddRanks } = FACT_FUNCTIONS;
const pods = [
  { name: 'train-worker-0', node: 'ib-01', role: 'worker 0' },
  { name: 'train-worker-1', node: 'ib-02', role: 'worker 1' },
  { name: 'train-worker-2', node: 'ib-03', role: 'worker 2' },
  { name: 'train-worker-3', role: 'worker 3' },
];

describe('$oddRanks', () => {
  it('names the ranks on the affected nodes when other ranks are not affected', () => {
    expect(oddRanks(pods, ['ib-02'])).toBe('worker 1 (pod train-worker-1)');
    expect(oddRanks(pods, 'ib-03')).toBe('worker 2 (pod train-worker-2)');
  });

  it('matches pods by name too (a framebuffer filled on one pod)', () => {
    expect(oddRanks(pods, ['train-worker-0', 'train-worker-2'])).toBe(
      'worker 0 (pod train-worker-0), worker 2 (pod train-worker-2)',
    );
  });

  it('is empty when every placed rank is affected (a pending pod does not make one odd), or none has a role', () => {
    expect(oddRanks(pods, ['ib-01', 'ib-02', 'ib-03'])).toBe('');
    expect(
      oddRanks(
        [
          { name: 'api-1', node: 'n1' },
          { name: 'api-2', node: 'n2' },
        ],
        ['n1'],
      ),
    ).toBe('');
    expect(oddRanks(undefined, ['n1'])).toBe('');
  });
});
