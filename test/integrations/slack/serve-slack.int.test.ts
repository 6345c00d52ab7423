import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { parse, stringify } from 'yaml';
import { DEMO_SCENARIO } from '../../../src/cli/commands/demo.js';
import { loadScenario } from '../../../src/lab/load-scenario.js';
import type { Scenario } from '../../../src/lab/scenario.js';
import { startLab, type Lab } from '../../../src/lab/start-lab.js';
import { createSandbox, type Sandbox } from '../../cli/run-cli.js';
import { createClient, serveConfig, spawnServe, type ServeProcess } from '../../server/fixtures/spawn-serve.js';
import { webhookBody } from '../../server/fixtures/webhook.js';
import { blocksOf, textOf } from './fixtures/slack-flows.js';
import { form, postSigned, SIGNING_SECRET, slashCommand } from './fixtures/slack-requests.js';
import { startSlackServer } from './fixtures/slack-server.js';
import { BOT_TOKEN, startSlackStandIn, type SlackStandIn } from './fixtures/slack-stand-in.js';

let lab: Lab;
let scenario: Scenario;
let sandbox: Sandbox;
let standIn: SlackStandIn;
let holmes: ServeProcess | undefined;

/**
 * The real thing end to end: `holmes serve` (the CLI, in its own process) with a slack section,
 * the deterministic investigator against the lab's real Prometheus and Kubernetes API, and the
 * Slack stand-in. No scripted investigator: what the message says comes from the evidence.
 */
describe('holmes serve with Slack, against the lab', () => {
  beforeAll(async () => {
    scenario = await loadScenario(DEMO_SCENARIO);
    lab = await startLab(scenario);
    sandbox = await createSandbox();
    standIn = await startSlackStandIn();
  }, 120_000);
  afterAll(async () => {
    await holmes?.stop();
    await standIn?.stop();
    await lab?.close();
    await sandbox?.remove();
  });

  it(
    'posts the investigation of a real alert, updates it with the root cause and on resolution, and re-runs it for /holmes investigate',
    { timeout: 180_000 },
    async () => {
      // Tokens come from files, as a Kubernetes Secret mounts them.
      const botToken = await sandbox.write('slack-bot-token', `${BOT_TOKEN}\n`);
      const signingSecret = await sandbox.write('slack-signing-secret', `${SIGNING_SECRET}\n`);
      const config = parse(
        serveConfig({
          storagePath: join(sandbox.dir, 'store', 'holmes.db'),
          prometheusUrl: lab.prometheusUrl,
          kubeApiUrl: lab.kubeApiUrl,
        }),
      ) as Record<string, unknown>;
      config.slack = {
        mode: 'http',
        botToken: { file: botToken },
        signingSecret: { file: signingSecret },
        apiUrl: standIn.apiUrl,
        defaultChannel: 'C0ALERTS',
      };
      holmes = await spawnServe(sandbox, await sandbox.write('holmes.yaml', stringify(config)));
      const client = createClient(holmes.url);
      expect(standIn.okCallsOf('auth.test')).toHaveLength(1);

      const groupKey = `{}:{alertname="${scenario.alert.labels.alertname}"}`;
      expect((await client.postWebhook(webhookBody(groupKey, [scenario.alert]))).status).toBe(200);
      const finished = await standIn.until(
        () => standIn.okCallsOf('chat.update').find((call) => textOf(call).includes('Show evidence')),
        60_000,
      );
      const [post] = standIn.okCallsOf('chat.postMessage');
      expect(post!.params.channel).toBe('C0ALERTS');
      expect(finished.params.ts).toBe(post!.answer!.ts);
      // The root cause the scenario was built around, named as the message names causes.
      expect(textOf(finished)).toContain(`(\`${scenario.expected.rootCause}\`) · confidence`);
      expect(blocksOf(finished)[0]!.text!.text).toMatch(
        new RegExp(`^.+ ${scenario.alert.labels.alertname} · .+ · FIRING$`),
      );

      await client.postWebhook(
        webhookBody(groupKey, [{ ...scenario.alert, status: 'resolved', endsAt: new Date().toISOString() }]),
      );
      const resolved = await standIn.until(() =>
        standIn.okCallsOf('chat.update').find((call) => blocksOf(call)[0]!.text!.text.endsWith('RESOLVED')),
      );
      expect(resolved.params.ts).toBe(post!.answer!.ts);

      const command = slashCommand({
        user: 'U0ALICE',
        channel: 'C0ALERTS',
        text: `investigate ${scenario.alert.fingerprint}`,
        responseUrl: standIn.responseUrl(),
      });
      const ack = await postSigned(`${holmes.url}/slack/events`, form(command), 'application/x-www-form-urlencoded');
      expect(ack.status).toBe(200);
      const answer = await standIn.until(
        () => standIn.responses.find((response) => command.response_url.endsWith(response.id)),
        60_000,
      );
      expect(textOf(answer.body)).toContain(`(\`${scenario.expected.rootCause}\`)`);
      const [row] = await client.list();
      expect(row).toMatchObject({ requestedBy: 'slack:U0ALICE', state: 'completed' });
      expect(standIn.okCallsOf('chat.postMessage').filter((call) => !call.params.thread_ts)).toHaveLength(1);

      expect(await holmes.stop()).toEqual({ code: 0, signal: null });
      holmes = undefined;
    },
  );

  it(
    "uploads the result's first graph, drawn from the lab's Prometheus, into the investigation's thread",
    { timeout: 120_000 },
    async () => {
      const end = new Date(scenario.now);
      const slack = await startSlackStandIn();
      const running = await startSlackServer({
        standIn: slack,
        storagePath: join(sandbox.dir, 'graph-store', 'holmes.db'),
        config: { prometheus: { url: lab.prometheusUrl } },
        // A check's graph spec, as the runbooks will emit them: a series the scenario really has.
        shape: (result) => ({
          ...result,
          graphs: [
            {
              title: 'GPU activity of the shared GPU',
              unit: 'ratio',
              start: new Date(end.getTime() - 3_600_000).toISOString(),
              end: end.toISOString(),
              stepSeconds: 60,
              alertStart: scenario.alert.startsAt,
              series: [
                { query: 'max by (Hostname, gpu) (DCGM_FI_PROF_GR_ENGINE_ACTIVE)', legend: ['Hostname', 'gpu'] },
              ],
            },
          ],
        }),
      });
      try {
        await running.postWebhook('{}:{alertname="graph"}', [scenario.alert]);
        const completed = await slack.until(() => slack.okCallsOf('files.completeUploadExternal')[0], 60_000);
        const thread = slack.okCallsOf('chat.postMessage').find((call) => !call.params.thread_ts)!;
        expect(completed.params).toMatchObject({ channel_id: 'C0ALERTS', thread_ts: thread.answer!.ts });
        expect((completed.params.files as Array<{ title: string }>)[0]!.title).toBe(
          'Evidence: GPU activity of the shared GPU',
        );
        const png = PNG.sync.read(slack.uploads.at(-1)!.bytes);
        expect([png.width, png.height]).toEqual([800, 400]);
      } finally {
        await running.close();
        await slack.stop();
      }
    },
  );
});
