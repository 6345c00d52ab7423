import type { SlackConfig } from '../../config/slack-schema.js';
import { matchesLabels, parseLabelMatcher, type LabelMatcher } from '../../core/label-matcher.js';

export type AlertRouter = (labels: Record<string, string>) => string | undefined;

/**
 * The channel for an alert: the first route whose matchers all hold, else the default channel,
 * else none (the alert is not posted). Matchers are parsed once, here.
 */
export function createAlertRouter(config: Pick<SlackConfig, 'routes' | 'defaultChannel'>): AlertRouter {
  const routes: Array<{ matchers: LabelMatcher[]; channel: string }> = config.routes.map((route) => ({
    matchers: route.matchers.map(parseLabelMatcher),
    channel: route.channel,
  }));
  return (labels) =>
    routes.find((route) => route.matchers.every((matcher) => matchesLabels(matcher, labels)))?.channel ??
    config.defaultChannel;
}
