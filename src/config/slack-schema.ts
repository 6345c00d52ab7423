import { z } from 'zod';
import { parseLabelMatcher } from '../core/label-matcher.js';
import { secretSchema } from './secret.js';

/** A Slack credential: a reference only, so neither the config file nor `holmes config show` holds one. */
const credential = secretSchema.refine((secret) => typeof secret !== 'string', {
  message: 'Slack tokens and secrets are not written in the config: use { env: NAME } or { file: PATH }',
});

const matcher = z.string().superRefine((text, context) => {
  try {
    parseLabelMatcher(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** A channel id (C…, G…) or a name (#sre); ids survive renames. */
const channel = z.string().min(1).max(80);

export const slackSchema = z
  .strictObject({
    /** `http`: Slack posts to /slack/events (needs a public URL); `socket`: Holmes dials out (Socket Mode). */
    mode: z.enum(['http', 'socket']).default('http'),
    /** Bot User OAuth Token (xoxb-…). */
    botToken: credential,
    /** Signing Secret of the app (HTTP mode): every request to /slack/events is verified with it. */
    signingSecret: credential.optional(),
    /** App-Level Token with connections:write (xapp-…), for Socket Mode. */
    appToken: credential.optional(),
    /** Web API base (tests, Enterprise Grid proxies); a trailing slash is added if missing. */
    apiUrl: z
      .url()
      .transform((url) => (url.endsWith('/') ? url : `${url}/`))
      .optional(),
    /** First match wins: every matcher of a route must hold for the alert's labels. */
    routes: z.array(z.strictObject({ matchers: z.array(matcher).min(1), channel })).default([]),
    /** Where alerts that match no route go; without it they are not posted. */
    defaultChannel: channel.optional(),
    /** Who may talk to Holmes. Empty lists allow everyone; users and user groups add up. */
    policy: z
      .strictObject({
        channels: z.array(z.string().min(1)).default([]),
        users: z.array(z.string().min(1)).default([]),
        userGroups: z.array(z.string().min(1)).default([]),
        /** Direct messages to Holmes. */
        dms: z.boolean().default(true),
        /** Named in refusals as the people who can change the policy, e.g. `<@U024BE7LH>` or `#sre-platform`. */
        admins: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
    /** Alertmanager's UI, for the prefilled "Silence" link. */
    alertmanagerUrl: z.url().optional(),
    /** Another silence form (e.g. Grafana's): a URL in which `{filter}` is replaced by the URL-encoded `{a="b",…}`. */
    silenceUrl: z
      .string()
      .refine((url) => /^https?:\/\//.test(url) && url.includes('{filter}'), {
        message: 'silenceUrl is an http(s) URL containing {filter}',
      })
      .optional(),
    /** Questions answered by the model at once; the others wait, their message says so. */
    maxConcurrentAnswers: z.number().int().min(1).max(16).default(2),
  })
  .superRefine((slack, context) => {
    if (slack.mode === 'http' && !slack.signingSecret)
      context.addIssue({
        code: 'custom',
        path: ['signingSecret'],
        message:
          "HTTP mode verifies every request with the app's Signing Secret: set signingSecret, or mode: socket with appToken",
      });
    if (slack.mode === 'socket' && !slack.appToken)
      context.addIssue({
        code: 'custom',
        path: ['appToken'],
        message: 'Socket Mode needs an App-Level Token with connections:write: set appToken',
      });
  });

export type SlackConfig = z.infer<typeof slackSchema>;
