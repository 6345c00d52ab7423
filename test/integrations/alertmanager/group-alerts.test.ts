import { describe, expect, it } from 'vitest';
import { groupAlerts } from '../../../src/integrations/alertmanager/group-alerts.js';
import { makeAlert } from '../../server/fixtures/webhook.js';

describe('groupAlerts', () => {
  it('makes one group of a storm of one alert name, and one per alert name otherwise, in input order', () => {
    const storm = Array.from({ length: 1_000 }, (_, index) => makeAlert({ alertname: 'PodDown', pod: `p-${index}` }));
    const other = makeAlert({ alertname: 'DiskFull', node: 'n1' });
    const groups = groupAlerts([...storm.slice(0, 500), other, ...storm.slice(500)]);
    expect(groups.map((group) => [group.key, group.alerts.length])).toEqual([
      ['alertname:PodDown', 1_000],
      ['alertname:DiskFull', 1],
    ]);
  });

  it("keeps Alertmanager's groups, drops repeats of one alert, and leads with the first firing alert", () => {
    const resolved = { ...makeAlert({ alertname: 'A', pod: 'r' }, { status: 'resolved' }), groupKey: 'g1' };
    const firing = { ...makeAlert({ alertname: 'B', pod: 'f' }), groupKey: 'g1' };
    const groups = groupAlerts([resolved, firing, { ...firing }, { ...makeAlert({ alertname: 'A' }), groupKey: 'g2' }]);
    expect(groups.map((group) => group.key)).toEqual(['g1', 'g2']);
    expect(groups[0]!.alerts).toHaveLength(2);
    expect(groups[0]!.lead).toBe(firing);
  });
});
