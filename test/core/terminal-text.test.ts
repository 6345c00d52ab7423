import { describe, expect, it } from 'vitest';
import { terminalText } from '../../src/core/terminal-text.js';

describe('terminalText', () => {
  it('shows escape sequences, controls and bidi overrides as visible escapes instead of letting them act', () => {
    expect(terminalText('\u001b[31mred\u001b[0m')).toBe('\\e[31mred\\e[0m');
    expect(terminalText('\u001b]8;;http://evil\u0007link\u001b]8;;\u0007')).toBe(
      '\\e]8;;http://evil\\x07link\\e]8;;\\x07',
    );
    expect(terminalText('a\u009b2Jb\u007f')).toBe('a\\x9b2Jb\\x7f');
    expect(terminalText('admin\u202egnp.exe')).toBe('admin\\u202egnp.exe');
    expect(terminalText('lone \ud800 surrogate')).toBe('lone \\ud800 surrogate');
  });

  it('escapes a newline or carriage return inside one line, so a value cannot forge a line of the report', () => {
    expect(terminalText('pod-1\nROOT CAUSE  forged\r')).toBe('pod-1\\nROOT CAUSE  forged\\r');
  });

  it('keeps newlines and tabs, printable Unicode and emoji as they are when the text spans lines', () => {
    expect(terminalText('line 1\n\tline 2 — 日本語 🚀', { multiline: true })).toBe('line 1\n\tline 2 — 日本語 🚀');
    expect(terminalText('x\u001b[2Jy\nz', { multiline: true })).toBe('x\\e[2Jy\nz');
  });
});
