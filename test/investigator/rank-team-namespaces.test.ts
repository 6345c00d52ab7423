import { describe, expect, it } from 'vitest';
import { MAX_TEAM_NAMESPACES, rankTeamNamespaces } from '../../src/investigator/rank-team-namespaces.js';
import { stepToolbox } from './entities/step-toolbox.js';

const rows = (values: Record<string, number>) => ({
  result: Object.entries(values).map(([namespace, value]) => ({ labels: { namespace }, value })),
});

describe('rankTeamNamespaces', () => {
  it('puts the namespaces holding the most GPUs first, then those restarting most, and lists what is past the cap', async () => {
    const names = ['a-lab', 'a-serve', 'a-train', 'b1', 'b2', 'b3', 'b4'];
    const { toolbox, calls } = stepToolbox({
      prometheus_instant_query: (params) =>
        String(params.query).includes('nvidia_com_gpu')
          ? rows({ 'a-train': 16, 'a-lab': 9, 'a-serve': 3 })
          : rows({ b4: 12, b2: 1 }),
    });
    const ranked = await rankTeamNamespaces(names, toolbox);
    expect(ranked.namespaces).toEqual(['a-train', 'a-lab', 'a-serve', 'b4', 'b2']);
    expect(ranked.namespaces).toHaveLength(MAX_TEAM_NAMESPACES);
    expect(ranked.left).toEqual(['b1', 'b3']);
    // The names reach PromQL as one escaped alternation.
    expect(String(calls[0]!.params.query)).toContain('namespace=~"(?:a-lab|a-serve|a-train|b1|b2|b3|b4)"');
  });

  it('keeps every namespace, by name, when the metrics are missing', async () => {
    const { toolbox } = stepToolbox({});
    expect(await rankTeamNamespaces(['z', 'y'], toolbox)).toEqual({ namespaces: ['y', 'z'], left: [] });
  });
});
