import { describe, expect, it } from 'vitest';
import { HolmesError } from '../../../src/core/errors.js';
import { activeAlertsUrl } from '../../../src/integrations/alertmanager/fetch-active-alerts.js';

function errorOf(run: () => unknown): HolmesError {
  try {
    run();
  } catch (error) {
    if (HolmesError.isInstance(error)) return error;
  }
  throw new Error('expected a HolmesError');
}

describe('activeAlertsUrl', () => {
  it('asks for active alerts only, neither silenced nor inhibited, when given no filter', () => {
    const url = activeAlertsUrl({ url: 'http://alertmanager:9093' });
    expect(url.pathname).toBe('/api/v2/alerts');
    expect(Object.fromEntries(url.searchParams)).toEqual({ active: 'true', silenced: 'false', inhibited: 'false' });
  });

  it('keeps a route prefix when Alertmanager is served under a path', () => {
    expect(activeAlertsUrl({ url: 'https://ops.example/alertmanager' }).href).toMatch(
      /^https:\/\/ops\.example\/alertmanager\/api\/v2\/alerts\?/,
    );
    expect(activeAlertsUrl({ url: 'https://ops.example/alertmanager/' }).pathname).toBe('/alertmanager/api/v2/alerts');
  });

  it('turns --alertname into a regex matcher and each --label into an equality matcher, quotes escaped', () => {
    const url = activeAlertsUrl({
      url: 'http://am:9093',
      alertname: 'Kube.*',
      labels: { namespace: 'search', note: 'say "hi" \\o/' },
    });
    expect(url.searchParams.getAll('filter')).toEqual([
      'alertname=~"Kube.*"',
      'namespace="search"',
      'note="say \\"hi\\" \\\\o/"',
    ]);
  });

  it('refuses a label name Alertmanager could not match when it has a dash or starts with a digit', () => {
    for (const name of ['app-name', '9lives', '']) {
      const error = errorOf(() => activeAlertsUrl({ url: 'http://am:9093', labels: { [name]: 'x' } }));
      expect(error.code).toBe('USAGE');
      expect(error.fix).toContain('--label');
    }
  });

  it('refuses a URL that is not http(s) with a fix naming --url', () => {
    for (const url of ['alertmanager:9093', 'not a url', 'file:///etc/passwd']) {
      const error = errorOf(() => activeAlertsUrl({ url }));
      expect(error.code).toBe('USAGE');
      expect(error.fix).toContain('--url');
    }
  });
});
