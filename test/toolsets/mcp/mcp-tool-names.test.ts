import { describe, expect, it } from 'vitest';
import { coerceArguments } from '../../../src/toolsets/mcp/coerce-arguments.js';
import { allowlistMatcher, prefixedToolName } from '../../../src/toolsets/mcp/mcp-tool-names.js';

describe('prefixedToolName', () => {
  it('puts the server name before the tool, in characters every model API accepts, within 64', () => {
    expect(prefixedToolName('github', 'search_issues')).toBe('github__search_issues');
    expect(prefixedToolName('my-server', 'files.read/v2')).toBe('my_server__files_read_v2');
    expect(prefixedToolName('s', 'x'.repeat(100))).toHaveLength(64);
  });
});

describe('allowlistMatcher', () => {
  it('allows nothing when the list is empty, exact names, and * as any run of characters', () => {
    expect(allowlistMatcher([])('get_issue')).toBe(false);
    const allowed = allowlistMatcher(['get_*', 'search_issues']);
    expect(['get_issue', 'search_issues', 'get_'].map(allowed)).toEqual([true, true, true]);
    expect(['delete_issue', 'search_issues_and_delete', 'xget_issue'].map(allowed)).toEqual([false, false, false]);
  });

  it('treats other characters of a pattern literally', () => {
    expect(allowlistMatcher(['files.read'])('files_read')).toBe(false);
    expect(allowlistMatcher(['files.read'])('files.read')).toBe(true);
  });
});

describe('coerceArguments', () => {
  const schema = {
    type: 'object',
    properties: { limit: { type: 'integer' }, deep: { type: 'boolean' }, name: { type: 'string' }, any: {} },
  };

  it('types the strings of --param where the schema says number or boolean, and leaves the rest', () => {
    expect(coerceArguments({ limit: '5', deep: 'true', name: '42', any: '7', extra: 'x' }, schema)).toEqual({
      limit: 5,
      deep: true,
      name: '42',
      any: '7',
      extra: 'x',
    });
    expect(coerceArguments({ limit: 'five', deep: 'yes' }, schema)).toEqual({ limit: 'five', deep: 'yes' });
    expect(coerceArguments({ limit: 5 }, undefined)).toEqual({ limit: 5 });
  });
});
