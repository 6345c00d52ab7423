import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_TOKEN, EMAIL } from '../integrations/jira/jira-harness.js';
import { startJiraStandIn, type JiraStandIn } from '../integrations/jira/jira-stand-in.js';
import { blocksOf, firingAlert, investigatedAlert, textOf } from '../integrations/slack/fixtures/slack-flows.js';
import { buttonClick, form, postSigned } from '../integrations/slack/fixtures/slack-requests.js';
import { startSlackServer } from '../integrations/slack/fixtures/slack-server.js';
import { slackTestbed } from '../integrations/slack/fixtures/slack-testbed.js';

const ALICE = 'U0ALICE';
const bed = slackTestbed();
let jira: JiraStandIn;

beforeEach(async () => {
  jira = await startJiraStandIn({ auth: { basic: { email: EMAIL, apiToken: API_TOKEN } } });
  process.env.TEST_SLACK_JIRA_TOKEN = API_TOKEN;
});
afterEach(async () => {
  await bed.running?.close();
  bed.running = undefined;
  await jira.close();
});

/** `holmes serve` with Slack and Jira against their stand-ins; `when` chooses which alerts open tickets. */
async function start(when: Record<string, unknown>) {
  bed.running = await startSlackServer({
    standIn: bed.standIn,
    storagePath: bed.path,
    config: {
      jira: {
        url: jira.url,
        email: EMAIL,
        apiToken: { env: 'TEST_SLACK_JIRA_TOKEN' },
        project: 'OPS',
        when,
      },
    },
  });
  return bed.running;
}

const linkedUpdate = (ts: string, key: string) =>
  bed.standIn.until(() =>
    bed.standIn.okCallsOf('chat.update').find((call) => call.params.ts === ts && textOf(call).includes(`Jira ${key}`)),
  );

describe('holmes serve with Slack and Jira', () => {
  it("shows the automatic ticket on the investigation's Slack message once Jira has made it", async () => {
    const running = await start({});
    const { ts } = await investigatedAlert(running, bed.standIn);
    const linked = await linkedUpdate(ts, 'OPS-1');
    expect(jira.issues).toHaveLength(1);
    const labels = (blocksOf(linked).find((block) => block.type === 'actions')!.elements ?? []).map(
      (element) => (element.text as { text: string }).text,
    );
    expect(labels).toContain('Jira OPS-1');
    expect(labels).not.toContain('Create Jira ticket');
  });

  it('files the ticket of the "Create Jira ticket" button through Jira, once, for an alert jira.when leaves out', async () => {
    const running = await start({ matchers: ['team="nobody"'] });
    const { channel, ts, investigationId } = await investigatedAlert(running, bed.standIn, firingAlert());
    expect(jira.issues).toHaveLength(0);

    const clicks = [0, 1].map(() => {
      const payload = buttonClick({
        user: ALICE,
        channel,
        messageTs: ts,
        actionId: 'holmes_create_ticket',
        value: investigationId,
        responseUrl: bed.standIn.responseUrl(),
      });
      return { payload, id: payload.response_url.split('/').at(-1)! };
    });
    const send = (payload: unknown) =>
      postSigned(
        `${running.server.url}/slack/events`,
        form({ payload: JSON.stringify(payload) }),
        'application/x-www-form-urlencoded',
      );
    const responseTo = (id: string) =>
      bed.standIn.until(() => bed.standIn.responses.find((response) => response.id === id)?.body);

    await send(clicks[0]!.payload);
    expect((await responseTo(clicks[0]!.id)).text).toBe(`Created OPS-1: ${jira.url}/browse/OPS-1`);
    expect(JSON.stringify(jira.issue('OPS-1')!.description)).toContain(`Requested by slack:${ALICE}.`);
    await linkedUpdate(ts, 'OPS-1');

    // A second click finds the ticket; Jira is not asked again.
    const before = jira.writes().length;
    await send(clicks[1]!.payload);
    expect((await responseTo(clicks[1]!.id)).text).toBe(
      `This investigation already has ticket OPS-1: ${jira.url}/browse/OPS-1`,
    );
    expect(jira.writes().length).toBe(before);
    expect(jira.issues).toHaveLength(1);
  });
});
