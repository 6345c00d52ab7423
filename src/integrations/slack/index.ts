// Holmes in Slack: built once by the server from the config and the hooks it wires in.
export { createSlack, type Slack, type SlackOptions } from './create-slack.js';
export { checkSlackAuth, type SlackIdentity } from './check-slack-auth.js';
export { EVENTS_PATH } from './create-slack-app.js';
export { SLACK_CHANNEL } from './slack-delivery.js';
export type {
  Ask,
  AskOptions,
  BudgetLookup,
  BudgetStatus,
  EvidenceGraphs,
  ProgressEvent,
  RenderGraphs,
  SlackInvestigations,
  StoredInvestigation,
} from './slack-hooks.js';
