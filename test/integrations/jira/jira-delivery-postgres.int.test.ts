import { afterEach, describe, expect, it } from 'vitest';
import { useThrowawayCluster } from '../../fixtures/throwaway-cluster.js';
import { until, untilLockWaits } from '../../fixtures/postgres-locks.js';
import { postgresSite } from '../../fixtures/store-site.js';
import { jiraDeliveryContract } from './jira-delivery-contract.js';
import { API_TOKEN, EMAIL, GROUP, chatAlert, createHarness, type Harness } from './jira-harness.js';
import { startJiraStandIn, type JiraStandIn } from './jira-stand-in.js';

describe('Jira delivery on PostgreSQL', () => {
  const cluster = useThrowawayCluster();
  jiraDeliveryContract(() => postgresSite(cluster));

  describe('two replicas', () => {
    let standIn: JiraStandIn | undefined;
    const replicas: Harness[] = [];
    afterEach(async () => {
      for (const replica of replicas.splice(0)) await replica.close();
      await standIn?.close();
    });

    /**
     * Two replicas (harnesses with their outbox workers) on one database, against a Jira whose
     * search lags (a new ticket is not found by JQL yet) and which holds its answer to the first
     * create until the test lets it go.
     */
    async function twoReplicas(jira: Record<string, unknown> = {}) {
      let answer!: () => void;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      standIn = await startJiraStandIn({
        auth: { basic: { email: EMAIL, apiToken: API_TOKEN } },
        onCreated: () => answered,
      });
      standIn.setSearchLag(true);
      const site = postgresSite(cluster);
      const overrides = { timeoutMs: 30_000, ...jira };
      const first = await createHarness({ standIn, site, jira: overrides });
      replicas.push(first);
      const second = await createHarness({ standIn, site, place: first.place, jira: overrides });
      replicas.push(second);
      const creates = () => standIn!.requests.filter((request) => request.path === '/rest/api/3/issue');
      /** Once the other replica waits for the label: Jira answers, both outboxes drain, one ticket was made. */
      const finishRace = async () => {
        await untilLockWaits(first.place);
        answer();
        await first.settle();
        await second.settle();
        expect(creates()).toHaveLength(1);
        expect(standIn!.issues).toHaveLength(1);
      };
      return { first, second, creates, finishRace };
    }

    it("creates one ticket when the first sender's lease runs out while Jira is still creating it", async () => {
      const { first, second, creates, finishRace } = await twoReplicas();
      const id = await first.investigate(GROUP, chatAlert());
      await until(() => creates().length === 1, 'the first create call');
      // The harness leases for 300 ms: the other worker takes the item over and waits for the label.
      await until(
        async () => ((await first.outbox.get('jira', `investigation:${id}`))?.attempts ?? 0) >= 2,
        'the item claimed again',
      );
      await finishRace();
      expect(await second.outbox.get('jira', `investigation:${id}`)).toMatchObject({
        state: 'done',
        result: { key: standIn!.issues[0]!.key, action: 'created' },
      });
    });

    it('opens one ticket for two investigations of one incident delivered at once by two replicas', async () => {
      // Deduplicated by fingerprint: two groups carrying the same alert share one ticket.
      const { first, second, creates, finishRace } = await twoReplicas({ dedupBy: 'fingerprint' });
      await first.investigate('{}:{alertname="ChatLatencyHigh",team="a"}', chatAlert({}, '2026-11-26T06:00:00Z'));
      await until(() => creates().length === 1, 'the first create call');
      const later = await second.investigate(
        '{}:{alertname="ChatLatencyHigh",team="b"}',
        chatAlert({}, '2026-11-26T06:30:00Z'),
      );
      await finishRace();
      expect(standIn!.issues[0]!.comments).toHaveLength(1);
      expect(await first.outbox.get('jira', `investigation:${later}`)).toMatchObject({
        state: 'done',
        result: { key: standIn!.issues[0]!.key, action: 'commented' },
      });
    });
  });
});
