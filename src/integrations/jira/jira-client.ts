import { Version3Client, type Config } from 'jira.js';
import type { JiraConfig } from '../../config/jira-schema.js';
import { resolveSecret } from '../../config/secret.js';
import type { AdfDoc } from './adf.js';
import { isIssueKey } from './dedup-label.js';

/** The issue property Holmes writes on every ticket it opens: what it is about, for later reads. */
export const HOLMES_PROPERTY = 'holmes';

export interface HolmesTicketProperty {
  dedupLabel: string;
  investigationId: string;
  /** The alert investigated, so `holmes investigate jira` can investigate it again. */
  alert: unknown;
}

export interface JiraIssueSummary {
  key: string;
  id: string;
  url: string;
  /** In the done status category (closed, resolved, won't do). */
  done: boolean;
  summary: string;
  /** ADF (Cloud) or text. */
  description: unknown;
  labels: string[];
  holmes: Partial<HolmesTicketProperty> | undefined;
}

export interface JiraTransition {
  id: string;
  name: string;
  /** Leads into the done status category. */
  toDone: boolean;
}

export interface NewIssue {
  project: string;
  issueType: string;
  summary: string;
  description: AdfDoc;
  labels: string[];
  components: string[];
  priority?: string;
  property: HolmesTicketProperty;
}

/** The calls Holmes makes to Jira, and nothing else. */
export interface JiraApi {
  search(jql: string, maxResults: number): Promise<JiraIssueSummary[]>;
  /** One issue by key, read directly (not through the search index); undefined when it does not exist. */
  getIssue(key: string): Promise<JiraIssueSummary | undefined>;
  createIssue(issue: NewIssue): Promise<{ key: string; id: string; url: string }>;
  addComment(key: string, body: AdfDoc): Promise<void>;
  transitions(key: string): Promise<JiraTransition[]>;
  transition(key: string, transitionId: string): Promise<void>;
  attach(key: string, files: Array<{ filename: string; content: Buffer; mimeType: string }>): Promise<void>;
  browseUrl(key: string): string;
}

interface RawIssue {
  id?: unknown;
  key?: unknown;
  fields?: {
    summary?: unknown;
    description?: unknown;
    labels?: unknown;
    status?: { statusCategory?: { key?: unknown } };
  };
  properties?: Record<string, unknown>;
}

function checkedKey(key: string): string {
  // jira.js puts the key into the path as it is: only a real issue key may go there.
  if (!isIssueKey(key)) throw new Error(`'${key}' is not a Jira issue key`);
  return key;
}

/** Basic auth (Cloud: email + API token) or a bearer personal access token (Data Center). */
export function jiraAuthentication(
  jira: JiraConfig,
  env: NodeJS.ProcessEnv = process.env,
): { oauth2: { accessToken: string } } | { basic: { email: string; apiToken: string } } {
  if (jira.personalAccessToken !== undefined)
    return { oauth2: { accessToken: resolveSecret(jira.personalAccessToken, 'jira.personalAccessToken', env) } };
  return { basic: { email: jira.email!, apiToken: resolveSecret(jira.apiToken!, 'jira.apiToken', env) } };
}

/** The REST v3 client (jira.js Version3Client) narrowed to Holmes's calls. Secrets resolve here, once. */
export function createJiraClient(jira: JiraConfig, env: NodeJS.ProcessEnv = process.env): JiraApi {
  const site = jira.url.replace(/\/+$/, '');
  const authentication = jiraAuthentication(jira, env);
  const common = { host: site, baseRequestConfig: { timeout: jira.timeoutMs } };
  // With `host` set and only an access token, jira.js sends it as a bearer to that host (no cloud-id lookup).
  const options: Config =
    'oauth2' in authentication
      ? { ...common, authentication: { oauth2: authentication.oauth2 } }
      : { ...common, authentication: { basic: authentication.basic } };
  const client = new Version3Client(options);
  const browseUrl = (key: string) => `${site}/browse/${encodeURIComponent(key)}`;
  const fields = ['summary', 'description', 'labels', 'status'];
  const summarize = (issue: RawIssue): JiraIssueSummary => ({
    key: issue.key as string,
    id: String(issue.id),
    url: browseUrl(issue.key as string),
    done: issue.fields?.status?.statusCategory?.key === 'done',
    summary: typeof issue.fields?.summary === 'string' ? issue.fields.summary : '',
    description: issue.fields?.description ?? null,
    labels: Array.isArray(issue.fields?.labels) ? issue.fields.labels.map(String) : [],
    holmes: issue.properties?.[HOLMES_PROPERTY] as Partial<HolmesTicketProperty> | undefined,
  });
  return {
    browseUrl,
    async search(jql, maxResults) {
      const answer = await client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
        jql,
        maxResults,
        fields,
        properties: [HOLMES_PROPERTY],
      });
      return ((answer.issues ?? []) as RawIssue[]).filter((issue) => isIssueKey(issue.key)).map(summarize);
    },
    async getIssue(key) {
      try {
        const issue = (await client.issues.getIssue({
          issueIdOrKey: checkedKey(key),
          fields,
          properties: [HOLMES_PROPERTY],
        })) as RawIssue;
        return isIssueKey(issue.key) ? summarize(issue) : undefined;
      } catch (error) {
        if ((error as { status?: unknown }).status === 404) return undefined;
        throw error;
      }
    },
    async createIssue(issue) {
      const created = await client.issues.createIssue({
        fields: {
          project: { key: issue.project },
          issuetype: { name: issue.issueType },
          summary: issue.summary,
          description: issue.description,
          labels: issue.labels,
          ...(issue.components.length > 0 ? { components: issue.components.map((name) => ({ name })) } : {}),
          ...(issue.priority ? { priority: { name: issue.priority } } : {}),
        },
        properties: [{ key: HOLMES_PROPERTY, value: issue.property }],
      });
      if (!isIssueKey(created.key)) throw new Error(`Jira answered the create call without an issue key`);
      return { key: created.key, id: String(created.id), url: browseUrl(created.key) };
    },
    async addComment(key, body) {
      await client.issueComments.addComment({ issueIdOrKey: checkedKey(key), comment: body });
    },
    async transitions(key) {
      const answer = await client.issues.getTransitions({ issueIdOrKey: checkedKey(key) });
      return (answer.transitions ?? []).flatMap((transition) =>
        transition.id && transition.name
          ? [
              {
                id: transition.id,
                name: transition.name,
                toDone: transition.to?.statusCategory?.key === 'done',
              },
            ]
          : [],
      );
    },
    async transition(key, transitionId) {
      await client.issues.doTransition({ issueIdOrKey: checkedKey(key), transition: { id: transitionId } });
    },
    async attach(key, files) {
      await client.issueAttachments.addAttachment({
        issueIdOrKey: checkedKey(key),
        attachment: files.map((file) => ({ filename: file.filename, file: file.content, mimeType: file.mimeType })),
      });
    },
  };
}
