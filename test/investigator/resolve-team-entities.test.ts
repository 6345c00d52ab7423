import { describe, expect, it } from 'vitest';
import type { Entities } from '../../src/core/investigation.js';
import type { KubeObject } from '../../src/core/kube-object.js';
import type { ToolResult } from '../../src/core/tool-result.js';
import {
  configuredNamespaces,
  normaliseName,
  resolveTeamEntities,
  spellingRegex,
} from '../../src/investigator/resolve-team-entities.js';
import type { Toolbox } from '../../src/toolsets/create-toolbox.js';

/** A PromQL regex matcher as Prometheus applies it: anchored, `(?i)` as a flag. */
function promRegex(quoted: string): RegExp {
  const source = quoted.replace(/\\(["\\])/g, '$1');
  const insensitive = source.startsWith('(?i)');
  return new RegExp(`^(?:${insensitive ? source.slice(4) : source})$`, insensitive ? 'i' : '');
}

/**
 * Answers instant queries from a list of gateway label sets: a series is returned when any
 * `label=~"…"` matcher of the query matches it (the branches of the query's `or`), as in Prometheus.
 */
function fakeToolbox(
  gateway: Array<Record<string, string>>,
  namespaces: KubeObject[],
  namespaceLabels: Array<Record<string, string>> = [],
) {
  const queries: string[] = [];
  const toolbox: Toolbox = {
    statuses: [],
    failures: [],
    tools: () => [],
    run: async (name, params = {}) => {
      const base: ToolResult = {
        toolset: 'test',
        tool: name,
        params,
        status: 'success',
        text: '',
        data: null,
        requests: [],
        durationMs: 1,
        rawBytes: 0,
      };
      if (name === 'kubernetes_list') return { ...base, data: namespaces };
      const query = String(params.query);
      queries.push(query);
      const matchers = [...query.matchAll(/(\w+)=~"((?:[^"\\]|\\.)*)"/g)].map((match) => ({
        label: match[1]!,
        regex: promRegex(match[2]!),
      }));
      const pool = query.includes('kube_namespace_labels') ? namespaceLabels : gateway;
      const result = pool
        .filter((labels) =>
          matchers.some(({ label, regex }) => labels[label] !== undefined && regex.test(labels[label]!)),
        )
        .map((labels) => ({ labels }));
      return { ...base, status: result.length > 0 ? 'success' : 'no_data', data: { result } };
    },
  };
  return { toolbox, queries };
}

function entities(extra: Partial<Entities>): Entities {
  return { alertname: 'Spend', pods: [], containers: [], nodes: [], gpus: [], notes: [], unresolved: [], ...extra };
}

function namespace(name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

const gateway: Array<Record<string, string>> = [
  { team: 'support-ops', api_key_alias: 'sup-case-router', hashed_api_key: '9f1c2e' },
  { team: 'support-ops', api_key_alias: 'sup-macros', hashed_api_key: '77ab01' },
  { team: 'growth', team_alias: 'Growth Marketing', api_key_alias: 'onboarding', hashed_api_key: 'c41e8f' },
];

describe('spellingRegex', () => {
  it('matches the same words with another case or separator when they are spelled differently', () => {
    const regex = promRegex(spellingRegex('Support_Ops'));
    expect(regex.test('support-ops')).toBe(true);
    expect(regex.test('supportops')).toBe(true);
    expect(regex.test('support-ops-eu')).toBe(false);
  });

  it('escapes regex characters when the name contains them (the PromQL renderer escapes the string)', () => {
    expect(spellingRegex('a.b"c')).toBe('(?i)a[-_. /]?b"c');
    expect(spellingRegex('x|*')).toBe('(?i)x\\|\\*');
    expect(normaliseName('Team A/B')).toBe('teamab');
  });
});

describe('resolveTeamEntities', () => {
  it('takes the gateway spelling of a team when the alert spells it differently', async () => {
    const found = entities({ team: 'Support_Ops' });
    await resolveTeamEntities(found, fakeToolbox(gateway, []).toolbox);
    expect(found.team).toBe('support-ops');
    expect(found.notes).toContain('team Support_Ops is support-ops at the LLM gateway');
  });

  it('maps a team alias to the team label when the alert carries the alias', async () => {
    const found = entities({ team: 'growth-marketing' });
    await resolveTeamEntities(found, fakeToolbox(gateway, []).toolbox);
    expect(found.team).toBe('growth');
    expect(found.teamAlias).toBe('Growth Marketing');
  });

  it('keeps the gateway id for queries and learns the alias people know the team by (LiteLLM team UUIDs)', async () => {
    const uuid = '496121b6-28ef-43b7-ac8f-675f1e116817';
    const found = entities({ team: uuid });
    await resolveTeamEntities(found, fakeToolbox([{ team: uuid, team_alias: 'lending-ops' }], []).toolbox);
    expect(found).toMatchObject({ team: uuid, teamAlias: 'lending-ops' });
    const unnamed = entities({ team: 'support-ops' });
    await resolveTeamEntities(unnamed, fakeToolbox(gateway, []).toolbox);
    expect(unnamed.teamAlias).toBeUndefined();
  });

  it('turns a hashed key into its alias and its team when the alert names only the hash', async () => {
    const found = entities({ apiKey: '9F1C2E' });
    await resolveTeamEntities(found, fakeToolbox(gateway, []).toolbox);
    expect(found.apiKey).toBe('sup-case-router');
    expect(found.team).toBe('support-ops');
  });

  it('gives a team-only alert the one namespace its team owns when the team is not a gateway team', async () => {
    const namespaces = [
      namespace('promo-inference', { team: 'Ads' }),
      namespace('search', { owner: 'search' }),
      namespace('kube-system', {}),
    ];
    const found = entities({ team: 'ads' });
    await resolveTeamEntities(found, fakeToolbox(gateway, namespaces).toolbox);
    expect(found.namespace).toBe('promo-inference');
  });

  it('leaves the namespace unset when the team owns several namespaces', async () => {
    const namespaces = [
      namespace('ads-serving', { team: 'ads' }),
      namespace('ads-training', { 'example.com/team': 'ads' }),
    ];
    const found = entities({ team: 'ads' });
    await resolveTeamEntities(found, fakeToolbox(gateway, namespaces).toolbox);
    expect(found.namespace).toBeUndefined();
  });

  it('does not give a gateway team a namespace when the alert is about its LLM spend', async () => {
    const found = entities({ team: 'support-ops' });
    await resolveTeamEntities(found, fakeToolbox(gateway, [namespace('support-ops', { team: 'support-ops' })]).toolbox);
    expect(found.namespace).toBeUndefined();
  });

  it('falls back to kube_namespace_labels when no Namespace object carries the team', async () => {
    const found = entities({ team: 'research' });
    await resolveTeamEntities(
      found,
      fakeToolbox(gateway, [], [{ namespace: 'ml-lab', label_team: 'research' }]).toolbox,
    );
    expect(found.namespace).toBe('ml-lab');
  });

  it('keeps the alert namespace when the alert names one', async () => {
    const found = entities({ team: 'ads', namespace: 'given' });
    const { toolbox } = fakeToolbox(gateway, [namespace('promo-inference', { team: 'ads' })]);
    await resolveTeamEntities(found, toolbox);
    expect(found.namespace).toBe('given');
  });
});

describe('resolveTeamEntities with kubernetes.teamNamespaces', () => {
  it('takes the configured namespaces before the namespace labels when the config maps the team', async () => {
    const found = entities({ team: 'ads' });
    const labelled = [namespace('ads-legacy', { team: 'ads' })];
    await resolveTeamEntities(found, fakeToolbox(gateway, labelled).toolbox, {
      Ads: ['ads-serving', 'ads-training', 'ads-serving'],
    });
    expect(found.namespace).toBeUndefined();
    expect(found.teamNamespaces).toEqual(['ads-serving', 'ads-training']);
    expect(found.notes).toContain(
      'team ads owns namespaces ads-serving, ads-training (config kubernetes.teamNamespaces.Ads)',
    );
  });

  it('sets the namespace when the config maps the team to one namespace', async () => {
    const found = entities({ team: 'research' });
    await resolveTeamEntities(found, fakeToolbox(gateway, []).toolbox, { research: ['ml-lab'] });
    expect(found.namespace).toBe('ml-lab');
  });

  it('resolves a LiteLLM team alias to the configured team when the alert carries the alias', async () => {
    const found = entities({ team: 'Growth Marketing' });
    await resolveTeamEntities(found, fakeToolbox(gateway, []).toolbox, { growth: ['growth-web', 'growth-ml'] });
    expect(found.team).toBe('growth');
    expect(found.teamNamespaces).toEqual(['growth-web', 'growth-ml']);
  });

  it('matches a config keyed by the alias when the alert carries the gateway team id', async () => {
    const found = entities({ team: 'growth' });
    await resolveTeamEntities(found, fakeToolbox(gateway, []).toolbox, { 'growth-marketing': ['growth-web'] });
    expect(found.namespace).toBe('growth-web');
  });

  it('uses the labels when the config does not name the team', async () => {
    const found = entities({ team: 'ads' });
    await resolveTeamEntities(found, fakeToolbox(gateway, [namespace('promo', { team: 'ads' })]).toolbox, {
      search: ['search-prod'],
    });
    expect(found.namespace).toBe('promo');
  });

  it('keeps the alert namespace when the alert names one and the config maps its team', async () => {
    const found = entities({ team: 'ads', namespace: 'given' });
    await resolveTeamEntities(found, fakeToolbox(gateway, []).toolbox, { ads: ['ads-serving', 'ads-training'] });
    expect(found.namespace).toBe('given');
    expect(found.teamNamespaces).toBeUndefined();
  });
});

describe('configuredNamespaces', () => {
  it('prefers the key spelled exactly as the team when two keys normalise alike', () => {
    expect(configuredNamespaces(['ads'], { ADS: ['a'], ads: ['b'] })).toEqual({ key: 'ads', namespaces: ['b'] });
    expect(configuredNamespaces(['Ads_Team'], { 'ads-team': ['a'] })).toEqual({ key: 'ads-team', namespaces: ['a'] });
    expect(configuredNamespaces(['nobody'], { ads: ['a'] })).toBeUndefined();
  });
});
