/**
 * Values that templates insert with a meaning beyond plain text. The renderers escape each by the
 * place it lands in (a PromQL string or regex, a shell word, a sentence), so a template author
 * never escapes by hand and an alert label can never change what a query selects or a command does.
 */

/** A list of literal names (pods, nodes): `a|b` inside a PromQL regex, `a, b` in a sentence. */
export class ListValue {
  constructor(readonly items: readonly string[]) {}
  toString(): string {
    return this.items.join(', ');
  }
}

/** A regular expression meant as one (a tool's `regex` parameter): inserted into a PromQL regex as is. */
export class RegexValue {
  constructor(readonly pattern: string) {}
  toString(): string {
    return this.pattern;
  }
}

/** A Kubernetes object name taken from an alert label or a source: checked before it reaches a command. */
export class NameValue {
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A valid Kubernetes object name (RFC 1123 subdomain): what `kubectl` accepts as a namespace, pod or node. */
export function isKubeName(value: string): boolean {
  return DNS_SUBDOMAIN.test(value);
}

/** Escapes every character a (RE2 or JavaScript) regex treats specially: the value matches only itself. */
export function regexEscape(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A value as a regex: literal values escaped, lists as a group of alternatives, regexes as they are. */
export function asRegex(value: unknown): string {
  if (value instanceof RegexValue) return value.pattern;
  if (value instanceof ListValue)
    return value.items.length === 1 ? regexEscape(value.items[0]!) : `(?:${value.items.map(regexEscape).join('|')})`;
  return regexEscape(String(value));
}
