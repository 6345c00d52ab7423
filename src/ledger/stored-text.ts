import { redactedJson, redactSecrets } from '../core/redact-secrets.js';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as it may be written to the store: secrets redacted, and valid Unicode — a lone UTF-16
 * surrogate would be written as bytes that are not UTF-8, so it becomes U+FFFD.
 */
export function storedText(text: string): string;
export function storedText(text: string | null): string | null;
export function storedText(text: string | null): string | null {
  return text === null ? null : redactSecrets(text).replace(LONE_SURROGATE, '\uFFFD');
}

/** JSON as it may be written to the store: secrets redacted from every string (JSON escapes lone surrogates itself). */
export function storedJson(value: unknown): string {
  return redactedJson(value);
}
