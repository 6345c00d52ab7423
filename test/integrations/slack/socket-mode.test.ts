import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finalAnswer } from '../../agent/fake-investigator.js';
import { createSlackAgent, type SlackAgent } from './fixtures/slack-agent.js';
import { answerVersions, investigatedAlert, textOf } from './fixtures/slack-flows.js';
import { appMention, buttonClick, slashCommand } from './fixtures/slack-requests.js';
import { startSlackServer, type SlackServer } from './fixtures/slack-server.js';
import { APP_TOKEN, BOT_USER_ID, startSlackStandIn, type SlackStandIn } from './fixtures/slack-stand-in.js';

let dir: string;
let path: string;
let standIn: SlackStandIn;
let running: SlackServer | undefined;
let brain: SlackAgent | undefined;

const ALICE = 'U0ALICE';
const turns = () => [{ toolCalls: [finalAnswer(['E1'])], usage: { input: 1_000, output: 100 } }];
const responsesTo = (url: string) =>
  standIn.responses.filter((response) => url.endsWith(response.id)).map((response) => response.body);

describe('Slack: Socket Mode', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-slack-socket-'));
    path = join(dir, 'holmes.db');
    standIn = await startSlackStandIn();
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    brain?.close();
    brain = undefined;
    await standIn.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('dials out with the app token, posts and updates investigations, and answers a thread mention once even when retried', async () => {
    brain = await createSlackAgent(path, [...turns(), ...turns()]);
    running = await startSlackServer({
      standIn,
      storagePath: path,
      mode: 'socket',
      agent: brain.agent,
      slack: { policy: { users: [ALICE] } },
    });
    await standIn.until(() => standIn.socketCount() === 1);
    expect(standIn.okCallsOf('apps.connections.open')[0]!.token).toBe(APP_TOKEN);
    // No HTTP endpoint for Slack in Socket Mode.
    expect((await fetch(`${running.server.url}/slack/events`, { method: 'POST' })).status).toBe(404);

    const { channel, ts } = await investigatedAlert(running, standIn);
    expect(textOf(standIn.okCallsOf('chat.update').at(-1)!)).toContain('gpu-noisy-neighbor');

    const mention = appMention({
      user: ALICE,
      channel,
      threadTs: ts,
      text: `<@${BOT_USER_ID}> which pods share GPU 3?`,
    });
    const ack = await standIn.send('events_api', mention);
    expect(ack).toMatchObject({ payload: {} });
    const retried = await standIn.send('events_api', mention, { retry_attempt: 1, retry_reason: 'timeout' });
    expect(retried.envelope_id).toBeDefined();
    await standIn.until(() =>
      answerVersions(standIn, { channel, threadTs: ts }).some((call) => textOf(call).includes('embed-batch')),
    );
    // A second, different mention is answered: the retry alone was dropped.
    const next = appMention({
      user: ALICE,
      channel,
      threadTs: ts,
      text: `<@${BOT_USER_ID}> which pods share GPU 3 now?`,
    });
    await standIn.send('events_api', next);
    await standIn.until(() => brain!.model.calls.length === 2);
    expect(String(brain!.model.calls[1]!.messages.map((message) => message.content).join('\n'))).toContain(
      'Question: which pods share GPU 3 now?',
    );

    // Outside the policy: refused, the model untouched.
    await standIn.send(
      'events_api',
      appMention({ user: 'U0EVE', channel, threadTs: ts, text: `<@${BOT_USER_ID}> hi` }),
    );
    const refusal = await standIn.until(() => standIn.okCallsOf('chat.postEphemeral')[0]);
    expect(String(refusal.params.text)).toContain('Sorry <@U0EVE>');
    expect(brain!.model.calls).toHaveLength(2);
  });

  it('acknowledges a slash command in the envelope ack, then answers through the response_url; buttons work the same', async () => {
    running = await startSlackServer({ standIn, storagePath: path, mode: 'socket' });
    const { channel, ts, investigationId } = await investigatedAlert(running, standIn);
    const command = slashCommand({
      user: ALICE,
      channel,
      text: 'investigate InferenceP99High',
      responseUrl: standIn.responseUrl(),
    });
    const ack = await standIn.send('slash_commands', command);
    expect(ack.payload).toEqual({
      response_type: 'ephemeral',
      text: '⏳ Investigating `InferenceP99High`; the result will follow here.',
    });
    const [result] = await standIn.until(
      () => responsesTo(command.response_url).length > 0 && responsesTo(command.response_url),
    );
    expect(textOf(result!)).toContain('*Root cause:* Another workload shares the same physical GPU');
    expect(running.runs.map((run) => run.job.requestedBy)).toEqual([null, `slack:${ALICE}`]);

    const click = buttonClick({
      user: ALICE,
      channel,
      messageTs: ts,
      actionId: 'holmes_show_evidence',
      value: investigationId,
      responseUrl: standIn.responseUrl(),
    });
    await standIn.send('interactive', click);
    const [evidence] = await standIn.until(
      () => responsesTo(click.response_url).length > 0 && responsesTo(click.response_url),
    );
    expect(textOf(evidence!)).toContain('time-slices gpu 3 on gpu-a100-07');
  });
});
