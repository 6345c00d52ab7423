import { describe, expect, it } from 'vitest';
import { slackTestbed } from './fixtures/slack-testbed.js';
import { finalAnswer } from '../../agent/fake-investigator.js';
import { createSlackAgent } from './fixtures/slack-agent.js';
import { answerVersions, investigatedAlert, textOf } from './fixtures/slack-flows.js';
import { appMention, buttonClick, slashCommand } from './fixtures/slack-requests.js';
import { startSlackServer } from './fixtures/slack-server.js';
import { APP_TOKEN, BOT_USER_ID } from './fixtures/slack-stand-in.js';

const ALICE = 'U0ALICE';
const turns = () => [{ toolCalls: [finalAnswer(['E1'])], usage: { input: 1_000, output: 100 } }];
const responsesTo = (url: string) =>
  bed.standIn.responses.filter((response) => url.endsWith(response.id)).map((response) => response.body);

const bed = slackTestbed();

describe('Slack: Socket Mode', () => {
  it('dials out with the app token, posts and updates investigations, and answers a thread mention once even when retried', async () => {
    bed.brain = await createSlackAgent(bed.path, [...turns(), ...turns()]);
    bed.running = await startSlackServer({
      standIn: bed.standIn,
      storagePath: bed.path,
      mode: 'socket',
      agent: bed.brain.agent,
      slack: { policy: { users: [ALICE] } },
    });
    await bed.standIn.until(() => bed.standIn.socketCount() === 1);
    expect(bed.standIn.okCallsOf('apps.connections.open')[0]!.token).toBe(APP_TOKEN);
    // No HTTP endpoint for Slack in Socket Mode.
    expect((await fetch(`${bed.running.server.url}/slack/events`, { method: 'POST' })).status).toBe(404);

    const { channel, ts } = await investigatedAlert(bed.running, bed.standIn);
    expect(textOf(bed.standIn.okCallsOf('chat.update').at(-1)!)).toContain('gpu-noisy-neighbor');

    const mention = appMention({
      user: ALICE,
      channel,
      threadTs: ts,
      text: `<@${BOT_USER_ID}> which pods share GPU 3?`,
    });
    const ack = await bed.standIn.send('events_api', mention);
    expect(ack).toMatchObject({ payload: {} });
    const retried = await bed.standIn.send('events_api', mention, { retry_attempt: 1, retry_reason: 'timeout' });
    expect(retried.envelope_id).toBeDefined();
    await bed.standIn.until(() =>
      answerVersions(bed.standIn, { channel, threadTs: ts }).some((call) => textOf(call).includes('embed-batch')),
    );
    // A second, different mention is answered: the retry alone was dropped.
    const next = appMention({
      user: ALICE,
      channel,
      threadTs: ts,
      text: `<@${BOT_USER_ID}> which pods share GPU 3 now?`,
    });
    await bed.standIn.send('events_api', next);
    await bed.standIn.until(() => bed.brain!.model.calls.length === 2);
    expect(String(bed.brain!.model.calls[1]!.messages.map((message) => message.content).join('\n'))).toContain(
      'Question: which pods share GPU 3 now?',
    );

    // Outside the policy: refused, the model untouched.
    await bed.standIn.send(
      'events_api',
      appMention({ user: 'U0EVE', channel, threadTs: ts, text: `<@${BOT_USER_ID}> hi` }),
    );
    const refusal = await bed.standIn.until(() => bed.standIn.okCallsOf('chat.postEphemeral')[0]);
    expect(String(refusal.params.text)).toContain('Sorry <@U0EVE>');
    expect(bed.brain!.model.calls).toHaveLength(2);
  });

  it('acknowledges a slash command in the envelope ack, then answers through the response_url; buttons work the same', async () => {
    bed.running = await startSlackServer({ standIn: bed.standIn, storagePath: bed.path, mode: 'socket' });
    const { channel, ts, investigationId } = await investigatedAlert(bed.running, bed.standIn);
    const command = slashCommand({
      user: ALICE,
      channel,
      text: 'investigate InferenceP99High',
      responseUrl: bed.standIn.responseUrl(),
    });
    const ack = await bed.standIn.send('slash_commands', command);
    expect(ack.payload).toEqual({
      response_type: 'ephemeral',
      text: '⏳ Investigating `InferenceP99High`; the result will follow here.',
    });
    const [result] = await bed.standIn.until(
      () => responsesTo(command.response_url).length > 0 && responsesTo(command.response_url),
    );
    expect(textOf(result!)).toContain('*Root cause:* Another workload shares the same physical GPU');
    expect(bed.running.runs.map((run) => run.job.requestedBy)).toEqual([null, `slack:${ALICE}`]);

    const click = buttonClick({
      user: ALICE,
      channel,
      messageTs: ts,
      actionId: 'holmes_show_evidence',
      value: investigationId,
      responseUrl: bed.standIn.responseUrl(),
    });
    await bed.standIn.send('interactive', click);
    const [evidence] = await bed.standIn.until(
      () => responsesTo(click.response_url).length > 0 && responsesTo(click.response_url),
    );
    expect(textOf(evidence!)).toContain('time-slices gpu 3 on gpu-a100-07');
  });
});
