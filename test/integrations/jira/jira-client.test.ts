import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import { createJiraClient } from '../../../src/integrations/jira/jira-client.js';
import { classifyJiraError } from '../../../src/integrations/jira/jira-error.js';

const SITE = 'https://example.atlassian.net';

function client(jira: Record<string, unknown>) {
  const config = configSchema.parse({ jira: { url: SITE, project: 'OPS', timeoutMs: 2_000, ...jira } }).jira!;
  return createJiraClient(config, { JIRA_TOKEN: 'tok-1', JIRA_PAT: 'pat-1' });
}
const cloud = () => client({ email: 'bot@example.com', apiToken: { env: 'JIRA_TOKEN' } });

async function failure(work: () => Promise<unknown>, operation: string) {
  try {
    await work();
  } catch (error) {
    return classifyJiraError(error, operation);
  }
  throw new Error('the call did not fail');
}

describe('createJiraClient', () => {
  beforeEach(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  });

  it('searches with the enhanced JQL search, basic auth and the holmes property', async () => {
    const scope = nock(SITE, {
      reqheaders: { authorization: `Basic ${Buffer.from('bot@example.com:tok-1').toString('base64')}` },
    })
      .post('/rest/api/3/search/jql', {
        jql: 'labels = "holmes-1"',
        maxResults: 5,
        fields: ['summary', 'description', 'labels', 'status'],
        properties: ['holmes'],
      })
      .reply(200, {
        issues: [
          {
            id: '10001',
            key: 'OPS-7',
            fields: { summary: 'x', labels: ['holmes-1'], status: { statusCategory: { key: 'done' } } },
            properties: { holmes: { investigationId: 'i-1' } },
          },
          { id: '10002', key: '../../admin', fields: {} },
        ],
        isLast: true,
      });
    const found = await cloud().search('labels = "holmes-1"', 5);
    scope.done();
    // An answer that is not an issue key never reaches a request path.
    expect(found).toEqual([
      {
        key: 'OPS-7',
        id: '10001',
        url: `${SITE}/browse/OPS-7`,
        done: true,
        summary: 'x',
        description: null,
        labels: ['holmes-1'],
        holmes: { investigationId: 'i-1' },
      },
    ]);
  });

  it('reads one issue by key with the holmes property, and answers undefined when Jira has no such issue', async () => {
    const scope = nock(SITE)
      .get('/rest/api/3/issue/OPS-7')
      .query((query) => String(query.properties) === 'holmes' && String(query.fields).includes('labels'))
      .reply(200, {
        id: '10001',
        key: 'OPS-7',
        fields: { summary: 'x', labels: ['holmes-1'], status: { statusCategory: { key: 'indeterminate' } } },
        properties: { holmes: { investigationId: 'i-1' } },
      })
      .get('/rest/api/3/issue/OPS-8')
      .query(true)
      .reply(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
    const api = cloud();
    expect(await api.getIssue('OPS-7')).toMatchObject({ key: 'OPS-7', done: false, labels: ['holmes-1'] });
    expect(await api.getIssue('OPS-8')).toBeUndefined();
    scope.done();
  });

  it('sends a Data Center personal access token as a bearer to the site itself', async () => {
    const scope = nock(SITE, { reqheaders: { authorization: 'Bearer pat-1' } })
      .get('/rest/api/3/issue/OPS-7/transitions')
      .reply(200, { transitions: [{ id: '31', name: 'Done', to: { statusCategory: { key: 'done' } } }] });
    expect(await client({ personalAccessToken: { env: 'JIRA_PAT' } }).transitions('OPS-7')).toEqual([
      { id: '31', name: 'Done', toDone: true },
    ]);
    scope.done();
  });

  it('classifies an unknown issue type as a config error naming the setting to fix', async () => {
    nock(SITE)
      .post('/rest/api/3/issue')
      .reply(400, { errorMessages: [], errors: { issuetype: 'Specify a valid issue type' } });
    const result = await failure(
      () =>
        cloud().createIssue({
          project: 'OPS',
          issueType: 'Incidnet',
          summary: 's',
          description: { type: 'doc', version: 1, content: [] },
          labels: [],
          components: [],
          property: { dedupLabel: 'holmes-1', investigationId: 'i', alert: {} },
        }),
      'create issue',
    );
    expect(result).toMatchObject({
      kind: 'config',
      status: 400,
      message: 'create issue: Jira refused the request (400): issuetype: Specify a valid issue type',
      fix: "Set jira.issueType to an issue type of the project's scheme (e.g. Task, Bug).",
    });
  });

  it('retries after the Retry-After of a 429', async () => {
    nock(SITE).post('/rest/api/3/issue/OPS-7/comment').reply(429, {}, { 'Retry-After': '7' });
    const result = await failure(
      () => cloud().addComment('OPS-7', { type: 'doc', version: 1, content: [] }),
      'comment',
    );
    expect(result).toEqual({
      kind: 'retry',
      reason: 'rate_limited',
      message: 'comment: Jira answered 429 (rate limited)',
      retryAfterMs: 7_000,
    });
  });

  it('says a 401 is about the credentials', async () => {
    nock(SITE).post('/rest/api/3/search/jql').reply(401, 'Client must be authenticated to access this resource.');
    const result = await failure(() => cloud().search('project = OPS', 1), 'search tickets');
    expect(result).toMatchObject({ kind: 'config', status: 401, fix: expect.stringContaining('jira.apiToken') });
  });

  it('retries when Jira cannot be reached', async () => {
    nock.enableNetConnect('127.0.0.1');
    const closed = client({ url: 'http://127.0.0.1:1', email: 'bot@example.com', apiToken: { env: 'JIRA_TOKEN' } });
    const result = await failure(() => closed.search('project = OPS', 1), 'search tickets');
    expect(result).toEqual({
      kind: 'retry',
      reason: 'unreachable',
      message: 'search tickets: Jira did not answer (ECONNREFUSED)',
    });
  });

  it('refuses to put anything but an issue key into a path', async () => {
    await expect(cloud().addComment('OPS-1/../../x', { type: 'doc', version: 1, content: [] })).rejects.toThrow(
      "'OPS-1/../../x' is not a Jira issue key",
    );
  });
});
