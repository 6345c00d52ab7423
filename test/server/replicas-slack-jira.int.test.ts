import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useThrowawayCluster } from '../fixtures/throwaway-cluster.js';
import { API_TOKEN, EMAIL } from '../integrations/jira/jira-harness.js';
import { startJiraStandIn, type JiraStandIn } from '../integrations/jira/jira-stand-in.js';
import { firingAlert, textOf } from '../integrations/slack/fixtures/slack-flows.js';
import { startSlackServer, type SlackServer } from '../integrations/slack/fixtures/slack-server.js';
import { startSlackStandIn, type SlackStandIn } from '../integrations/slack/fixtures/slack-stand-in.js';

let slack: SlackStandIn | undefined;
let jira: JiraStandIn | undefined;
const replicas: SlackServer[] = [];

/**
 * `holmes serve` twice on one PostgreSQL with Slack and Jira, as two replicas behind one Service:
 * Alertmanager's notification reaches both, and the incident still gets one message and one ticket.
 */
describe('two replicas of holmes serve with Slack and Jira on PostgreSQL', () => {
  const cluster = useThrowawayCluster();
  beforeAll(async () => {
    slack = await startSlackStandIn();
    jira = await startJiraStandIn({ auth: { basic: { email: EMAIL, apiToken: API_TOKEN } } });
    process.env.TEST_REPLICAS_JIRA_TOKEN = API_TOKEN;
  }, 60_000);
  afterAll(async () => {
    for (const replica of replicas.splice(0)) await replica.close();
    await slack?.stop();
    await jira?.close();
  });

  it('posts one Slack message and opens one Jira ticket for an alert both replicas receive', async () => {
    const url = await cluster().createDatabase();
    const config = {
      storage: { postgres: { url } },
      jira: { url: jira!.url, email: EMAIL, apiToken: { env: 'TEST_REPLICAS_JIRA_TOKEN' }, project: 'OPS' },
    };
    for (let index = 0; index < 2; index += 1)
      replicas.push(await startSlackServer({ standIn: slack!, storagePath: 'unused-on-postgres', config }));
    const alert = firingAlert();
    const groupKey = `{}:{alertname="${alert.labels.alertname}"}`;
    const answers = await Promise.all(replicas.map((replica) => replica.postWebhook(groupKey, [alert])));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);

    // Done when the message shows both the result and its ticket.
    const linked = await slack!.until(() =>
      slack!
        .okCallsOf('chat.update')
        .find((call) => textOf(call).includes('Show evidence') && textOf(call).includes('Jira OPS-1')),
    );
    const roots = slack!.okCallsOf('chat.postMessage').filter((call) => !call.params.thread_ts);
    expect(roots).toHaveLength(1);
    expect(linked.params.ts).toBe(roots[0]!.answer!.ts);
    expect(jira!.issues.map((issue) => issue.key)).toEqual(['OPS-1']);
    expect(replicas.flatMap((replica) => replica.runs)).toHaveLength(1);
  }, 60_000);
});
