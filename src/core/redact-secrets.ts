/**
 * Secret values this process knows (tokens, passwords, API keys as they were resolved) and the
 * credentials of any URL, removed from text before it is stored, returned, printed or logged.
 * One registry per process: a secret is remembered where it is resolved, and every place that
 * writes text out asks here, so an upstream that echoes a key (a provider's 401 body) cannot
 * carry it into a record, the API or the WAL.
 */

export const REDACTED = '[redacted]';

// Shorter values would blank out ordinary words; no real token is this short.
const MIN_SECRET_LENGTH = 4;

const known = new Set<string>();
let ordered: string[] = [];

// scheme://userinfo@ — userinfo holds no unencoded `/ ? # @` and no whitespace or quotes.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>\\]+)@/gi;

/** Remembers a secret value (and its JSON-escaped form) so redactSecrets removes it from any text. */
export function rememberSecret(value: string): void {
  if (value.length < MIN_SECRET_LENGTH) return;
  const escaped = JSON.stringify(value).slice(1, -1);
  for (const form of new Set([value, escaped])) known.add(form);
  // Longest first: a secret that contains another is replaced whole.
  ordered = [...known].sort((left, right) => right.length - left.length);
}

/** `https://user:pass@host` → `https://user:[redacted]@host`; a bare `https://token@host` → `https://[redacted]@host`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon > 0 ? `${userinfo.slice(0, colon)}:${REDACTED}` : REDACTED}@`;
  });
}

/** The text with every remembered secret and every URL credential replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of ordered) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
  return out.includes('://') ? redactUrlCredentials(out) : out;
}

/**
 * JSON text of `value` with secrets removed from every string in it. Strings are cleaned one by
 * one (never the JSON text itself), so a secret holding a quote or a backslash cannot break it.
 */
export function redactedJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined || redactSecrets(text) === text) return text;
  return JSON.stringify(
    JSON.parse(text, (_, item: unknown) => (typeof item === 'string' ? redactSecrets(item) : item)),
  );
}

/** `value` with secrets removed from every string in it (through JSON: plain data only). */
export function redactSecretsIn<T>(value: T): T {
  const text = JSON.stringify(value);
  if (text === undefined) return value;
  const clean = redactedJson(value);
  return clean === text ? value : (JSON.parse(clean) as T);
}
