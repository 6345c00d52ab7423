import { describe, expect, it } from 'vitest';
import { matchesLabels, parseLabelMatcher } from '../../src/core/label-matcher.js';

describe('parseLabelMatcher', () => {
  it('reads the four Alertmanager operators, quoted or not, with escapes', () => {
    expect(parseLabelMatcher('team="search"')).toMatchObject({ name: 'team', operator: '=', value: 'search' });
    expect(parseLabelMatcher('env != dev')).toMatchObject({ name: 'env', operator: '!=', value: 'dev' });
    expect(parseLabelMatcher('msg="say \\"hi\\""')).toMatchObject({ value: 'say "hi"' });
    const regex = parseLabelMatcher('severity=~"critical|page"');
    expect(matchesLabels(regex, { severity: 'page' })).toBe(true);
    // Anchored like Alertmanager: a substring does not match.
    expect(matchesLabels(regex, { severity: 'critical-ish' })).toBe(false);
    expect(matchesLabels(parseLabelMatcher('severity!~"info|none"'), {})).toBe(true);
  });

  it('treats a missing label as empty, as Alertmanager does', () => {
    expect(matchesLabels(parseLabelMatcher('team=""'), {})).toBe(true);
    expect(matchesLabels(parseLabelMatcher('team!=""'), {})).toBe(false);
  });

  it('says what is wrong with a bad matcher', () => {
    expect(() => parseLabelMatcher('team')).toThrow(/is not a matcher: write name="value"/);
    expect(() => parseLabelMatcher('team=~"("')).toThrow(/the regex does not compile/);
    expect(() => parseLabelMatcher('team="open')).toThrow(/no closing "/);
  });
});
