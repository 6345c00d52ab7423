import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { investigateJiraCommand } from '../../../src/cli/commands/investigate-jira.js';
import { configSchema, type HolmesConfig } from '../../../src/config/config-schema.js';
import { HolmesError } from '../../../src/core/errors.js';
import { createSandbox, runCli, type Sandbox } from '../run-cli.js';
import { startLoopbackModelServer } from '../../agent/loopback-model-server.js';
import { captureContext } from './capture-context.js';
import { adfProblems, startJiraStandIn, type JiraStandIn } from '../../integrations/jira/jira-stand-in.js';
import { chatAlert } from '../../integrations/jira/jira-harness.js';

const EMAIL = 'sre-bot@example.com';
const TOKEN = 'cli-jira-token-77a';

let standIn: JiraStandIn;
let sandbox: Sandbox;
let configFile: string;

/** Opens an issue in the stand-in as Holmes (with its property) or as a person would. */
async function openIssue(summary: string, holmes?: unknown) {
  const response = await fetch(`${standIn.url}/rest/api/3/issue`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      fields: {
        project: { key: 'OPS' },
        issuetype: { name: 'Task' },
        summary,
        labels: holmes ? ['holmes'] : [],
        description: {
          type: 'doc',
          version: 1,
          content: [{ type: 'paragraph', content: [{ type: 'text', text: `${summary}: please look` }] }],
        },
      },
      ...(holmes ? { properties: [{ key: 'holmes', value: holmes }] } : {}),
    }),
  });
  expect(response.status).toBe(201);
}

/** The same config, in-process (the token comes from the environment as in the file). */
function config(): HolmesConfig {
  process.env.TEST_JIRA_TOKEN = TOKEN;
  return configSchema.parse({
    storage: { path: `${sandbox.dir}/in-process.db` },
    jira: { url: standIn.url, email: EMAIL, apiToken: { env: 'TEST_JIRA_TOKEN' }, project: 'OPS' },
  });
}

const cli = (args: string[]) => runCli(sandbox, args, { env: { TEST_JIRA_TOKEN: TOKEN } });

describe('holmes investigate jira', () => {
  beforeAll(async () => {
    standIn = await startJiraStandIn({ auth: { basic: { email: EMAIL, apiToken: TOKEN } } });
    sandbox = await createSandbox();
    configFile = await sandbox.write(
      'holmes.yaml',
      stringify({
        storage: { path: `${sandbox.dir}/holmes.db` },
        jira: { url: standIn.url, email: EMAIL, apiToken: { env: 'TEST_JIRA_TOKEN' }, project: 'OPS' },
      }),
    );
    await openIssue('ChatLatencyHigh in chat', { investigationId: 'a1', dedupLabel: 'holmes-1', alert: chatAlert() });
    await openIssue('GpuXid in train', {
      investigationId: 'a2',
      dedupLabel: 'holmes-2',
      alert: chatAlert({ alertname: 'GpuXid', namespace: 'train' }),
    });
    await openIssue('The search page is slow since this morning');
  });
  afterAll(async () => {
    await standIn?.close();
    await sandbox?.remove();
  });

  it('investigates the alerts of the matching tickets and comments once on each with --update', async () => {
    const before = standIn.requests.length;
    const result = await cli([
      '--config',
      configFile,
      '--json',
      'investigate',
      'jira',
      '--jql',
      'project = OPS',
      '--update',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const outcomes = JSON.parse(result.stdout) as Array<{
      key: string;
      investigated: string | null;
      commented: boolean;
      skipped?: string;
      result?: { alert: { labels: Record<string, string> } };
    }>;
    expect(outcomes.map(({ key, investigated, commented }) => ({ key, investigated, commented }))).toEqual([
      { key: 'OPS-3', investigated: null, commented: false },
      { key: 'OPS-2', investigated: 'alert', commented: true },
      { key: 'OPS-1', investigated: 'alert', commented: true },
    ]);
    expect(outcomes[1]!.result!.alert.labels.alertname).toBe('GpuXid');
    expect(outcomes[0]!.skipped).toContain('no model is configured');
    expect(result.stderr).toContain('OPS-3: skipped: no alert recorded by Holmes on this ticket');
    expect(standIn.issue('OPS-1')!.comments).toHaveLength(1);
    expect(standIn.issue('OPS-2')!.comments).toHaveLength(1);
    expect(standIn.issue('OPS-3')!.comments).toHaveLength(0);
    const comment = standIn.issue('OPS-2')!.comments[0]!.body;
    expect(adfProblems(comment)).toEqual([]);
    expect(JSON.stringify(comment)).toContain('Holmes investigated this ticket');
    // Nothing but the search and the two comments was sent.
    expect(standIn.requests.slice(before).map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /rest/api/3/search/jql',
      'POST /rest/api/3/issue/OPS-2/comment',
      'POST /rest/api/3/issue/OPS-1/comment',
    ]);
  });

  it('sends no comment without --update', async () => {
    const before = standIn.writes().length;
    const context = captureContext(config());
    await investigateJiraCommand(context, { jql: 'labels = holmes' });
    expect(context.stdout()).toContain('── OPS-2');
    expect(context.stdout()).toContain('── OPS-1');
    expect(standIn.writes().length).toBe(before);
  });

  it("asks the agent about a ticket's text when a model is configured, and comments its answer", async () => {
    const model = await startLoopbackModelServer(['openai-chat-ask-list-runbooks', 'openai-chat-ask-final-answer']);
    try {
      const withModel = configSchema.parse({
        ...config(),
        models: [{ provider: 'openai', model: 'Qwen/Qwen2.5-7B-Instruct', baseUrl: model.url, contextWindow: 32_768 }],
      });
      const context = captureContext(withModel, { json: true });
      await investigateJiraCommand(context, { jql: 'key = OPS-3', update: true });
      const [outcome] = JSON.parse(context.stdout()) as Array<{
        key: string;
        investigated: string;
        commented: boolean;
      }>;
      expect(outcome).toMatchObject({ key: 'OPS-3', investigated: 'text', commented: true });
      const question = model.bodies[0]!.messages.find((message) => message.role === 'user')!.content;
      expect(question).toContain('Jira ticket OPS-3: The search page is slow since this morning');
      expect(standIn.issue('OPS-3')!.comments).toHaveLength(1);
      expect(adfProblems(standIn.issue('OPS-3')!.comments[0]!.body)).toEqual([]);
    } finally {
      await model.close();
    }
  });

  it('refuses a JQL Jira rejects with what was wrong and the fix (a user error: exit 2)', async () => {
    const error = await investigateJiraCommand(captureContext(config()), { jql: 'assignee in membersOf(x' }).catch(
      (caught: unknown) => caught,
    );
    expect(HolmesError.isInstance(error) && error.isUserError).toBe(true);
    expect((error as HolmesError).message).toBe(
      "search --jql: Jira refused the request (400): Error in the JQL Query: cannot parse 'assignee in membersOf(x'.",
    );
    expect((error as HolmesError).fix).toBe("Fix the JQL (try it in Jira's issue search first).");
  });

  it('says how to configure Jira when the config has no jira section', async () => {
    const error = await investigateJiraCommand(captureContext(configSchema.parse({})), { jql: 'project = OPS' }).catch(
      (caught: unknown) => caught,
    );
    expect(HolmesError.isInstance(error) && error.isUserError).toBe(true);
    expect((error as HolmesError).message).toBe('The config has no jira section.');
  });
});
