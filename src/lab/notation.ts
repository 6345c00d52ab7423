import { parseDuration } from '../core/duration.js';
import { HolmesError } from '../core/errors.js';
import type { SampleValue } from './scenario.js';

/**
 * The `input_series.values` notation of `promtool test rules`, read the way Prometheus 2.42's
 * series-description lexer and grammar read it (checked against the installed promtool):
 * - `a+bxn` / `a-bxn`: n+1 samples; the step is added repeatedly (a, a+b, (a+b)+b, ...) rather
 *   than multiplied, so rounding matches promtool: `0.1+0.1x3` is 0.1 0.2 0.30000000000000004 0.4.
 * - `axn`: n+1 copies; `_`: one missing sample; `_xn`: n missing samples (promtool's loop, and
 *   its docs: `1 _x3 stale` is `1 _ _ _ stale`); `stale`: a staleness marker.
 * - numbers as Go parses them: floats, exponents, `Inf`/`NaN` in any case, and Go's octal
 *   reading of integers with a leading zero (`010` is 8).
 * - Holmes's one addition (shared/SCENARIOS.md): `@now`, `@now-<duration>` or `@now+<duration>`
 *   stands where the number `a` stands, and is the Unix time in seconds of that instant at load
 *   time: `@now-2hx100` repeats one timestamp, `@now-1h+30x120` counts up like a clock.
 */
const ACCEPTED_FORMS =
  'Separate terms by spaces; each term is a, a+bxn, a-bxn, axn, _, _xn or stale ' +
  '(a a number such as 3, -2.5, 1e3, Inf, NaN, or a time @now-<duration> / @now+<duration>; b a number; ' +
  'n a whole number), e.g. `45+0x200 98x40 _x3 stale` or `@now-2hx100`.';

/** More samples than this in one series is a typo (`x1000000000`), not an incident. */
export const MAX_SAMPLES = 1_000_000;

type TokenKind = 'space' | 'add' | 'sub' | 'times' | 'blank' | 'number' | 'word' | 'time';

interface Token {
  kind: TokenKind;
  text: string;
  /** 0-based offset in the whole text. */
  offset: number;
  /** A time token's value: Unix seconds. */
  value?: number;
}

const DESCRIPTIONS = { number: 'a number', word: 'a word', time: 'a time' } as const;

export interface ExpandSeriesOptions {
  /** The load time `@now` terms are read against; without it such terms are an error. */
  now?: Date;
}

/** Expands promtool series notation into one value per sample (null = missing). */
export function expandSeriesValues(text: string, options: ExpandSeriesOptions = {}): SampleValue[] {
  const tokens = tokenize(text, options.now);
  const values: SampleValue[] = [];
  let term: Token[] = [];
  let termNumber = 0;
  const flush = (): void => {
    if (term.length === 0) return;
    termNumber += 1;
    const expanded = expandTerm(text, term, termNumber, MAX_SAMPLES - values.length);
    if (values.length + expanded.length > MAX_SAMPLES) {
      throw notationError(
        text,
        term[0]?.offset ?? 0,
        `term ${termNumber}: more than ${MAX_SAMPLES} samples in one series`,
      );
    }
    for (const value of expanded) values.push(value);
    term = [];
  };
  for (const token of tokens) {
    if (token.kind === 'space') flush();
    else term.push(token);
  }
  flush();
  return values;
}

const SINGLE: Partial<Record<string, TokenKind>> = { '+': 'add', '-': 'sub', x: 'times', _: 'blank' };
// Sticky patterns read at an offset without copying the rest of the text.
const SPACE = /[ \t\n\r]+/y;
// Prometheus's scanNumber: digits, optional fraction, optional exponent.
const NUMBER = /[0-9]*(?:\.[0-9]*)?(?:[eE][+-]?[0-9]*)?/y;
const WORD = /[A-Za-z][A-Za-z0-9_:]*/y;
const UNTIL_SPACE = /[^ \t\n\r]*/y;
// `@now` with an optional sign and duration: a sign plus a digit always starts the duration, which
// runs to the next 'x', sign or space (a duration has no 'x'), so `@now-90x5` is a missing unit,
// not a step of 90. What follows is read as the rest of the term.
const TIME = /@now(?:([+-])([0-9][0-9A-WYZa-wyz.]*))?/y;

function matchAt(pattern: RegExp, text: string, offset: number): string {
  pattern.lastIndex = offset;
  return pattern.exec(text)?.[0] ?? '';
}

function tokenize(text: string, now: Date | undefined): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  while (offset < text.length) {
    const character = text[offset] as string;
    const singleKind = SINGLE[character];
    let token: Token;
    if (character === ' ' || character === '\t' || character === '\n' || character === '\r') {
      token = { kind: 'space', text: matchAt(SPACE, text, offset), offset };
    } else if (singleKind !== undefined) {
      token = { kind: singleKind, text: character, offset };
    } else if (/[0-9]/.test(character) || (character === '.' && /[0-9]/.test(text[offset + 1] ?? ''))) {
      const number = matchAt(NUMBER, text, offset);
      // As in promtool, a number must be followed by 'x' or something that is not a letter or digit.
      const next = text[offset + number.length];
      if (next !== undefined && next !== 'x' && /[A-Za-z0-9_]/.test(next)) {
        throw notationError(text, offset, `bad number '${matchAt(UNTIL_SPACE, text, offset)}'`);
      }
      token = { kind: 'number', text: number, offset };
    } else if (/[A-Za-z]/.test(character)) {
      token = { kind: 'word', text: matchAt(WORD, text, offset), offset };
    } else if (character === '@') {
      token = readTime(text, offset, now);
    } else if (text.startsWith('{{', offset)) {
      throw notationError(text, offset, 'native histogram samples ({{...}}) are not supported');
    } else {
      throw notationError(text, offset, `unexpected character '${character}'`);
    }
    tokens.push(token);
    offset += token.text.length;
  }
  return tokens;
}

/** `@now±<duration>` as a token whose `value` is the Unix time in seconds it names. */
function readTime(text: string, offset: number, now: Date | undefined): Token {
  TIME.lastIndex = offset;
  const match = TIME.exec(text);
  if (match === null) {
    throw notationError(text, offset, `'${matchAt(UNTIL_SPACE, text, offset)}' is not a time; write @now-<duration>`);
  }
  if (now === undefined) throw notationError(text, offset, `'${match[0]}' needs the scenario's load time`);
  const [, sign, duration] = match;
  let offsetMs = 0;
  if (duration !== undefined) {
    try {
      offsetMs = parseDuration(duration);
    } catch (error) {
      const reason = HolmesError.isInstance(error) ? error.message : String(error);
      throw notationError(text, offset, `'${match[0]}' is not a time: ${reason}`);
    }
  }
  const value = (now.getTime() + (sign === '-' ? -offsetMs : offsetMs)) / 1000;
  return { kind: 'time', text: match[0], offset, value };
}

/** Reads one space-free term and expands it. */
function expandTerm(text: string, term: Token[], termNumber: number, room: number): SampleValue[] {
  const first = term[0] as Token;
  const termText = term.map((token) => token.text).join('');
  const fail = (token: Token | undefined, expected: string): HolmesError => {
    const found =
      token === undefined
        ? 'the end of the term'
        : token.kind === 'number' || token.kind === 'word' || token.kind === 'time'
          ? `${DESCRIPTIONS[token.kind]} '${token.text}'`
          : `'${token.text}'`;
    const offset = token?.offset ?? first.offset + termText.length;
    return notationError(text, offset, `term ${termNumber} '${termText}': expected ${expected}, found ${found}`);
  };
  const expectEnd = (index: number): void => {
    if (index < term.length) throw fail(term[index], 'a space before the next term');
  };
  const readCount = (index: number): number => {
    const token = term[index];
    if (token?.kind !== 'number' || !/^[0-9]+$/.test(token.text)) throw fail(token, "a whole number after 'x'");
    expectEnd(index + 1);
    const count = Number(token.text);
    // Checked before allocating, so `x1000000000` fails fast; the exact total is checked per term.
    if (count > room) {
      throw notationError(
        text,
        token.offset,
        `term ${termNumber} '${termText}': more than ${MAX_SAMPLES} samples in one series`,
      );
    }
    return count;
  };

  if (first.kind === 'blank') {
    if (term.length === 1) return [null];
    if (term[1]?.kind !== 'times') throw fail(term[1], "'x' after '_' (as in _x3)");
    return new Array<SampleValue>(readCount(2)).fill(null);
  }

  let index = 0;
  let start: number | 'stale';
  if (first.kind === 'word' && first.text === 'stale') {
    start = 'stale';
    index = 1;
  } else if (first.kind === 'time') {
    start = first.value as number;
    index = 1;
  } else {
    const sign = first.kind === 'add' || first.kind === 'sub' ? first : undefined;
    const number = readNumber(text, term[sign ? 1 : 0], fail);
    start = sign?.kind === 'sub' ? -number : number;
    index = sign ? 2 : 1;
  }
  if (index === term.length) return [start];

  const operator = term[index] as Token;
  if (operator.kind === 'times') {
    const count = readCount(index + 1);
    return new Array<SampleValue>(count + 1).fill(start);
  }
  if (operator.kind !== 'add' && operator.kind !== 'sub') {
    throw fail(operator, "'+', '-', 'x' or a space");
  }
  const magnitude = readNumber(text, term[index + 1], fail, `a number after '${operator.text}' (the step)`);
  const step = operator.kind === 'sub' ? -magnitude : magnitude;
  if (term[index + 2]?.kind !== 'times') throw fail(term[index + 2], "'x' and a count (as in 1+2x10)");
  const count = readCount(index + 3);
  const values: SampleValue[] = [];
  // A staleness marker plus a step is an ordinary NaN in Go, so only the first sample stays stale.
  let current = start === 'stale' ? Number.NaN : start;
  for (let sample = 0; sample <= count; sample += 1) {
    values.push(sample === 0 ? start : current);
    current += step;
  }
  return values;
}

function readNumber(
  text: string,
  token: Token | undefined,
  fail: (token: Token | undefined, expected: string) => HolmesError,
  expected = 'a number or stale',
): number {
  if (token?.kind === 'word' && /^(inf|nan)$/i.test(token.text)) {
    return token.text.toLowerCase() === 'inf' ? Number.POSITIVE_INFINITY : Number.NaN;
  }
  if (token?.kind !== 'number') throw fail(token, expected);
  const value = goNumber(token.text);
  if (value === undefined) throw notationError(text, token.offset, `'${token.text}' is not a number`);
  return value;
}

const INT64_MAX = 2n ** 63n - 1n;

/** Prometheus's parser.number: strconv.ParseInt(text, 0, 64), then strconv.ParseFloat. */
function goNumber(text: string): number | undefined {
  if (/^0[0-7]+$/.test(text)) {
    const octal = BigInt(`0o${text.slice(1)}`);
    if (octal <= INT64_MAX) return Number(octal);
  }
  if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(text)) return undefined;
  const value = Number(text);
  // ParseFloat refuses values beyond float64's range instead of returning Inf.
  return Number.isFinite(value) ? value : undefined;
}

function notationError(text: string, offset: number, problem: string): HolmesError {
  return new HolmesError('SCENARIO_INVALID', `Series values '${text}': ${problem} (at character ${offset + 1}).`, {
    fix: ACCEPTED_FORMS,
    details: { character: offset + 1 },
  });
}
