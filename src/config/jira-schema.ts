import { z } from 'zod';
import { parseLabelMatcher } from '../core/label-matcher.js';
import { secretSchema } from './secret.js';

const durationMs = z.number().int().positive();

/** A Jira credential: a reference only, so neither the config file nor `holmes config show` holds one. */
const credential = secretSchema.refine((secret) => typeof secret !== 'string', {
  message: 'Jira tokens are not written in the config: use { env: NAME } or { file: PATH }',
});

/** Jira labels cannot hold spaces; Holmes also keeps them to characters JQL needs no escaping for. */
const jiraLabel = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,255}$/, 'a Jira label: letters, digits, _ . : - (no spaces), at most 255');

/**
 * Jira tickets for investigations: Cloud (email + API token, basic auth) or Data Center (a
 * personal access token, bearer). The chart writes url with email + apiToken or personalAccessToken.
 */
export const jiraSchema = z
  .strictObject({
    /** The site, e.g. https://example.atlassian.net. */
    url: z.url(),
    /** Jira Cloud: the account's email and an API token. */
    email: z.string().min(1).optional(),
    apiToken: credential.optional(),
    /** Jira Data Center or Server: a personal access token. */
    personalAccessToken: credential.optional(),
    /** Project key for new tickets; without it Holmes opens none (investigate jira still works). */
    project: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{0,254}$/, 'a project key: upper-case letters, digits and _ (e.g. OPS)')
      .optional(),
    issueType: z.string().min(1).default('Task'),
    /** The alert's severity label → Jira priority name; severities not listed leave Jira's default. */
    priorities: z.record(z.string(), z.string().min(1)).default({}),
    /** Put on every ticket, besides the dedup label. */
    labels: z.array(jiraLabel).default(['holmes']),
    /** Component names. */
    components: z.array(z.string().min(1)).default([]),
    /** The alert label holding the severity. */
    severityLabel: z.string().min(1).default('severity'),
    /** Severities from most to least severe, for minSeverity. */
    severities: z
      .array(z.string().min(1))
      .min(1)
      .default(['critical', 'high', 'error', 'warning', 'medium', 'low', 'info', 'none']),
    /** Which investigations open a ticket (all of these must hold). */
    when: z
      .strictObject({
        /** At least this severe (an alert with no or an unknown severity then opens none). */
        minSeverity: z.string().min(1).optional(),
        /** Alertmanager matchers on the alert's labels, all of which must match. */
        matchers: z
          .array(
            z.string().superRefine((text, context) => {
              try {
                parseLabelMatcher(text);
              } catch (error) {
                context.addIssue({ code: 'custom', message: (error as Error).message });
              }
            }),
          )
          .default([]),
        /** Only when a root cause was determined (otherwise also with the leads). */
        onlyWithRootCause: z.boolean().default(false),
      })
      .prefault({}),
    /** One ticket per Alertmanager group (default) or per alert fingerprint. */
    dedupBy: z.enum(['group', 'fingerprint']).default('group'),
    onResolve: z
      .strictObject({
        comment: z.boolean().default(true),
        /** A transition to apply by name when the alert resolves, e.g. Done. */
        transition: z.string().min(1).optional(),
      })
      .prefault({}),
    /** When the alert fires again after its ticket was closed: reopen it, or open a new one. */
    onRefire: z.enum(['reopen', 'new']).default('reopen'),
    /** The transition that reopens; default: the first one leading out of the done category. */
    reopenTransition: z.string().min(1).optional(),
    /** Base URL of Holmes as Jira readers reach it, for the link to the investigation in the API. */
    holmesUrl: z.url().optional(),
    /** Log what would be sent; send nothing. */
    dryRun: z.boolean().default(false),
    timeoutMs: durationMs.default(15_000),
  })
  .superRefine((jira, context) => {
    const cloud = jira.email !== undefined || jira.apiToken !== undefined;
    const dataCenter = jira.personalAccessToken !== undefined;
    if (cloud && dataCenter)
      context.addIssue({
        code: 'custom',
        path: ['personalAccessToken'],
        message: 'set either email + apiToken (Jira Cloud) or personalAccessToken (Data Center), not both',
      });
    else if (!dataCenter && (jira.email === undefined || jira.apiToken === undefined))
      context.addIssue({
        code: 'custom',
        path: [jira.email === undefined ? 'email' : 'apiToken'],
        message: 'Jira needs email + apiToken (Jira Cloud) or personalAccessToken (Data Center)',
      });
    if (jira.when.minSeverity !== undefined && !jira.severities.includes(jira.when.minSeverity))
      context.addIssue({
        code: 'custom',
        path: ['when', 'minSeverity'],
        message: `'${jira.when.minSeverity}' is not one of jira.severities (${jira.severities.join(', ')})`,
      });
  });

export type JiraConfig = z.infer<typeof jiraSchema>;
