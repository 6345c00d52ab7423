import { Lexer, type Token, type Tokens } from 'marked';

/** One remediation step as written under `## Fix`: `### title`, prose (details), one fenced command. */
export interface FixStep {
  title: string;
  command?: string;
  details?: string;
}

/** Body lines (1-based, counted from the body's first line) of each part of a step, for errors. */
export interface FixStepLines {
  title: number;
  command?: number;
  details?: number;
}

export interface FixSection {
  steps: FixStep[];
  lines: FixStepLines[];
  /** The body without the steps: the prose people and the agent read, the steps being listed rendered. */
  prose: string;
  problems: Array<{ line: number; message: string; fix: string }>;
}

const FIX_HEADING = /^fix$/i;

/**
 * Reads the `## Fix` section of a runbook body into remediation steps. The fix lives in the
 * Markdown, not the front matter, because people read and review it there: commands as fenced
 * blocks (no YAML quoting), and one place for the summary and the steps. Undefined without one.
 */
export function parseFixSection(text: string): FixSection | undefined {
  // The lexer reads CRLF as LF; reading the same text keeps its offsets (and so lines) exact.
  const body = text.replace(/\r\n?/g, '\n');
  const tokens = Lexer.lex(body);
  // A token's raw text is its exact source, so offsets (and lines) are sums of what came before.
  const offsets: number[] = [];
  tokens.reduce((offset, token) => (offsets.push(offset), offset + token.raw.length), 0);
  const lineOf = (index: number) => body.slice(0, offsets[index]).split('\n').length;
  const isHeading = (token: Token, depth: (d: number) => boolean): token is Tokens.Heading =>
    token.type === 'heading' && depth((token as Tokens.Heading).depth);

  const start = tokens.findIndex((token) => isHeading(token, (d) => d === 2) && FIX_HEADING.test(token.text.trim()));
  if (start < 0) return undefined;
  const after = tokens.findIndex((token, index) => index > start && isHeading(token, (d) => d <= 2));
  const end = after < 0 ? tokens.length : after;

  const section: FixSection = { steps: [], lines: [], prose: '', problems: [] };
  const kept: Token[] = [...tokens.slice(0, start + 1)];
  let index = start + 1;
  for (; index < end && !isHeading(tokens[index]!, (d) => d === 3); index += 1) kept.push(tokens[index]!);
  while (index < end) {
    const heading = tokens[index] as Tokens.Heading;
    const step: FixStep = { title: heading.text.trim() };
    const lines: FixStepLines = { title: lineOf(index) };
    const details: string[] = [];
    for (index += 1; index < end && !isHeading(tokens[index]!, (d) => d <= 3); index += 1) {
      const token = tokens[index]!;
      if (token.type === 'space') continue;
      if (token.type === 'code') {
        if (step.command !== undefined)
          section.problems.push({
            line: lineOf(index),
            message: `step "${step.title}" has a second command block`,
            fix: 'Put the step’s commands in one fenced block, or make a second ### step.',
          });
        step.command = (token as Tokens.Code).text;
        lines.command = lineOf(index);
        continue;
      }
      // A paragraph's line breaks are soft: the sentence is one line wherever it is shown.
      details.push(token.type === 'paragraph' ? token.raw.trim().replace(/\s*\n\s*/g, ' ') : token.raw.trim());
      lines.details ??= lineOf(index);
    }
    if (details.length > 0) step.details = details.join('\n');
    section.steps.push(step);
    section.lines.push(lines);
  }
  if (section.steps.length === 0)
    section.problems.push({
      line: lineOf(start),
      message: '## Fix has no steps',
      fix: 'Write each remediation step as a ### heading (its title), a sentence or two, and a fenced command.',
    });
  section.prose = [...kept, ...tokens.slice(end)]
    .map((token) => token.raw)
    .join('')
    .trim();
  return section;
}
