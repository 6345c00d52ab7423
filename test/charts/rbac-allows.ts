/** RBAC's own matching (k8s.io/component-helpers/auth/rbac/validation), for reading a ClusterRole statically. */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface ResourceRequest {
  verb: string;
  group: string;
  /** `pods`, or `pods/log` for a subresource. */
  resource: string;
}

function resourceMatches(rule: PolicyRule, resource: string): boolean {
  const [plural] = resource.split('/');
  return (rule.resources ?? []).some(
    (granted) =>
      granted === '*' ||
      granted === resource ||
      // `*/scale` grants that subresource of every resource.
      (granted.startsWith('*/') && resource.includes('/') && granted.slice(2) === resource.split('/')[1]) ||
      // `pods/*` grants every subresource of pods, not pods itself.
      (granted === `${plural}/*` && resource.includes('/')),
  );
}

/** Whether any rule allows the request, for any object name. */
export function rbacAllows(rules: PolicyRule[], request: ResourceRequest): boolean {
  return rules.some(
    (rule) =>
      (rule.verbs.includes('*') || rule.verbs.includes(request.verb)) &&
      ((rule.apiGroups ?? []).includes('*') || (rule.apiGroups ?? []).includes(request.group)) &&
      resourceMatches(rule, request.resource) &&
      (rule.resourceNames ?? []).length === 0,
  );
}

/** `apps/v1` → `apps`, `v1` → '' (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
