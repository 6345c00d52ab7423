/** A Kubernetes LabelSelector as objects carry it (NetworkPolicy, Deployment, PodAffinity…). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/**
 * Whether labels satisfy a selector, as the API server decides: every matchLabels pair and every
 * expression must hold; an empty selector selects everything. An unknown operator selects nothing.
 */
export function matchesSelector(
  selector: LabelSelector | undefined | null,
  labels: Record<string, string> = {},
): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expression.key);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(labels[expression.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[expression.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A selector in kubectl's words: `app=chat,tier in (a,b)`; `{}` selects everything. */
export function describeSelector(selector: LabelSelector | undefined | null): string {
  if (!selector) return '(none)';
  const parts = [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`),
    ...(selector.matchExpressions ?? []).map((expression) =>
      expression.operator === 'Exists'
        ? expression.key
        : expression.operator === 'DoesNotExist'
          ? `!${expression.key}`
          : `${expression.key} ${expression.operator.toLowerCase()} (${(expression.values ?? []).join(',')})`,
    ),
  ];
  return parts.length > 0 ? parts.join(',') : '{} (all)';
}
