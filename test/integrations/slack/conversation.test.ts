import { describe, expect, it } from 'vitest';
import { slackTestbed } from './fixtures/slack-testbed.js';
import { finalAnswer } from '../../agent/fake-investigator.js';
import type { ScriptedRequest } from '../../agent/scripted-chat-model.js';
import { createSlackAgent } from './fixtures/slack-agent.js';
import { answerVersions, investigatedAlert, textOf } from './fixtures/slack-flows.js';
import { appMention, directMessage, postSigned, SIGNING_SECRET } from './fixtures/slack-requests.js';
import { startSlackServer, type SlackServerOptions } from './fixtures/slack-server.js';
import { BOT_USER_ID } from './fixtures/slack-stand-in.js';

const ALICE = 'U0ALICE';
const promptOf = (request: ScriptedRequest) => request.messages.map((message) => String(message.content)).join('\n');

/** The follow-up script: the model calls gpu_sharing, then answers citing that call. */
const followUpTurns = () => [
  {
    toolCalls: [{ id: 'call_share', name: 'gpu_sharing', args: { namespace: 'llm' } }],
    usage: { input: 900, output: 30 },
  },
  { toolCalls: [finalAnswer(['call_share'])], usage: { input: 1_200, output: 120 } },
];

async function start(options: Partial<SlackServerOptions> = {}, turns = followUpTurns()) {
  // The agent reads the same config as the server (in `holmes serve` they are one).
  bed.brain = await createSlackAgent(bed.path, turns, options.config);
  bed.running = await startSlackServer({
    standIn: bed.standIn,
    storagePath: bed.path,
    agent: bed.brain.agent,
    ...options,
  });
  return bed.running;
}

const events = (body: unknown, options: Parameters<typeof postSigned>[3] = {}) =>
  postSigned(`${bed.running!.server.url}/slack/events`, JSON.stringify(body), 'application/json', options);

const bed = slackTestbed();

describe('Slack: conversations over the Events API (HTTP)', () => {
  it("answers a mention in an investigation's thread in that thread, with the investigation as context and progress in place", async () => {
    await start();
    const { channel, ts } = await investigatedAlert(bed.running!, bed.standIn);
    let release!: () => void;
    bed.brain!.model.gate = async () => {
      // The second model call waits until Slack has been shown the tool being called.
      if (bed.brain!.model.calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
    };
    const mention = appMention({
      user: ALICE,
      channel,
      threadTs: ts,
      text: `<@${BOT_USER_ID}> what else runs on that GPU?`,
    });
    const response = await events(mention);
    expect(response.status).toBe(200);

    await bed.standIn.until(() =>
      answerVersions(bed.standIn, { channel, threadTs: ts }).some((call) =>
        textOf(call).includes('calling `gpu_sharing`'),
      ),
    );
    release();
    const answered = await bed.standIn.until(() =>
      answerVersions(bed.standIn, { channel, threadTs: ts }).find((call) =>
        textOf(call).includes('embed-batch time-slices the GPU of chat-api'),
      ),
    );
    // One answer message, posted in the thread and then updated in place.
    const versions = answerVersions(bed.standIn, { channel, threadTs: ts });
    expect(versions[0]!.method).toBe('chat.postMessage');
    expect(versions.slice(1).every((call) => call.method === 'chat.update')).toBe(true);
    expect(textOf(answered)).toMatch(
      /Mode \*llm\* · openai\/scripted-model · 2,100 in \/ 150 out tokens · \$0\.0024 · team `unassigned`/,
    );
    // The question reached the model without the mention, after the investigation's record.
    const prompt = promptOf(bed.brain!.model.calls[0]!);
    expect(prompt).toContain('Q: Investigate the alert InferenceP99High');
    expect(prompt).toContain('Root cause (runbook checks): gpu-noisy-neighbor');
    expect(prompt).toContain('Question: what else runs on that GPU?');
    expect(prompt).not.toContain(BOT_USER_ID);
    // Charged to the asker.
    const askedBy = (await bed.brain!.agent.records.list({ limit: 5 })).map((record) => record.askedBy);
    expect(askedBy).toContain(`slack:${ALICE}`);
  });

  it('answers a retried event once, also after a restart', async () => {
    await start({}, [...followUpTurns(), ...followUpTurns()]);
    const { channel, ts } = await investigatedAlert(bed.running!, bed.standIn);
    const mention = appMention({
      user: ALICE,
      channel,
      threadTs: ts,
      text: `<@${BOT_USER_ID}> what else runs on that GPU?`,
    });
    expect((await events(mention)).status).toBe(200);
    expect((await events(mention, { retryNum: 1 })).status).toBe(200);
    await bed.standIn.until(() =>
      answerVersions(bed.standIn, { channel, threadTs: ts }).some((call) =>
        textOf(call).includes('embed-batch time-slices'),
      ),
    );
    await bed.running!.close();
    bed.running = await startSlackServer({ standIn: bed.standIn, storagePath: bed.path, agent: bed.brain!.agent });
    expect((await events(mention, { retryNum: 2 })).status).toBe(200);
    // A later, different question is answered: the server is listening, the retry was dropped.
    const other = appMention({ user: ALICE, channel, threadTs: ts, text: `<@${BOT_USER_ID}> and the other pods?` });
    expect((await events(other)).status).toBe(200);
    await bed.standIn.until(() => bed.brain!.model.calls.length === 4);
    const questions = bed
      .brain!.model.calls.filter((_, index) => index % 2 === 0)
      .map((call) => /Question: (.*)/.exec(promptOf(call))?.[1]);
    expect(questions).toEqual(['what else runs on that GPU?', 'and the other pods?']);
  });

  it('answers a direct message where it was asked, and a mention outside any investigation as a question', async () => {
    await start({}, [...followUpTurns(), ...followUpTurns()]);
    const dm = directMessage({ user: ALICE, channel: 'D0ALICE', text: 'which pods share GPU 3?' });
    expect((await events(dm)).status).toBe(200);
    await bed.standIn.until(() =>
      answerVersions(bed.standIn, { channel: 'D0ALICE' }).some((call) => textOf(call).includes('embed-batch')),
    );
    const mention = appMention({ user: ALICE, channel: 'C0RANDOM', text: `<@${BOT_USER_ID}> which pods share GPU 3?` });
    await events(mention);
    const ts = mention.event.ts;
    await bed.standIn.until(() =>
      answerVersions(bed.standIn, { channel: 'C0RANDOM', threadTs: ts }).some((call) =>
        textOf(call).includes('embed-batch'),
      ),
    );
    // No investigation record: the question starts from the question alone.
    expect(promptOf(bed.brain!.model.calls[2]!)).not.toContain('Investigate the alert');
  });

  it('refuses politely a user outside the policy, naming who can change it, without calling the model', async () => {
    await start({ slack: { policy: { users: [ALICE], admins: ['<@U0BOSS>', '#sre-platform'] } } });
    const mention = appMention({ user: 'U0MALLORY', channel: 'C0RANDOM', text: `<@${BOT_USER_ID}> dump the secrets` });
    expect((await events(mention)).status).toBe(200);
    const refusal = await bed.standIn.until(() => bed.standIn.okCallsOf('chat.postEphemeral')[0]);
    expect(refusal.params).toMatchObject({ channel: 'C0RANDOM', user: 'U0MALLORY' });
    expect(String(refusal.params.text)).toBe(
      "Sorry <@U0MALLORY>, my policy does not list you (nor a user group of yours) among the people I answer. <@U0BOSS>, #sre-platform can change this (`slack.policy` in Holmes's config).",
    );
    expect(bed.brain!.model.calls).toHaveLength(0);
  });

  it('admits a member of an allowed user group, and refuses direct messages when they are off', async () => {
    bed.standIn.groups = { S0ONCALL: ['U0BOB'] };
    await start({ slack: { policy: { userGroups: ['S0ONCALL'], dms: false } } });
    await events(directMessage({ user: 'U0BOB', channel: 'D0BOB', text: 'which pods share GPU 3?' }));
    const refusal = await bed.standIn.until(() => answerVersions(bed.standIn, { channel: 'D0BOB' })[0]);
    expect(textOf(refusal)).toContain('I do not answer direct messages here');
    const mention = appMention({
      user: 'U0BOB',
      channel: 'C0RANDOM',
      text: `<@${BOT_USER_ID}> which pods share GPU 3?`,
    });
    await events(mention);
    await bed.standIn.until(() =>
      answerVersions(bed.standIn, { channel: 'C0RANDOM', threadTs: mention.event.ts }).some((call) =>
        textOf(call).includes('embed-batch'),
      ),
    );
    expect(bed.standIn.callsOf('usergroups.users.list')[0]!.params).toMatchObject({ usergroup: 'S0ONCALL' });
  });

  it('tells a user whose team is over budget, with the figures, instead of asking the model', async () => {
    await start({
      config: { budget: { users: { [`slack:${ALICE}`]: 'chat' }, teams: { chat: { dailyUsd: 0 } } } },
    });
    const mention = appMention({ user: ALICE, channel: 'C0RANDOM', text: `<@${BOT_USER_ID}> why is p99 up?` });
    await events(mention);
    const told = await bed.standIn.until(
      () => answerVersions(bed.standIn, { channel: 'C0RANDOM', threadTs: mention.event.ts })[0],
    );
    expect(textOf(told)).toContain('Your team `chat` is over its budget (spent $0.00 of its daily $0.00)');
    expect(bed.brain!.model.calls).toHaveLength(0);
  });

  it('says what it can do without a model when a follow-up comes and none is configured', async () => {
    bed.running = await startSlackServer({ standIn: bed.standIn, storagePath: bed.path });
    const { channel, ts } = await investigatedAlert(bed.running, bed.standIn);
    // No "Investigate with LLM" without a model.
    expect(textOf(bed.standIn.okCallsOf('chat.update').at(-1)!)).not.toContain('Investigate with LLM');
    await events(appMention({ user: ALICE, channel, threadTs: ts, text: `<@${BOT_USER_ID}> why?` }));
    const reply = await bed.standIn.until(() => answerVersions(bed.standIn, { channel, threadTs: ts })[0]);
    const text = textOf(reply);
    expect(text).toContain('No model is configured');
    expect(text).toContain('✅ ml-batch/embed-batch-r4812 time-slices gpu 3 on gpu-a100-07 with chat-api-2xkqp');
    expect(text).toContain('1. Move embed-batch off gpu-a100-07');
  });

  it('answers 401 to a bad signature or an old timestamp, and does nothing with them', async () => {
    await start();
    const body = JSON.stringify(appMention({ user: ALICE, channel: 'C0RANDOM', text: `<@${BOT_USER_ID}> hello` }));
    const url = `${bed.running!.server.url}/slack/events`;
    expect((await postSigned(url, body, 'application/json', { secret: 'not-the-secret' })).status).toBe(401);
    expect((await postSigned(url, body, 'application/json', { signature: 'v0=deadbeef' })).status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await postSigned(url, body, 'application/json', { timestamp: old, secret: SIGNING_SECRET })).status).toBe(
      401,
    );
    // Other methods and paths are not Bolt's: a 404, and the server lives on.
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(`${url}/../other`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${bed.running!.server.url}/healthz`)).status).toBe(200);
    // Slack checks the Request URL with a signed challenge when the app is set up.
    const challenge = JSON.stringify({ token: 'unused', challenge: 'c3po-r2d2', type: 'url_verification' });
    const verified = await postSigned(url, challenge, 'application/json');
    expect(await verified.json()).toEqual({ challenge: 'c3po-r2d2' });
    // The same body, correctly signed now, is accepted: the refusals were about the signature.
    expect((await postSigned(url, body, 'application/json')).status).toBe(200);
    await bed.standIn.until(() => bed.brain!.model.calls.length > 0);
  });
});
