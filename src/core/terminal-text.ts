// C0 controls but tab, DEL, C1 controls (0x80–0x9f: 8-bit CSI and OSC), the bidirectional
// overrides and isolates ("Trojan Source"), and lone surrogates. A newline is allowed only where
// the text may span lines.
const UNSAFE_LINE =
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE_BLOCK =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\u001b': '\\e' };

function escape(character: string): string {
  const named = NAMED[character];
  if (named) return named;
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text that is safe to print on a terminal: escape sequences (colours, cursor moves, OSC 8 links,
 * title changes), other control characters and bidi overrides from alert labels, tool output or a
 * model become visible escapes (`\e[31m`, `\u202e`) instead of acting. One line by default (a
 * newline in a value would forge a line of the report); `multiline` keeps newlines.
 */
export function terminalText(text: string, options: { multiline?: boolean } = {}): string {
  return text.replace(options.multiline ? UNSAFE_BLOCK : UNSAFE_LINE, escape);
}
