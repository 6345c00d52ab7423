/** Entity names a check or a tool may need; without them a check is `unavailable`, not silently empty. */
export const ENTITY_NAMES = [
  'namespace',
  'workload',
  'service',
  'pods',
  'nodes',
  'gpus',
  'model',
  'team',
  'api_key',
  'hpa',
  'containers',
] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];
