import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreSite } from '../../fixtures/store-site.js';
import type { AdfNode } from '../../../src/integrations/jira/adf.js';
import { dedupLabel } from '../../../src/integrations/jira/dedup-label.js';
import { graphFileName } from '../../../src/integrations/jira/ticket-body.js';
import { specFor } from '../../graphs/graph-fixtures.js';
import { adfProblems, startJiraStandIn, type JiraStandIn } from './jira-stand-in.js';
import { API_TOKEN, EMAIL, GROUP, chatAlert, createHarness, richResult, type Harness } from './jira-harness.js';

let standIn: JiraStandIn;
const harnesses: Harness[] = [];
let site: () => StoreSite;

async function harness(options: Omit<Parameters<typeof createHarness>[0], 'standIn'> = {}) {
  const created = await createHarness({ standIn, site: site(), ...options });
  harnesses.push(created);
  return created;
}

/** Every node of a document, depth first. */
function nodes(node: AdfNode): AdfNode[] {
  return [node, ...(node.content ?? []).flatMap(nodes)];
}

const creates = () =>
  standIn.requests.filter((request) => request.method === 'POST' && request.path === '/rest/api/3/issue');

/** What Jira delivery does, whichever store keeps its tickets and outbox. */
export function jiraDeliveryContract(storeSite: () => StoreSite) {
  describe(`Jira delivery (${storeSite().name})`, () => {
    beforeEach(async () => {
      site = storeSite;
      standIn = await startJiraStandIn({ auth: { basic: { email: EMAIL, apiToken: API_TOKEN } } });
    });
    afterEach(async () => {
      for (const created of harnesses.splice(0)) {
        await created.close().catch(() => undefined);
        await created.site.remove(created.place);
      }
      await standIn.close();
    });

    it('creates one ticket with the expected fields and ADF body when an investigation finishes', async () => {
      const h = await harness();
      const alert = chatAlert({ pod: 'chat-api-0", "x": "}] labels = evil' });
      const id = await h.investigate(GROUP, alert);
      await h.settle();

      expect(standIn.issues).toHaveLength(1);
      const label = dedupLabel('group', GROUP, alert.fingerprint);
      const search = standIn.requests.find((request) => request.path === '/rest/api/3/search/jql')!;
      expect(search.body).toMatchObject({ jql: `project = "OPS" AND labels = "${label}" ORDER BY created DESC` });
      expect(standIn.requests.indexOf(search)).toBeLessThan(standIn.requests.indexOf(creates()[0]!));
      const issue = standIn.issues[0]!;
      expect(issue).toMatchObject({
        project: 'OPS',
        issueType: 'Task',
        priority: 'Highest',
        components: ['gpu'],
        summary: 'ChatLatencyHigh in chat: Another workload time-slices the GPU',
      });
      expect(issue.labels).toEqual(['holmes', label]);
      expect(issue.properties.holmes).toMatchObject({
        investigationId: id,
        dedupLabel: label,
        alert: { labels: alert.labels },
      });
      expect(adfProblems(issue.description)).toEqual([]);

      const all = nodes(issue.description as AdfNode);
      const texts = all.filter((node) => node.type === 'text').map((node) => node.text);
      expect(all.filter((node) => node.type === 'heading').map((node) => node.content?.[0]?.text)).toEqual([
        'Root cause',
        'Evidence',
        'Remediation',
        'Links',
        'Alert',
        'Not checked',
      ]);
      const title = all.find((node) => node.text === 'Another workload time-slices the GPU')!;
      expect(title.marks).toEqual([{ type: 'strong' }]);
      expect(texts).toContain(' (gpu-noisy-neighbor), confidence 82%');
      const evidence = all.find((node) => node.type === 'table')!;
      expect(
        nodes(evidence.content![0]!)
          .filter((node) => node.type === 'text')
          .map((node) => node.text),
      ).toEqual(['Finding', 'Verdict', 'Source']);
      expect(evidence.content).toHaveLength(3);
      const code = all.find((node) => node.type === 'codeBlock')!;
      expect(code).toEqual({
        type: 'codeBlock',
        attrs: { language: 'shell' },
        content: [{ type: 'text', text: 'kubectl -n batch scale deployment batch-embed --replicas=0' }],
      });
      const links = all.flatMap((node) => node.marks ?? []).filter((mark) => mark.type === 'link');
      expect(links.map((mark) => mark.attrs?.href)).toEqual([alert.generatorURL]);
      expect(texts).toContain('Cost: 0 tokens (deterministic); 6 tool calls, 9 queries; 2.4 s.');
      // The hostile label value is one text node, whole, in the alert table.
      expect(texts).toContain(alert.labels.pod);
      expect(await h.outbox.get('jira', `investigation:${id}`)).toMatchObject({
        state: 'done',
        result: { key: 'OPS-1', url: `${standIn.url}/browse/OPS-1`, action: 'created' },
      });
      expect(h.events).toEqual([{ type: 'created', key: 'OPS-1' }]);
    });

    it('comments on the open ticket instead of creating a second one, also after a restart', async () => {
      const first = await harness();
      const alert = chatAlert();
      await first.investigate(GROUP, alert);
      await first.settle();
      await first.resolve(GROUP, alert);
      await first.settle();
      standIn.setStatus('OPS-1', 'In Progress'); // someone works on it; it stays open
      await first.close();

      const second = await harness({ place: first.place, jira: { onResolve: { comment: true } } });
      const refired = chatAlert({}, '2026-11-26T09:00:00Z');
      await second.investigate(GROUP, refired);
      await second.settle();

      expect(creates()).toHaveLength(1);
      expect(standIn.issues).toHaveLength(1);
      const comments = standIn.issue('OPS-1')!.comments;
      expect(comments).toHaveLength(2); // the resolution, then the new investigation
      expect(nodes(comments[1]!.body as AdfNode).find((node) => node.type === 'text')?.text).toBe(
        'New investigation of this incident',
      );
      expect(second.events).toEqual([{ type: 'commented', key: 'OPS-1' }]);
    });

    it("finds the ticket Jira's search does not show yet by its key, and forgets one deleted or relabelled", async () => {
      standIn.setSearchLag(true);
      const h = await harness({ jira: { onResolve: { comment: true } } });
      const fire = async (startsAt: string) => {
        const alert = chatAlert({}, startsAt);
        await h.investigate(GROUP, alert);
        return alert;
      };
      await h.resolve(GROUP, await fire('2026-11-26T06:00:00Z'));
      await h.settle();
      await fire('2026-11-26T09:00:00Z');
      await h.settle();
      // Not in the search results, yet read by key: a comment, not a second ticket.
      expect(creates()).toHaveLength(1);
      expect(
        standIn.requests.filter((request) => request.method === 'GET' && request.path === '/rest/api/3/issue/OPS-1'),
      ).toHaveLength(1);
      expect(standIn.issue('OPS-1')!.comments).toHaveLength(2); // the resolution, then the new investigation

      // Someone takes Holmes's label off the ticket: it no longer stands for the incident.
      standIn.issue('OPS-1')!.labels = ['holmes'];
      await h.resolve(GROUP, chatAlert({}, '2026-11-26T09:00:00Z'));
      await h.settle();
      await fire('2026-11-26T11:00:00Z');
      await h.settle();
      expect(creates()).toHaveLength(2);
      expect(standIn.issues.map((issue) => issue.key)).toEqual(['OPS-1', 'OPS-2']);

      // A deleted ticket (404 by key) is forgotten too.
      standIn.issues.splice(1, 1);
      await h.resolve(GROUP, chatAlert({}, '2026-11-26T11:00:00Z'));
      await h.settle();
      await fire('2026-11-26T13:00:00Z');
      await h.settle();
      expect(creates()).toHaveLength(3);
      expect((await h.jiraStore.get(dedupLabel('group', GROUP, chatAlert().fingerprint)))?.issueKey).toBe('OPS-3');
    });

    it('comments and applies the transition by name when the alert resolves', async () => {
      const h = await harness();
      const alert = chatAlert();
      await h.investigate(GROUP, alert);
      await h.settle();
      await h.resolve(GROUP, alert);
      await h.settle();

      const issue = standIn.issue('OPS-1')!;
      expect(issue.comments).toHaveLength(1);
      expect(JSON.stringify(issue.comments[0]!.body)).toContain('stopped firing');
      expect(issue.status).toBe('Done');
      const transition = standIn.requests.find(
        (request) => request.method === 'POST' && request.path === '/rest/api/3/issue/OPS-1/transitions',
      );
      expect(transition?.body).toEqual({ transition: { id: '31' } });
      expect(h.events.map((event) => event.type)).toEqual(['created', 'commented', 'transitioned']);
    });

    it('reopens the closed ticket when the alert fires again, or opens a new one when configured', async () => {
      const h = await harness();
      await h.investigate(GROUP, chatAlert());
      await h.settle();
      standIn.setStatus('OPS-1', 'Done');
      await h.resolve(GROUP, chatAlert());
      await h.settle();
      await h.investigate(GROUP, chatAlert({}, '2026-11-26T10:00:00Z'));
      await h.settle();
      expect(standIn.issues).toHaveLength(1);
      expect(standIn.issue('OPS-1')!.status).toBe('To Do');
      expect(JSON.stringify(standIn.issue('OPS-1')!.comments.at(-1)!.body)).toContain('fired again; reopened (Reopen)');

      const other = await harness({ jira: { onRefire: 'new' } });
      const group = '{}:{alertname="GpuXid"}';
      await other.investigate(group, chatAlert({ alertname: 'GpuXid' }));
      await other.settle();
      standIn.setStatus('OPS-2', 'Done');
      await other.resolve(group, chatAlert({ alertname: 'GpuXid' }));
      await other.investigate(group, chatAlert({ alertname: 'GpuXid' }, '2026-11-26T11:00:00Z'));
      await other.settle();
      expect(standIn.issues.map((issue) => issue.key)).toEqual(['OPS-1', 'OPS-2', 'OPS-3']);
      expect(standIn.issue('OPS-2')!.status).toBe('Done');
    });

    it('makes exactly one ticket through 429, then 500, then success', async () => {
      standIn.faults.push(
        { method: 'POST', path: /^\/rest\/api\/3\/issue$/, status: 429, headers: { 'retry-after': '0' } },
        { method: 'POST', path: /^\/rest\/api\/3\/issue$/, status: 500 },
      );
      const h = await harness({ delivery: { indexLagMs: 0 } });
      const id = await h.investigate(GROUP, chatAlert());
      await h.settle();

      expect(creates()).toHaveLength(3);
      expect(standIn.issues).toHaveLength(1);
      expect(await h.outbox.get('jira', `investigation:${id}`)).toMatchObject({ state: 'done', attempts: 3 });
      expect(h.events).toEqual([
        { type: 'failure', reason: 'rate_limited' },
        { type: 'failure', reason: 'server_error' },
        { type: 'created', key: 'OPS-1' },
      ]);
      const retries = h.logs.filter((line) => line.msg === 'jira: retrying');
      expect(retries.map((line) => line.error)).toEqual([
        'create issue: Jira answered 429 (rate limited)',
        'create issue: Jira answered 500: Internal server error',
      ]);
    });

    it('waits for Jira search before creating again after a create call whose outcome is unknown', async () => {
      standIn.faults.push({ method: 'POST', path: /^\/rest\/api\/3\/issue$/, status: 502 });
      const h = await harness({ start: false, delivery: { indexLagMs: 60_000 } });
      await h.investigate(GROUP, chatAlert());
      const [item] = await h.outbox.claim('jira', 1, 60_000);
      expect(await h.delivery.deliver(item!)).toMatchObject({ status: 'retry', error: expect.stringContaining('502') });
      const again = await h.delivery.deliver(item!);
      expect(again).toMatchObject({
        status: 'retry',
        error: expect.stringMatching(/^a create call for holmes-[0-9a-f]{20} may have reached Jira/),
      });
      expect((again as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(50_000);
      expect(creates()).toHaveLength(1);
      // A refusal (429) leaves nothing to wait for: the intent is cleared.
      standIn.faults.push({ method: 'POST', path: /^\/rest\/api\/3\/issue$/, status: 429 });
      const other = chatAlert({ alertname: 'Other' });
      await h.investigate('{}:{alertname="Other"}', other);
      const [second] = await h.outbox.claim('jira', 1, 60_000);
      expect(await h.delivery.deliver(second!)).toMatchObject({
        status: 'retry',
        error: expect.stringContaining('429'),
      });
      expect(await h.delivery.deliver(second!)).toMatchObject({ status: 'delivered', result: { action: 'created' } });
    });

    it('reports a config 4xx once, with the fix, and fails the items without retrying', async () => {
      const h = await harness({ jira: { project: 'NOPE' } });
      await h.investigate(GROUP, chatAlert());
      await h.investigate('{}:{alertname="Other"}', chatAlert({ alertname: 'Other' }));
      await h.settle();

      expect(standIn.issues).toHaveLength(0);
      expect(creates()).toHaveLength(2);
      expect(await h.outbox.counts('jira')).toMatchObject({ failed: 2, done: 0 });
      const errors = h.logs.filter((line) => line.level >= 50);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.msg).toBe(
        'Jira: create issue: Jira refused the request (400): project: Specify a valid project ID or key. Fix: Set jira.project to the key of a project the Jira account can create issues in.',
      );
      expect(h.events.filter((event) => event.type === 'failure')).toEqual([
        { type: 'failure', reason: 'config' },
        { type: 'failure', reason: 'config' },
      ]);
    });

    it('reports a transition the workflow does not have once, naming the ones it has, after commenting', async () => {
      const h = await harness({ jira: { onResolve: { comment: true, transition: 'Closed' } } });
      for (const name of ['A', 'B']) {
        const alert = chatAlert({ alertname: name });
        await h.investigate(`{}:{alertname="${name}"}`, alert);
        await h.settle();
        await h.resolve(`{}:{alertname="${name}"}`, alert);
        await h.settle();
      }
      expect(standIn.issues.map((issue) => [issue.status, issue.comments.length])).toEqual([
        ['To Do', 1],
        ['To Do', 1],
      ]);
      const errors = h.logs.filter((line) => line.level >= 50).map((line) => line.msg);
      expect(errors).toEqual([
        "Jira: transition OPS-1: no transition 'Closed' from its current status (available: In Progress, Done). Fix: Set jira.onResolve.transition to a transition of the workflow (names as shown on the issue), or remove it.",
      ]);
      expect(await h.outbox.counts('jira')).toMatchObject({ failed: 2 });
    });

    it('sends no request in dry-run and logs what it would send', async () => {
      const h = await harness({ jira: { dryRun: true } });
      const alert = chatAlert();
      await h.investigate(GROUP, alert);
      await h.settle();
      await h.resolve(GROUP, alert);
      await h.settle();

      expect(standIn.requests).toEqual([]);
      const line = h.logs.find((entry) => String(entry.msg).startsWith('Jira dry run: would search'))!;
      expect(line).toMatchObject({
        dryRun: true,
        issue: { project: 'OPS', summary: expect.stringContaining('ChatLatencyHigh') },
      });
      expect(h.logs.some((entry) => entry.msg === 'Jira dry run: would comment that the alert resolved')).toBe(true);
    });

    it('keeps one ticket when the process dies between the create call and recording its answer', async () => {
      standIn.faults.length = 0;
      let dropped = false;
      const dying = await startJiraStandIn({
        auth: { basic: { email: EMAIL, apiToken: API_TOKEN } },
        onCreated: () => (dropped ? undefined : ((dropped = true), 'drop')),
      });
      const previous = standIn;
      standIn = dying;
      try {
        const first = await harness({ start: false });
        const id = await first.investigate(GROUP, chatAlert());
        // The process takes the item and makes the call; Jira stores the issue; the process dies before `complete`.
        const [item] = await first.outbox.claim('jira', 1, 100);
        await first.delivery.deliver(item!);
        expect(dying.issues).toHaveLength(1);
        expect((await first.outbox.get('jira', `investigation:${id}`))?.state).toBe('sending');
        await first.close();

        await new Promise((resolve) => setTimeout(resolve, 150)); // the dead process's lease runs out
        const second = await harness({ place: first.place });
        await second.settle();
        expect(dying.issues).toHaveLength(1);
        expect(creates()).toHaveLength(1);
        expect(await second.outbox.get('jira', `investigation:${id}`)).toMatchObject({
          state: 'done',
          result: { key: 'OPS-1', action: 'created' },
        });
      } finally {
        await dying.close();
        standIn = previous;
      }
    });

    it('makes one ticket when two replicas deliver from the same store', async () => {
      const first = await harness();
      const second = await harness({ place: first.place });
      const alert = chatAlert();
      const id = await first.investigate(GROUP, alert);
      await second.delivery.onInvestigationFinished(id);
      second.worker.notify();
      await Promise.all([first.settle(), second.settle()]);
      expect(standIn.issues).toHaveLength(1);
      expect(creates()).toHaveLength(1);
    });

    it('creates a ticket on request (the Slack button) even when jira.when leaves it out, once', async () => {
      const h = await harness({ jira: { when: { minSeverity: 'critical' } } });
      const id = await h.investigate(GROUP, chatAlert({ severity: 'warning' }));
      await h.settle();
      expect(standIn.issues).toHaveLength(0);

      const ticket = await h.delivery.createTicket(id, 'slack:U024BE7LH');
      expect(ticket).toEqual({ key: 'OPS-1', url: `${standIn.url}/browse/OPS-1` });
      expect(standIn.issue('OPS-1')!.priority).toBe('Medium');
      expect(JSON.stringify(standIn.issue('OPS-1')!.description)).toContain('Requested by slack:U024BE7LH.');
      const before = standIn.requests.length;
      expect(await h.delivery.createTicket(id, 'slack:U999')).toEqual(ticket);
      expect(standIn.requests.length).toBe(before);
    });

    it("attaches each investigation's graphs to its ticket, new or commented, and names them in the body", async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const rendered: string[] = [];
      const h = await harness({
        jira: { onResolve: { comment: true } }, // the ticket stays open when the alert resolves
        delivery: {
          graphs: async (result) => {
            rendered.push(result.id);
            return {
              files: [{ filename: graphFileName(result.id, 1), content: png, mimeType: 'image/png' }],
              notRendered: [],
            };
          },
          links: (id) => ({ investigation: `https://holmes.example.com/api/v1/investigations/${id}` }),
        },
      });
      const graphs = [specFor({ title: 'chat-api p99 TTFT vs GPU activity' })];
      const alert = chatAlert();
      const first = await h.investigate(GROUP, alert, { ...richResult(alert), graphs });
      await h.settle();
      const upload = standIn.requests.find((request) => request.path === '/rest/api/3/issue/OPS-1/attachments')!;
      expect(upload.headers['x-atlassian-token']).toBe('no-check');
      expect(String(upload.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
      const firstFile = graphFileName(first, 1);
      expect(firstFile).toMatch(/^holmes-[0-9a-f-]{8}-graph-1\.png$/);
      expect(standIn.issue('OPS-1')!.attachments.map((file) => file.filename)).toEqual([firstFile]);
      const listed = nodes(standIn.issue('OPS-1')!.description as AdfNode);
      expect(
        listed.find((node) => node.type === 'heading' && node.content?.[0]?.text === 'Evidence graphs'),
      ).toBeDefined();
      expect(listed.some((node) => node.text === firstFile && node.marks?.[0]?.type === 'code')).toBe(true);
      expect(listed.find((node) => node.text === 'PNG in Holmes')?.marks?.[0]?.attrs?.href).toBe(
        `https://holmes.example.com/api/v1/investigations/${first}/graphs/1.png`,
      );

      // The group fires again while its ticket is open: a comment, and the new investigation's graph beside it.
      await h.resolve(GROUP, alert);
      await h.settle();
      const refired = chatAlert({}, '2026-11-26T09:00:00Z');
      const second = await h.investigate(GROUP, refired, { ...richResult(refired), graphs });
      await h.settle();
      expect(creates()).toHaveLength(1);
      expect(standIn.issue('OPS-1')!.attachments.map((file) => file.filename)).toEqual([
        firstFile,
        graphFileName(second, 1),
      ]);
      expect(rendered).toEqual([first, second]);
      expect(h.events.filter((event) => event.type === 'attached')).toHaveLength(2);
    });

    it('says in a comment which graphs could not be drawn, once, beside those attached', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const h = await harness({
        delivery: {
          graphs: async (result) => ({
            files: [{ filename: graphFileName(result.id, 1), content: png, mimeType: 'image/png' }],
            notRendered: ["graph 2 'SM clock vs temperature' was not rendered: Prometheus answered 503"],
          }),
        },
      });
      const alert = chatAlert();
      const graphs = [specFor(), specFor({ title: 'SM clock vs temperature' })];
      await h.investigate(GROUP, alert, { ...richResult(alert), graphs });
      await h.settle();
      const issue = standIn.issue('OPS-1')!;
      expect(issue.attachments).toHaveLength(1);
      expect(issue.comments).toHaveLength(1);
      const texts = nodes(issue.comments[0]!.body as AdfNode).map((node) => node.text);
      expect(texts).toEqual(
        expect.arrayContaining([
          'Not checked',
          "graph 2 'SM clock vs temperature' was not rendered: Prometheus answered 503",
        ]),
      );
    });

    it('attaches nothing and names no graphs when the result has none', async () => {
      const h = await harness({ delivery: { graphs: async () => ({ files: [], notRendered: [] }) } });
      await h.investigate(GROUP, chatAlert());
      await h.settle();
      expect(standIn.requests.some((request) => request.path.endsWith('/attachments'))).toBe(false);
      const texts = nodes(standIn.issue('OPS-1')!.description as AdfNode).map((node) => node.text);
      expect(texts).not.toContain('Evidence graphs');
    });

    it('cuts a body past Jira limits with a note, and Jira accepts it', async () => {
      const h = await harness();
      const alert = chatAlert();
      const long = richResult(alert);
      long.remediation!.steps = Array.from({ length: 40 }, (_, index) => ({
        title: `Step ${index}`,
        command: `echo ${'x'.repeat(3_000)}`,
      }));
      await h.investigate(GROUP, alert, long);
      await h.settle();
      const description = standIn.issues[0]!.description as AdfNode;
      expect(JSON.stringify(description).length).toBeLessThanOrEqual(32_767);
      const last = description.content!.at(-1)!;
      expect(last.content![0]).toEqual({ type: 'text', text: 'Cut to fit Jira: ', marks: [{ type: 'strong' }] });
      expect(nodes(description).filter((node) => node.type === 'codeBlock').length).toBeGreaterThan(3);
    });
  });
}
