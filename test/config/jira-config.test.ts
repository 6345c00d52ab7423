import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { redactConfig } from '../../src/config/redact-config.js';
import { HolmesError } from '../../src/core/errors.js';

const cwd = mkdtempSync(join(tmpdir(), 'holmes-jira-config-'));

function load(text: string) {
  const file = join(cwd, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return loadConfig({ file, env: { JIRA_API_TOKEN: 't0k3n-value' }, cwd });
}

function issues(text: string): string[] {
  try {
    load(text);
  } catch (error) {
    if (HolmesError.isInstance(error)) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe('jira config', () => {
  it('takes the sections the Helm chart writes (Cloud and Data Center) and fills the defaults', () => {
    const cloud = load(
      'jira:\n  url: "https://example.atlassian.net"\n  email: "sre-bot@example.com"\n  apiToken: { env: JIRA_API_TOKEN }\n',
    ).config.jira!;
    expect(cloud).toMatchObject({
      issueType: 'Task',
      labels: ['holmes'],
      dedupBy: 'group',
      onRefire: 'reopen',
      onResolve: { comment: true },
      when: { matchers: [], onlyWithRootCause: false },
      dryRun: false,
    });
    expect(cloud.project).toBeUndefined();
    const dataCenter = load('jira:\n  url: "https://jira.example.com"\n  personalAccessToken: { env: JIRA_PAT }\n');
    expect(dataCenter.config.jira?.personalAccessToken).toEqual({ env: 'JIRA_PAT' });
  });

  it('names what is missing or contradictory in the auth, the threshold, the matchers and the labels', () => {
    expect(issues('jira:\n  url: https://x.atlassian.net\n  email: a@b.c\n')).toEqual([
      'jira.apiToken: Jira needs email + apiToken (Jira Cloud) or personalAccessToken (Data Center)',
    ]);
    expect(
      issues(
        'jira:\n  url: https://x.atlassian.net\n  email: a@b.c\n  apiToken: { env: T }\n  personalAccessToken: { env: P }\n',
      ),
    ).toEqual([
      'jira.personalAccessToken: set either email + apiToken (Jira Cloud) or personalAccessToken (Data Center), not both',
    ]);
    const rest = '  url: https://x.atlassian.net\n  personalAccessToken: { env: P }\n';
    expect(issues(`jira:\n${rest}  when: { minSeverity: sev1 }\n`)).toEqual([
      "jira.when.minSeverity: 'sev1' is not one of jira.severities (critical, high, error, warning, medium, low, info, none)",
    ]);
    expect(issues(`jira:\n${rest}  when: { matchers: ['team', 'ns=~"(["'] }\n`)).toEqual([
      `jira.when.matchers[0]: 'team' is not a matcher: write name="value", name!="value", name=~"regex" or name!~"regex"`,
      expect.stringMatching(/^jira\.when\.matchers\[1\]: 'ns=~"\(\["': the regex does not compile/),
    ]);
    expect(issues(`jira:\n${rest}  labels: ['on call']\n  project: ops\n`)).toEqual([
      'jira.project: a project key: upper-case letters, digits and _ (e.g. OPS)',
      'jira.labels[0]: a Jira label: letters, digits, _ . : - (no spaces), at most 255',
    ]);
  });

  it('takes HOLMES_JIRA_* variables over the file', () => {
    const file = join(cwd, 'env.yaml');
    writeFileSync(file, 'jira:\n  url: https://x.atlassian.net\n  personalAccessToken: { env: JIRA_PAT }\n');
    const { config } = loadConfig({ file, env: { HOLMES_JIRA_DRY_RUN: 'true', HOLMES_JIRA_PROJECT: 'SRE' }, cwd });
    expect(config.jira).toMatchObject({ dryRun: true, project: 'SRE' });
  });

  it('takes tokens only by reference, and shows them by where they come from, never their value', () => {
    expect(issues('jira:\n  url: https://x.atlassian.net\n  email: a@b.c\n  apiToken: literal-secret\n')).toEqual([
      'jira.apiToken: Jira tokens are not written in the config: use { env: NAME } or { file: PATH }',
    ]);
    const { config } = load(
      'jira:\n  url: https://x.atlassian.net\n  email: a@b.c\n  apiToken: { env: JIRA_API_TOKEN }\n',
    );
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).not.toContain('t0k3n-value');
    expect(redactConfig(config).jira).toMatchObject({ apiToken: { env: 'JIRA_API_TOKEN' } });
  });
});
