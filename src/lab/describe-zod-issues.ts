import type { z } from 'zod';
import type { Issue } from '../core/errors.js';
import { FIELD_HELP, fieldKey, KNOWN_KEYS } from './scenario-schema.js';
import type { YamlSource } from '../core/yaml-source.js';
import { formatPath, lineAt } from '../core/yaml-source.js';

/** Turns zod's findings on scenario.yaml into issues that say where, what was expected, and the fix. */
export function describeZodIssues(zodIssues: readonly z.core.$ZodIssue[], source: YamlSource, raw: unknown): Issue[] {
  const issues: Issue[] = [];
  for (const zodIssue of zodIssues) {
    const path = zodIssue.path;
    const help = helpFor(path);
    const found = valueAt(raw, path);
    const located = (at: ReadonlyArray<PropertyKey>, message: string, fix: string | undefined, key = false): Issue => ({
      path: formatPath(at),
      message,
      file: source.file,
      line: lineAt(source, at, { key }),
      ...(fix === undefined ? {} : { fix }),
    });
    switch (zodIssue.code) {
      case 'unrecognized_keys': {
        const known = KNOWN_KEYS[fieldKey(path)] ?? [];
        for (const key of zodIssue.keys) {
          issues.push(
            located(
              [...path, key],
              `unknown key '${key}'`,
              `Remove it or correct the spelling; known keys here: ${known.join(', ')}.`,
              true,
            ),
          );
        }
        break;
      }
      case 'invalid_type':
        issues.push(located(path, mismatch(help?.expected ?? zodIssue.expected, found), help?.fix));
        break;
      case 'invalid_value':
        issues.push(located(path, mismatch(help?.expected ?? 'one of the listed values', found), help?.fix));
        break;
      case 'too_small':
        issues.push(located(path, `must not be empty: expected ${help?.expected ?? 'a value'}`, help?.fix));
        break;
      case 'invalid_format':
        issues.push(
          located(path, `expected ${help?.expected ?? zodIssue.format}, found ${describe(found)}`, help?.fix),
        );
        break;
      case 'invalid_union':
        issues.push(located(path, mismatch(help?.expected ?? 'a different type', found), help?.fix));
        break;
      case 'custom': {
        const fix = (zodIssue.params as { fix?: string } | undefined)?.fix ?? help?.fix;
        issues.push(located(path, zodIssue.message, fix));
        break;
      }
      default:
        issues.push(located(path, zodIssue.message, help?.fix));
    }
  }
  return issues;
}

/** The help of the field, or of its nearest ancestor that has one (`alert.labels.gpu` → `alert.labels`). */
function helpFor(path: ReadonlyArray<PropertyKey>): { expected: string; fix: string } | undefined {
  for (let length = path.length; length > 0; length -= 1) {
    const help = FIELD_HELP[fieldKey(path.slice(0, length))];
    if (help) return help;
  }
  return undefined;
}

function valueAt(raw: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = raw;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function mismatch(expected: string, found: unknown): string {
  return found === undefined ? `missing: expected ${expected}` : `expected ${expected}, found ${describe(found)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  return `${typeof value} ${String(value)}`;
}
