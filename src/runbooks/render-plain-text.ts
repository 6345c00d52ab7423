import Mustache from 'mustache';

/** Mustache without HTML escaping: runbook sentences and remediation are plain text. */
export function renderPlainText(template: string, view: Record<string, unknown>): string {
  return Mustache.render(template, view, undefined, { escape: (value: unknown) => String(value) });
}

/** No value to show: absent, empty, or an empty list. */
export function isBlank(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  const items = (value as { items?: unknown }).items;
  return Array.isArray(items) && items.length === 0;
}

export type Token = [string, string, number, number, Token[]?];

/**
 * Every `{{name}}` (escaped or not) of a template with where it stands, sections' included;
 * `viewOnly` leaves out `{{#…}}` sections, whose context may be a list item of their own.
 */
export function variableTokens(template: string, options: { viewOnly?: boolean } = {}): Token[] {
  const walk = (tokens: Token[]): Token[] =>
    tokens.flatMap((token) => {
      if (token[0] === 'name' || token[0] === '&') return [token];
      if (options.viewOnly && token[0] === '#') return [];
      return Array.isArray(token[4]) ? walk(token[4]) : [];
    });
  return walk(Mustache.parse(template) as unknown as Token[]);
}

/** The template with the tokens at `tokens` replaced by `text` (literal template text). */
export function replaceTokens(template: string, tokens: Token[], text: (name: string) => string): string {
  let marked = template;
  for (const token of [...tokens].sort((left, right) => right[2] - left[2]))
    marked = `${marked.slice(0, token[2])}${text(token[1])}${marked.slice(token[3])}`;
  return marked;
}

const WORKLOAD_STANDIN = '__workload_or_pods';

// Up to this many pods are named one by one where a sentence would name the workload.
const NAMED_PODS = 3;

/** What a sentence calls the alert's pods when no workload was resolved: their names when few. */
function podsPhrase(view: Record<string, unknown>): string {
  const pods = isBlank(view.pod_list) ? [] : String(view.pod_list).split(', ');
  if (pods.length > 0 && pods.length <= NAMED_PODS) return pods.join(', ');
  const count = pods.length > 0 ? `${pods.length} ` : '';
  if (!isBlank(view.namespace)) return `the ${count}pods of ${String(view.namespace)}`;
  if (!isBlank(view.node_list)) return `the ${count}pods on ${String(view.node_list)}`;
  return `the alert's ${count}pods`;
}

/**
 * A runbook sentence. An alert that names only a namespace or a node resolves no workload, and
 * "GPUs of {{workload}}" would read "GPUs of  fell": the sentence then names the pods instead —
 * one by one when there are few, else the pods of the namespace (or the nodes).
 */
export function renderSentence(template: string, view: Record<string, unknown>): string {
  const tokens = variableTokens(template).filter((token) => token[1] === 'workload');
  if (tokens.length === 0 || !isBlank(view.workload)) return renderPlainText(template, view);
  // The phrase goes in as a value, never into the template: names are alert input.
  return renderPlainText(
    replaceTokens(template, tokens, () => `{{${WORKLOAD_STANDIN}}}`),
    { ...view, [WORKLOAD_STANDIN]: podsPhrase(view) },
  );
}
