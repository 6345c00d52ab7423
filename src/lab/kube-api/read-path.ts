/** Reads a dotted path (`status.phase`) from a loosely typed object; undefined when any step is missing. */
export function readPath(object: unknown, path: string): unknown {
  let value: unknown = object;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A scalar at `path` as text ('' when missing or not a scalar), as the API server's field labels read it. */
export function readText(object: unknown, path: string): string {
  const value = readPath(object, path);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** A number at `path`, or `fallback` when missing. */
export function readNumber(object: unknown, path: string, fallback = 0): number {
  const value = readPath(object, path);
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** An array at `path` (empty when missing). */
export function readList(object: unknown, path: string): Array<Record<string, unknown>> {
  const value = readPath(object, path);
  return Array.isArray(value)
    ? value.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
    : [];
}

/** A string-keyed map at `path` (empty when missing). */
export function readRecord(object: unknown, path: string): Record<string, unknown> {
  const value = readPath(object, path);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
