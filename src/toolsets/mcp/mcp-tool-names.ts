// What model APIs accept as a tool name (OpenAI and Anthropic alike).
const MAX_NAME = 64;

/** `<server>__<tool>`: the double underscore keeps the split unambiguous; characters a model API refuses become `_`. */
export function prefixedToolName(server: string, tool: string): string {
  return `${toolPrefix(server)}${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, MAX_NAME);
}

export function toolPrefix(server: string): string {
  return `${server.replace(/-/g, '_')}__`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Allowlist entries are tool names; `*` stands for any run of characters (`get_*`, `list_*`). */
export function allowlistMatcher(patterns: string[]): (tool: string) => boolean {
  const expressions = patterns.map((pattern) => new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`));
  return (tool) => expressions.some((expression) => expression.test(tool));
}
