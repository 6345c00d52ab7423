export { apiResources } from './api-resources.js';
export { describeObject } from './describe-object.js';
export type { KubeVerb, KubeVerbContext } from './kube-verb.js';
export { listEvents } from './list-events.js';
export { getObject, listObjects } from './list-objects.js';
export { nodeHealth } from './node-health.js';
export { ownerChain } from './owner-chain.js';
export { podLogs } from './pod-logs.js';
export { recentRollouts } from './recent-rollouts.js';
