/**
 * A local stand-in for Jira Cloud's REST v3, speaking the paths Holmes uses with the bodies of
 * Atlassian's reference (search/jql, issue, comment, transitions, attachments; errors as
 * `{ errorMessages, errors }`), checking auth, the ADF it receives and Jira's limits, and
 * recording every request. Faults (429, 5xx, a dropped answer) are queued per path.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../fixtures/read-body.js';

export interface StandInIssue {
  id: string;
  key: string;
  project: string;
  issueType: string;
  summary: string;
  description: unknown;
  labels: string[];
  components: string[];
  priority: string | null;
  status: 'To Do' | 'In Progress' | 'Done';
  properties: Record<string, unknown>;
  comments: Array<{ id: string; body: unknown }>;
  attachments: Array<{ filename: string; size: number }>;
  created: string;
  /** False while Jira's search index has not caught up with the issue (it is still readable by key). */
  indexed: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the raw text of other bodies (multipart). */
  body: unknown;
}

export interface Fault {
  method?: string;
  path: RegExp;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Destroy the connection without an answer. */
  drop?: boolean;
}

export interface StandInOptions {
  auth?: { basic: { email: string; apiToken: string } } | { bearer: string };
  projects?: Record<string, { issueTypes: string[]; components: string[] }>;
  priorities?: string[];
  /** Called after an issue is stored, before the answer: 'drop' loses the answer (the caller died). */
  onCreated?: (issue: StandInIssue) => void | 'drop' | Promise<void | 'drop'>;
}

const CATEGORY = { 'To Do': 'new', 'In Progress': 'indeterminate', Done: 'done' } as const;
const TRANSITIONS = [
  { id: '11', name: 'To Do', to: 'To Do' as const },
  { id: '21', name: 'In Progress', to: 'In Progress' as const },
  { id: '31', name: 'Done', to: 'Done' as const },
  { id: '41', name: 'Reopen', to: 'To Do' as const },
];
const ADF_NODES = new Set([
  'doc',
  'paragraph',
  'text',
  'heading',
  'codeBlock',
  'bulletList',
  'orderedList',
  'listItem',
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
  'hardBreak',
  'rule',
]);
const ADF_MARKS = new Set(['strong', 'em', 'code', 'link']);

/** Problems with an ADF document, as Jira's validator would raise them (empty when valid). */
export function adfProblems(node: unknown, path = 'body'): string[] {
  if (typeof node !== 'object' || node === null) return [`${path}: not an object`];
  const value = node as { type?: unknown; content?: unknown; text?: unknown; marks?: unknown; version?: unknown };
  if (path === 'body' && (value.type !== 'doc' || value.version !== 1)) return [`${path}: not an ADF doc version 1`];
  if (typeof value.type !== 'string' || !ADF_NODES.has(value.type))
    return [`${path}: unknown node ${String(value.type)}`];
  const problems: string[] = [];
  if (value.type === 'text') {
    if (typeof value.text !== 'string' || value.text.length === 0) problems.push(`${path}: empty text node`);
    for (const mark of (value.marks as Array<{ type: string; attrs?: { href?: string } }> | undefined) ?? []) {
      if (!ADF_MARKS.has(mark.type)) problems.push(`${path}: unknown mark ${mark.type}`);
      if (mark.type === 'link' && !/^https?:\/\//.test(mark.attrs?.href ?? '')) problems.push(`${path}: bad link`);
    }
  } else if (value.content !== undefined) {
    if (!Array.isArray(value.content)) return [`${path}.content: not an array`];
    value.content.forEach((child, index) => problems.push(...adfProblems(child, `${path}.content[${index}]`)));
  }
  return problems;
}

export interface JiraStandIn {
  url: string;
  requests: RecordedRequest[];
  issues: StandInIssue[];
  faults: Fault[];
  issue(key: string): StandInIssue | undefined;
  /** Requests other than reads (search, GET). */
  writes(): RecordedRequest[];
  /**
   * Jira Cloud's search is eventually consistent: while on, new issues are readable by key but
   * not found by JQL; turning it off lets the index catch up.
   */
  setSearchLag(on: boolean): void;
  /** A person moves the ticket, e.g. closes it. */
  setStatus(key: string, status: StandInIssue['status']): void;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body === undefined ? '' : JSON.stringify(body));
}

const jiraError = (errors: Record<string, string>, errorMessages: string[] = []) => ({ errorMessages, errors });

/** A small JQL evaluator for what Holmes and the tests send: `field op value` joined by AND, ORDER BY ignored. */
export function evaluateJql(jql: string, issues: StandInIssue[]): StandInIssue[] {
  const where = jql.split(/\s+ORDER\s+BY\s+/i)[0]!.trim();
  const clauses = where.length === 0 ? [] : where.split(/\s+AND\s+/i);
  const tests = clauses.map((clause) => {
    const match = /^(\w+)\s*(!=|=|~)\s*(?:"((?:[^"\\]|\\.)*)"|([\w.-]+))$/.exec(clause.trim());
    if (!match) throw new Error(`Error in the JQL Query: cannot parse '${clause}'.`);
    const [, field, operator, quoted, bare] = match;
    const value = (quoted ?? bare)!.replace(/\\(.)/g, '$1');
    const read = (issue: StandInIssue): string[] => {
      switch (field!.toLowerCase()) {
        case 'project':
          return [issue.project];
        case 'labels':
          return issue.labels;
        case 'key':
          return [issue.key];
        case 'status':
          return [issue.status];
        case 'statuscategory':
          return [issue.status === 'Done' ? 'Done' : issue.status];
        case 'summary':
          return [issue.summary];
        default:
          throw new Error(`Error in the JQL Query: field '${field}' does not exist.`);
      }
    };
    return (issue: StandInIssue) => {
      const values = read(issue).map((item) => item.toLowerCase());
      const wanted = value.toLowerCase();
      if (operator === '~') return values.some((item) => item.includes(wanted));
      const found = values.includes(wanted);
      return operator === '=' ? found : !found;
    };
  });
  return issues.filter((issue) => tests.every((test) => test(issue))).reverse();
}

export async function startJiraStandIn(options: StandInOptions = {}): Promise<JiraStandIn> {
  const projects = options.projects ?? { OPS: { issueTypes: ['Task', 'Bug', 'Incident'], components: ['gpu'] } };
  const priorities = options.priorities ?? ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
  const requests: RecordedRequest[] = [];
  const issues: StandInIssue[] = [];
  const faults: Fault[] = [];
  let sequence = 10_000;
  const counters: Record<string, number> = {};
  let base = '';
  let searchLags = false;

  const expectedAuth =
    options.auth === undefined
      ? undefined
      : 'bearer' in options.auth
        ? `Bearer ${options.auth.bearer}`
        : `Basic ${Buffer.from(`${options.auth.basic.email}:${options.auth.basic.apiToken}`).toString('base64')}`;

  const view = (issue: StandInIssue, properties: string[]) => ({
    id: issue.id,
    key: issue.key,
    self: `${base}/rest/api/3/issue/${issue.id}`,
    fields: {
      summary: issue.summary,
      description: issue.description,
      labels: issue.labels,
      status: { name: issue.status, statusCategory: { key: CATEGORY[issue.status] } },
    },
    properties: Object.fromEntries(
      properties.filter((name) => name in issue.properties).map((name) => [name, issue.properties[name]]),
    ),
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const raw = await readBody(request);
    const isJson = (request.headers['content-type'] ?? '').includes('application/json');
    let body: unknown = raw.toString('utf8');
    if (isJson && raw.length > 0) body = JSON.parse(raw.toString('utf8'));
    const method = request.method ?? 'GET';
    requests.push({ method, path: url.pathname, query: url.searchParams, headers: request.headers, body });

    if (expectedAuth !== undefined && request.headers.authorization !== expectedAuth)
      return send(response, 401, jiraError({}, ['Client must be authenticated to access this resource.']));
    const faultIndex = faults.findIndex(
      (fault) => (fault.method ?? method) === method && fault.path.test(url.pathname),
    );
    if (faultIndex >= 0) {
      const [fault] = faults.splice(faultIndex, 1);
      if (fault!.drop) return request.socket.destroy();
      return send(
        response,
        fault!.status ?? 500,
        fault!.body ?? jiraError({}, ['Internal server error']),
        fault!.headers,
      );
    }

    if (method === 'POST' && url.pathname === '/rest/api/3/search/jql') {
      const search = body as { jql?: string; maxResults?: number; properties?: string[] };
      try {
        const visible = issues.filter((issue) => issue.indexed);
        const found = evaluateJql(search.jql ?? '', visible).slice(0, search.maxResults ?? 50);
        return send(response, 200, {
          issues: found.map((issue) => view(issue, search.properties ?? [])),
          isLast: true,
        });
      } catch (error) {
        return send(response, 400, jiraError({}, [(error as Error).message]));
      }
    }

    if (method === 'POST' && url.pathname === '/rest/api/3/issue') {
      const { fields, properties } = body as {
        fields: Record<string, unknown> & {
          project?: { key?: string };
          issuetype?: { name?: string };
          priority?: { name?: string };
          components?: Array<{ name: string }>;
          labels?: string[];
          summary?: string;
        };
        properties?: Array<{ key: string; value: unknown }>;
      };
      const errors: Record<string, string> = {};
      const project = projects[fields.project?.key ?? ''];
      if (!project) errors.project = 'Specify a valid project ID or key';
      else if (!project.issueTypes.includes(fields.issuetype?.name ?? ''))
        errors.issuetype = 'Specify a valid issue type';
      if (fields.priority && !priorities.includes(fields.priority.name ?? ''))
        errors.priority = `The priority selected is invalid.`;
      for (const component of fields.components ?? [])
        if (project && !project.components.includes(component.name))
          errors.components = `Component name '${component.name}' is not valid`;
      const summary = fields.summary ?? '';
      if (summary.length === 0) errors.summary = 'You must specify a summary of the issue.';
      else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
      else if (/[\r\n]/.test(summary))
        errors.summary = 'The summary is invalid because it contains newline characters.';
      if ((fields.labels ?? []).some((label) => /\s/.test(label))) errors.labels = 'Labels cannot contain spaces.';
      const problems = adfProblems(fields.description);
      if (problems.length > 0) errors.description = `Operation value must be an Atlassian Document: ${problems[0]}`;
      else if (JSON.stringify(fields.description).length > 32_767) errors.description = 'CONTENT_LIMIT_EXCEEDED';
      if (Object.keys(errors).length > 0) return send(response, 400, jiraError(errors));
      const projectKey = fields.project!.key!;
      counters[projectKey] = (counters[projectKey] ?? 0) + 1;
      sequence += 1;
      const issue: StandInIssue = {
        id: String(sequence),
        key: `${projectKey}-${counters[projectKey]}`,
        project: projectKey,
        issueType: fields.issuetype!.name!,
        summary,
        description: fields.description,
        labels: fields.labels ?? [],
        components: (fields.components ?? []).map((component) => component.name),
        priority: fields.priority?.name ?? null,
        status: 'To Do',
        properties: Object.fromEntries((properties ?? []).map((property) => [property.key, property.value])),
        comments: [],
        attachments: [],
        created: new Date().toISOString(),
        indexed: !searchLags,
      };
      issues.push(issue);
      if ((await options.onCreated?.(issue)) === 'drop') return request.socket.destroy();
      return send(response, 201, { id: issue.id, key: issue.key, self: `${base}/rest/api/3/issue/${issue.id}` });
    }

    const single = method === 'GET' ? /^\/rest\/api\/3\/issue\/([^/]+)$/.exec(url.pathname) : null;
    if (single) {
      const found = issues.find((candidate) => candidate.key === single[1]);
      if (!found)
        return send(response, 404, jiraError({}, ['Issue does not exist or you do not have permission to see it.']));
      const properties = url.searchParams.getAll('properties').flatMap((value) => value.split(','));
      return send(response, 200, view(found, properties));
    }

    const issuePath = /^\/rest\/api\/3\/issue\/([^/]+)\/(comment|transitions|attachments)$/.exec(url.pathname);
    const issue = issuePath ? issues.find((candidate) => candidate.key === issuePath[1]) : undefined;
    if (issuePath && !issue)
      return send(response, 404, jiraError({}, ['Issue does not exist or you do not have permission to see it.']));
    if (issue && issuePath![2] === 'comment' && method === 'POST') {
      const comment = (body as { body?: unknown }).body;
      const problems = adfProblems(comment);
      if (problems.length > 0) return send(response, 400, jiraError({ comment: problems[0]! }));
      const id = String((sequence += 1));
      issue.comments.push({ id, body: comment });
      return send(response, 201, { id, body: comment, created: new Date().toISOString() });
    }
    if (issue && issuePath![2] === 'transitions') {
      const available = TRANSITIONS.filter((transition) =>
        issue.status === 'Done' ? transition.id === '41' : transition.id !== '41' && transition.to !== issue.status,
      );
      if (method === 'GET')
        return send(response, 200, {
          transitions: available.map((transition) => ({
            id: transition.id,
            name: transition.name,
            to: { name: transition.to, statusCategory: { key: CATEGORY[transition.to] } },
          })),
        });
      const wanted = (body as { transition?: { id?: string } }).transition?.id;
      const transition = available.find((candidate) => candidate.id === wanted);
      if (!transition)
        return send(response, 400, jiraError({}, [`Transition id '${wanted}' is not valid for this issue.`]));
      issue.status = transition.to;
      return send(response, 204);
    }
    if (issue && issuePath![2] === 'attachments' && method === 'POST') {
      if (request.headers['x-atlassian-token'] !== 'no-check')
        return send(response, 403, jiraError({}, ['XSRF check failed']));
      const names = [...String(body).matchAll(/filename="([^"]+)"/g)].map((match) => match[1]!);
      for (const filename of names) issue.attachments.push({ filename, size: raw.length });
      return send(
        response,
        200,
        names.map((filename, index) => ({ id: String(index), filename })),
      );
    }
    return send(response, 404, jiraError({}, [`No stand-in route ${method} ${url.pathname}`]));
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, jiraError({}, [String(error)])));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    issues,
    faults,
    issue: (key) => issues.find((issue) => issue.key === key),
    writes: () => requests.filter((request) => request.method !== 'GET' && request.path !== '/rest/api/3/search/jql'),
    setSearchLag(on) {
      searchLags = on;
      if (!on) for (const issue of issues) issue.indexed = true;
    },
    setStatus(key, status) {
      const issue = issues.find((candidate) => candidate.key === key);
      if (!issue) throw new Error(`no issue ${key}`);
      issue.status = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
