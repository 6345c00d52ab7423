import { describe, expect, it } from 'vitest';
import { HolmesError } from '../../src/core/errors.js';
import { escapePromqlString, renderPromql } from '../../src/toolsets/render-promql.js';
import { ListValue, RegexValue } from '../../src/toolsets/template-values.js';

const TEAM_INJECTION =
  'zz"}[5m])) * 60 or sum by (api_key_alias, end_user, team) (rate(litellm_proxy_total_requests_metric_total{team=~".+"}[5m])) * 60 #';

describe('renderPromql', () => {
  it('keeps the issue repro inside its string: the # and the second selector are the team name, not PromQL', () => {
    const query = renderPromql('sum(rate(litellm_proxy_total_requests_metric_total{team="{{team}}"}[5m]))', {
      team: TEAM_INJECTION,
    });
    expect(query).toBe(
      `sum(rate(litellm_proxy_total_requests_metric_total{team="${escapePromqlString(TEAM_INJECTION)}"}[5m]))`,
    );
    expect(query.endsWith('"}[5m]))')).toBe(true);
  });

  it('regex-escapes a literal inside =~ and then escapes it for the string (EKS node names with dots)', () => {
    expect(renderPromql('up{node=~"{{node}}|"}', { node: 'ip-10-0-1-23.ec2.internal' })).toBe(
      'up{node=~"ip-10-0-1-23\\\\.ec2\\\\.internal|"}',
    );
    expect(renderPromql('up{node=~`{{node}}`}', { node: 'a.b' })).toBe('up{node=~`a\\.b`}');
  });

  it('turns a list into a group of escaped alternatives in a regex and refuses it in an exact matcher', () => {
    const pods = new ListValue(['api-1', 'api.2']);
    expect(renderPromql('x{pod=~"{{pods}}"}', { pods })).toBe('x{pod=~"(?:api-1|api\\\\.2)"}');
    expect(renderPromql('x{pod=~"{{pods}}-[a-z0-9]{5}"}', { pods: new ListValue(['a']) })).toBe(
      'x{pod=~"a-[a-z0-9]{5}"}',
    );
    expect(() => renderPromql('x{pod="{{pods}}"}', { pods })).toThrow(/exact matcher/);
  });

  it('inserts a regex parameter as a regex, escaped only for its string', () => {
    expect(renderPromql('x{pod=~"{{pod}}"}', { pod: new RegexValue('chat-.*"') })).toBe('x{pod=~"chat-.*\\""}');
  });

  it('refuses anything but numbers, durations and label names outside a string', () => {
    expect(renderPromql('rate(x[{{window}}]) > {{threshold}}', { window: '1h30m', threshold: 0.25 })).toBe(
      'rate(x[1h30m]) > 0.25',
    );
    expect(renderPromql('sum by ({{by}}) (x)', { by: 'api_key_alias, end_user' })).toBe(
      'sum by (api_key_alias, end_user) (x)',
    );
    let error: unknown;
    try {
      renderPromql('x[{{window}}]', { window: '5m]) or vector(1) #' });
    } catch (caught) {
      error = caught;
    }
    expect(HolmesError.isInstance(error) && error.code).toBe('TEMPLATE_UNSAFE');
  });

  it('escapes control characters so a value cannot end its string or the line', () => {
    expect(renderPromql("x{a='{{v}}'}", { v: "it's\n\u0001" })).toBe("x{a='it\\'s\\n\\x01'}");
  });

  it('reads a # inside a string as text and after it as a comment that no value may enter', () => {
    expect(renderPromql('x{a="#{{v}}"}', { v: 'b' })).toBe('x{a="#b"}');
    expect(() => renderPromql('x # {{v}}', { v: 'b' })).toThrow(/comment/);
  });
});
