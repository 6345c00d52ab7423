export {
  startKubeApiServer,
  type KubeApiServer,
  type KubeApiServerOptions,
  type RecordedRequest,
} from './start-kube-api-server.js';
export { writeKubeconfig, type WriteKubeconfigOptions } from './write-kubeconfig.js';
export {
  parseLabelSelector,
  matchesLabelSelector,
  type LabelRequirement,
  type LabelOperator,
} from './label-selector.js';
export { parseFieldSelector, matchesFieldSelector, type FieldRequirement } from './field-selector.js';
export { KUBE_KINDS, type KubeKind } from './kinds.js';
