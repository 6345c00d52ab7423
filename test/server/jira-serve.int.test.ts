import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../cli/run-cli.js';
import { waitFor } from '../integrations/alertmanager/fixtures/start-alertmanager.js';
import { startJiraStandIn, type JiraStandIn } from '../integrations/jira/jira-stand-in.js';
import { createClient, sampleValue, serveConfig, spawnServe, type ServeProcess } from './fixtures/spawn-serve.js';
import { makeAlert, webhookBody } from './fixtures/webhook.js';

const EMAIL = 'sre-bot@example.com';
const TOKEN = 'serve-jira-token-19f';

let standIn: JiraStandIn;
let sandbox: Sandbox;
const servers: ServeProcess[] = [];
let victim: ServeProcess | undefined;

describe('holmes serve with Jira', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
    sandbox.env.TEST_JIRA_TOKEN = TOKEN;
    // The first create kills the server after Jira stored the issue and before Holmes reads the answer.
    standIn = await startJiraStandIn({
      auth: { basic: { email: EMAIL, apiToken: TOKEN } },
      onCreated: async () => {
        if (!victim) return undefined;
        victim.child.kill('SIGKILL');
        await victim.exited;
        victim = undefined;
        return 'drop';
      },
    });
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await standIn?.close();
    await sandbox?.remove();
  });

  it(
    'keeps one ticket when killed between the create call and its record, then follows the resolution',
    { timeout: 120_000 },
    async () => {
      const config = parse(serveConfig({ storagePath: join(sandbox.dir, 'store', 'holmes.db') })) as Record<
        string,
        unknown
      >;
      config.jira = {
        url: standIn.url,
        email: EMAIL,
        apiToken: { env: 'TEST_JIRA_TOKEN' },
        project: 'OPS',
        onResolve: { comment: true, transition: 'Done' },
        holmesUrl: 'https://holmes.example.com',
        // Short, so the dead process's lease (5 × timeoutMs) runs out soon; long enough for a loaded machine.
        timeoutMs: 2_000,
      };
      const file = await sandbox.write('holmes.yaml', stringify(config));
      const first = await spawnServe(sandbox, file);
      servers.push(first);
      victim = first;
      const alert = makeAlert({ alertname: 'KubePodCrashLooping', namespace: 'search', severity: 'critical' });
      const groupKey = '{}:{alertname="KubePodCrashLooping"}';
      expect((await createClient(first.url).postWebhook(webhookBody(groupKey, [alert]))).status).toBe(200);
      expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
      expect(standIn.issues).toHaveLength(1);

      const second = await spawnServe(sandbox, file);
      servers.push(second);
      const client = createClient(second.url);
      // The dead process's lease (5 × timeoutMs) runs out; the item is taken again and finds its issue.
      await waitFor(
        async () =>
          sampleValue(await client.metrics(), 'holmes_outbox_messages', 'state="done"') === 1 ? true : undefined,
        'the ticket item to be delivered',
        30_000,
      );
      expect(standIn.issues).toHaveLength(1);
      expect(
        standIn.requests.filter((request) => request.method === 'POST' && request.path === '/rest/api/3/issue'),
      ).toHaveLength(1);
      const [investigation] = await client.list();
      expect(JSON.stringify(standIn.issues[0]!.description)).toContain(
        `https://holmes.example.com/api/v1/investigations/${investigation!.id}`,
      );

      const resolved = { ...alert, status: 'resolved' as const, endsAt: '2026-11-26T07:00:00Z' };
      expect((await client.postWebhook(webhookBody(groupKey, [resolved]))).status).toBe(200);
      await waitFor(() => (standIn.issues[0]!.status === 'Done' ? true : undefined), 'the ticket to be closed', 30_000);
      expect(standIn.issues[0]!.comments).toHaveLength(1);
      const metrics = await client.metrics();
      expect(sampleValue(metrics, 'holmes_jira_comments_total')).toBe(1);
      expect(sampleValue(metrics, 'holmes_jira_transitions_total')).toBe(1);
      expect(sampleValue(metrics, 'holmes_jira_delivery_failures_total')).toBe(0);
    },
  );
});
