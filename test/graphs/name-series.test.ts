import { describe, expect, it } from 'vitest';
import { nameSeries } from '../../src/graphs/name-series.js';

describe('nameSeries', () => {
  it('names series by the values of the legend labels, numbers with what they count', () => {
    expect(
      nameSeries(
        ['Hostname', 'gpu'],
        [
          { Hostname: 'gpu-a100-07', gpu: '3', UUID: 'GPU-1' },
          { Hostname: 'gpu-a100-07', gpu: '4', UUID: 'GPU-2' },
        ],
      ),
    ).toEqual(['gpu-a100-07 · GPU 3', 'gpu-a100-07 · GPU 4']);
  });

  it('uses the fixed text alone for one series and adds what tells several apart', () => {
    expect(nameSeries('p99 TTFT', [{ pod: 'a', namespace: 'llm' }])).toEqual(['p99 TTFT']);
    expect(
      nameSeries('GPU util', [
        { pod: 'chat-api-1', namespace: 'llm', container: 'vllm' },
        { pod: 'embed-batch-1', namespace: 'ml-batch', container: 'embedder' },
      ]),
    ).toEqual(['GPU util chat-api-1', 'GPU util embed-batch-1']);
  });

  it('falls back to the differing labels when the legend labels are missing', () => {
    expect(
      nameSeries(
        ['pod'],
        [
          { __name__: 'up', job: 'a' },
          { __name__: 'up', job: 'b' },
        ],
      ),
    ).toEqual(['a', 'b']);
    expect(nameSeries(['pod'], [{ __name__: 'up' }])).toEqual(['up']);
  });

  it('shortens a long name in the middle, keeping the suffix that tells replicas apart', () => {
    const [name] = nameSeries(['pod'], [{ pod: 'very-long-deployment-name-for-chat-serving-6f8b9c7d54-2xkqp' }]);
    expect([...name!].length).toBe(36);
    expect(name).toMatch(/^very-long-deployment…f8b9c7d54-2xkqp$/);
  });
});
