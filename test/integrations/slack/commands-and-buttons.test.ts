import { describe, expect, it } from 'vitest';
import { slackTestbed } from './fixtures/slack-testbed.js';
import type { TicketCreator, TicketRef } from '../../../src/core/ticket.js';
import { finalAnswer } from '../../agent/fake-investigator.js';
import { createSlackAgent } from './fixtures/slack-agent.js';
import { blocksOf, investigatedAlert, textOf } from './fixtures/slack-flows.js';
import { buttonClick, form, postSigned, slashCommand } from './fixtures/slack-requests.js';
import { startSlackServer, type SlackServerOptions } from './fixtures/slack-server.js';

const ALICE = 'U0ALICE';
/** A 1×1 PNG: what a graph renderer hands over. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A graph spec as a check keeps it, over the hour before the alert. */
const graphSpec = (title: string) => ({
  title,
  unit: 'percent' as const,
  start: '2026-03-02T09:00:00Z',
  end: '2026-03-02T10:00:00Z',
  stepSeconds: 60,
  alertStart: '2026-03-02T09:50:00Z',
  series: [{ query: 'max by (Hostname, gpu) (DCGM_FI_DEV_GPU_UTIL)', legend: ['Hostname', 'gpu'] }],
});

const askTurns = () => [{ toolCalls: [finalAnswer(['E1'])], usage: { input: 1_000, output: 100 } }];

async function start(options: Partial<SlackServerOptions> = {}, withAgent = true) {
  // The agent reads the same config as the server (in `holmes serve` they are one).
  if (withAgent) bed.brain = await createSlackAgent(bed.path, [...askTurns(), ...askTurns()], options.config);
  bed.running = await startSlackServer({
    standIn: bed.standIn,
    storagePath: bed.path,
    ...(bed.brain ? { agent: bed.brain.agent } : {}),
    ...options,
  });
  return bed.running;
}

const command = (text: string, user = ALICE, channel = 'C0ALERTS') => {
  const fields = slashCommand({ user, channel, text, responseUrl: bed.standIn.responseUrl() });
  return {
    fields,
    id: fields.response_url.split('/').at(-1)!,
    send: () =>
      postSigned(`${bed.running!.server.url}/slack/events`, form(fields), 'application/x-www-form-urlencoded'),
  };
};

const click = (options: Omit<Parameters<typeof buttonClick>[0], 'responseUrl' | 'user'> & { user?: string }) => {
  const payload = buttonClick({ user: ALICE, ...options, responseUrl: bed.standIn.responseUrl() });
  return {
    id: payload.response_url.split('/').at(-1)!,
    send: () =>
      postSigned(
        `${bed.running!.server.url}/slack/events`,
        form({ payload: JSON.stringify(payload) }),
        'application/x-www-form-urlencoded',
      ),
  };
};

const responsesTo = (id: string) =>
  bed.standIn.responses.filter((response) => response.id === id).map((response) => response.body);

const bed = slackTestbed();

describe('Slack: /holmes and the buttons (HTTP)', () => {
  it('acknowledges /holmes investigate while the investigation is still bed.running, then answers with its result', async () => {
    let hold: Promise<void> = Promise.resolve();
    await start({ hold: () => hold }, false);
    const { investigationId } = await investigatedAlert(bed.running!, bed.standIn);
    let release!: () => void;
    hold = new Promise<void>((resolve) => (release = resolve));
    const investigate = command('investigate InferenceP99High');
    const response = await investigate.send();
    // Slack got its answer while the investigation is held back: the ack does not wait for the work.
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      response_type: 'ephemeral',
      text: '⏳ Investigating `InferenceP99High`; the result will follow here.',
    });
    await bed.standIn.until(() => bed.running!.runs.length === 2);
    expect(responsesTo(investigate.id)).toEqual([]);
    expect(bed.running!.runs[1]!.job).toEqual({ id: investigationId, requestedBy: `slack:${ALICE}` });
    release();
    const [result] = await bed.standIn.until(
      () => responsesTo(investigate.id).length > 0 && responsesTo(investigate.id),
    );
    expect(result).toMatchObject({ response_type: 'in_channel' });
    expect(textOf(result!)).toContain('*Root cause:* Another workload shares the same physical GPU');
  });

  it('answers /holmes ask through the response_url, /holmes budget with the figures, and help for anything else', async () => {
    await start({
      config: { budget: { users: { [`slack:${ALICE}`]: 'chat' }, teams: { chat: { dailyUsd: 5, monthlyUsd: 50 } } } },
    });
    const ask = command('ask which pods share GPU 3?');
    expect(await (await ask.send()).json()).toEqual({
      response_type: 'ephemeral',
      text: '⏳ Working on: which pods share GPU 3?',
    });
    const [answer] = await bed.standIn.until(() => responsesTo(ask.id).length > 0 && responsesTo(ask.id));
    expect(answer).toMatchObject({ response_type: 'in_channel' });
    expect(textOf(answer!)).toContain('embed-batch time-slices the GPU of chat-api');
    expect((await bed.brain!.agent.records.list({ limit: 1 }))[0]).toMatchObject({
      askedBy: `slack:${ALICE}`,
      team: 'chat',
    });

    const budget = command('budget');
    await budget.send();
    const [figures] = await bed.standIn.until(() => responsesTo(budget.id).length > 0 && responsesTo(budget.id));
    expect(String(figures!.text)).toMatch(
      /^\*Team `chat`\* \(user slack:U0ALICE\)\nToday: \$0\.0012 of \$5\.00 · this month: \$0\.0012 of \$50\.00\n✅ Within budget\./,
    );

    const unknown = (await (await command('restart-the-cluster').send()).json()) as { text: string };
    expect(unknown.text).toContain('I do not know `/holmes restart-the-cluster`');
    expect(unknown.text).toContain('/holmes investigate');
  });

  it('refuses a command from a channel outside the policy', async () => {
    await start({ slack: { policy: { channels: ['C0ALERTS'], admins: ['#sre-platform'] } } });
    const ask = command('ask which pods share GPU 3?', ALICE, 'C0ELSEWHERE');
    await ask.send();
    const [refusal] = await bed.standIn.until(() => responsesTo(ask.id).length > 0 && responsesTo(ask.id));
    expect(refusal).toEqual({
      response_type: 'ephemeral',
      text: "Sorry <@U0ALICE>, I only answer in the channels my policy lists, and this is not one of them. #sre-platform can change this (`slack.policy` in Holmes's config).",
    });
    expect(bed.brain!.model.calls).toHaveLength(0);
  });

  it('shows the evidence, re-investigates with the LLM on the clicker’s budget, and files a ticket through the hook', async () => {
    const tickets = new Map<string, TicketRef>();
    const filed: Array<[string, string]> = [];
    const ticketCreator: TicketCreator = {
      createTicket: async (id, requestedBy) => {
        filed.push([id, requestedBy]);
        const ticket = { key: 'SRE-42', url: 'https://jira.example/browse/SRE-42' };
        tickets.set(id, ticket);
        return ticket;
      },
      ticketFor: async (id) => tickets.get(id),
    };
    await start({ ticketCreator });
    const { channel, ts, investigationId, update } = await investigatedAlert(bed.running!, bed.standIn);
    const labels = (blocksOf(update).find((block) => block.type === 'actions')!.elements ?? []).map(
      (element) => (element.text as { text: string }).text,
    );
    expect(labels).toEqual([
      'Prometheus graph',
      'Silence…',
      'Investigate with LLM',
      'Create Jira ticket',
      'Show evidence',
    ]);

    const evidence = click({ channel, messageTs: ts, actionId: 'holmes_show_evidence', value: investigationId });
    expect((await evidence.send()).status).toBe(200);
    const [shown] = await bed.standIn.until(() => responsesTo(evidence.id).length > 0 && responsesTo(evidence.id));
    expect(shown).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(shown!)).toContain(
      '✅ ml-batch/embed-batch-r4812 time-slices gpu 3 on gpu-a100-07 with chat-api-2xkqp',
    );

    const ticket = click({ channel, messageTs: ts, actionId: 'holmes_create_ticket', value: investigationId });
    await ticket.send();
    await bed.standIn.until(() => responsesTo(ticket.id).length > 0);
    expect(responsesTo(ticket.id)[0]!.text).toBe('Created SRE-42: https://jira.example/browse/SRE-42');
    expect(filed).toEqual([[investigationId, `slack:${ALICE}`]]);
    const linked = await bed.standIn.until(() =>
      bed.standIn
        .okCallsOf('chat.update')
        .find((call) => call.params.ts === ts && textOf(call).includes('Jira SRE-42')),
    );
    expect(textOf(linked)).not.toContain('Create Jira ticket');

    const llm = click({ channel, messageTs: ts, actionId: 'holmes_investigate_llm', value: investigationId });
    await llm.send();
    await bed.standIn.until(() => bed.running!.runs.length === 2);
    expect(bed.running!.runs[1]!.job).toEqual({ id: investigationId, requestedBy: `slack:${ALICE}` });
    await bed.standIn.until(() => responsesTo(llm.id).length > 0);
    expect(responsesTo(llm.id)[0]!.text).toContain("Investigating again with the LLM, on team `unassigned`'s budget");
  });

  it('uploads the first evidence graph into the thread with files.uploadV2', async () => {
    const title = 'p99 latency of vllm-0 against GPU activity of batch-7';
    await start({ renderGraphs: async () => ({ images: [{ title, png: PNG }], notRendered: [] }) }, false);
    const { channel, ts } = await investigatedAlert(bed.running!, bed.standIn);
    const completed = await bed.standIn.until(() => bed.standIn.okCallsOf('files.completeUploadExternal')[0]);
    const requested = bed.standIn.okCallsOf('files.getUploadURLExternal')[0]!;
    expect(requested.params).toMatchObject({
      filename: expect.stringMatching(/^holmes-.*-evidence\.png$/),
      length: String(PNG.length),
    });
    expect(bed.standIn.uploads).toHaveLength(1);
    expect(bed.standIn.uploads[0]!.bytes.equals(PNG)).toBe(true);
    expect(completed.params).toMatchObject({ channel_id: channel, thread_ts: ts });
    expect(completed.params.files).toEqual([{ id: requested.answer!.file_id, title: `Evidence: ${title}` }]);
  });

  it('says in the thread why there is no graph when the default renderer cannot draw it', async () => {
    // Nothing listens on port 9: the configured Prometheus is down when the graph is drawn.
    await start(
      {
        config: { prometheus: { url: 'http://127.0.0.1:9' } },
        shape: (result) => ({ ...result, graphs: [graphSpec('GPU activity of <!channel> batch-7')] }),
      },
      false,
    );
    const { channel, ts } = await investigatedAlert(bed.running!, bed.standIn);
    const note = await bed.standIn.until(() =>
      bed.standIn
        .okCallsOf('chat.postMessage')
        .find((call) => call.params.thread_ts === ts && textOf(call).includes('Not checked')),
    );
    expect(note.params.channel).toBe(channel);
    const text = textOf(note);
    expect(text).toContain("graph 1 'GPU activity of &lt;!channel&gt; batch-7' was not rendered");
    expect(text).not.toContain('<!channel>');
    // The report came first, and no file was uploaded.
    const thread = bed.standIn.okCallsOf('chat.postMessage').filter((call) => call.params.thread_ts === ts);
    expect(textOf(thread[0]!)).toContain('Full report');
    expect(thread.at(-1)).toBe(note);
    expect(bed.standIn.callsOf('files.getUploadURLExternal')).toHaveLength(0);
  });
});
