import { parser } from '@prometheus-io/lezer-promql';

/** Metric names a PromQL expression reads: selector names and `__name__="…"`/`=~"a|b"` matchers. */
export function queryMetrics(template: string): string[] {
  // Signal templates hold `{{{scope}}}` (a list of matchers) and `{{name}}` values: stand-ins keep
  // them parseable, or the parser would take the label names after them for metric names.
  const query = template.replace(/\{\{\{[^}]*\}\}\}/g, '__scope__=""').replace(/\{\{[^}]*\}\}/g, 'x');
  const names = new Set<string>();
  let selector = false;
  let label = '';
  let operator = '';
  parser.parse(query).iterate({
    enter: (node) => {
      const text = query.slice(node.from, node.to);
      if (node.name === 'VectorSelector') selector = true;
      else if (node.name === 'Identifier' && selector) names.add(text);
      else if (node.name === 'LabelName') label = text;
      else if (node.name === 'MatchOp') operator = text;
      else if (node.name === 'StringLiteral' && label === '__name__') {
        const value = text.slice(1, -1);
        if (operator === '=') names.add(value);
        // A plain alternation of names is a list of metrics; any other regex names none for sure.
        else if (operator === '=~' && /^[A-Za-z0-9_:|]+$/.test(value))
          for (const name of value.split('|')) names.add(name);
        label = '';
      }
    },
    leave: (node) => {
      if (node.name === 'VectorSelector') selector = false;
    },
  });
  return [...names];
}
