import type { ZodType } from 'zod';
import { z } from 'zod';

type Plain = Record<string, unknown>;

/** The object shape behind a (possibly wrapped) zod schema, or undefined for leaves. */
function shapeOf(schema: ZodType): Record<string, ZodType> | undefined {
  let current: ZodType = schema;
  // Unwrap defaults/optionals/prefaults to reach the object, if any.
  for (let guard = 0; guard < 10; guard += 1) {
    if (current instanceof z.ZodObject) return current.shape as Record<string, ZodType>;
    const inner = (current as { unwrap?: () => ZodType }).unwrap?.();
    const def = (current as unknown as { def?: { innerType?: ZodType } }).def;
    const next = inner ?? def?.innerType;
    if (!next) return undefined;
    current = next;
  }
  return undefined;
}

function camel(tokens: string[]): string {
  return tokens.map((token, index) => (index === 0 ? token : token.charAt(0).toUpperCase() + token.slice(1))).join('');
}

/** Parses an env value: JSON for arrays, objects, numbers and booleans; otherwise the string. */
function parseValue(raw: string): unknown {
  if (/^(true|false|-?\d+(\.\d+)?|\[.*\]|\{.*\})$/s.test(raw.trim())) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

/**
 * Maps `HOLMES_PROMETHEUS_URL=…` or `HOLMES_TOOLSETS_MAX_OUTPUT_TOKENS=…` onto the config by
 * walking the schema, so every field is overridable without a hand-kept table.
 */
export function envOverrides(schema: ZodType, env: NodeJS.ProcessEnv): { overrides: Plain; unknown: string[] } {
  const overrides: Plain = {};
  const unknown: string[] = [];
  // Variables that are not config fields: where the config is, and the lab's binaries.
  const ignored = new Set(['HOLMES_CONFIG', 'HOLMES_PROMETHEUS_BIN', 'HOLMES_PROMTOOL_BIN']);
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('HOLMES_') || raw === undefined || ignored.has(name)) continue;
    const tokens = name.slice('HOLMES_'.length).toLowerCase().split('_').filter(Boolean);
    const path = resolvePath(schema, tokens);
    if (!path) {
      unknown.push(name);
      continue;
    }
    let target = overrides;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Plain;
    target[path.at(-1)!] = parseValue(raw);
  }
  return { overrides, unknown };
}

function resolvePath(schema: ZodType, tokens: string[]): string[] | undefined {
  const shape = shapeOf(schema);
  if (!shape) return tokens.length === 0 ? [] : undefined;
  for (let take = tokens.length; take >= 1; take -= 1) {
    const key = camel(tokens.slice(0, take));
    const child = Object.entries(shape).find(([candidate]) => candidate.toLowerCase() === key.toLowerCase());
    if (!child) continue;
    const rest = tokens.slice(take);
    if (rest.length === 0) return [child[0]];
    const tail = resolvePath(child[1], rest);
    if (tail) return [child[0], ...tail];
  }
  return undefined;
}
