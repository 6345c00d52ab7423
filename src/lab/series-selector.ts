import { HolmesError } from '../core/errors.js';

export interface SeriesSelector {
  metric: string;
  /** Every label but `__name__`; labels with an empty value are dropped, as Prometheus treats them as absent. */
  labels: Record<string, string>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const FIX =
  'Write the series as Prometheus prints it: metric_name{label="value",other="value"}, e.g. ' +
  '`vllm:num_requests_running{model_name="llama",pod="vllm-0"}` or `{__name__="up",job="node"}`.';

/** Parses Prometheus series notation (`name{a="b",c='d'}`, `{__name__="x"}`) as promtool reads `input_series.series`. */
export function parseSeriesSelector(text: string): SeriesSelector {
  const reader = new Reader(text);
  reader.skipSpace();
  let metric = reader.match(/^[a-zA-Z_:][a-zA-Z0-9_:]*/);
  const seen = new Set<string>();
  const labels: Record<string, string> = {};
  reader.skipSpace();
  if (reader.peek() === '{') {
    reader.offset += 1;
    for (;;) {
      reader.skipSpace();
      if (reader.peek() === '}') break;
      const nameAt = reader.offset;
      const name = reader.match(/^[a-zA-Z_][a-zA-Z0-9_]*/);
      if (name === undefined) throw reader.fail('expected a label name or "}"');
      reader.skipSpace();
      if (reader.peek() !== '=') throw reader.fail(`expected "=" after label name ${name}`);
      reader.offset += 1;
      reader.skipSpace();
      const value = reader.readString();
      if (seen.has(name) || (name === '__name__' && metric !== undefined)) {
        throw reader.fail(`label ${name} is given twice`, nameAt);
      }
      seen.add(name);
      if (name === '__name__') metric = value;
      else if (value !== '') labels[name] = value;
      reader.skipSpace();
      if (reader.peek() === ',') reader.offset += 1;
      else if (reader.peek() !== '}') throw reader.fail('expected "," or "}" after a label value');
    }
    reader.offset += 1;
  }
  reader.skipSpace();
  if (reader.offset < text.length) throw reader.fail('expected the end of the series after "}"');
  if (metric === undefined || metric === '') throw reader.fail('a series needs a metric name', 0);
  if (!METRIC_NAME.test(metric))
    throw reader.fail(`'${metric}' is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)`, 0);
  return { metric, labels };
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

class Reader {
  offset = 0;
  constructor(readonly text: string) {}

  peek(): string | undefined {
    return this.text[this.offset];
  }

  skipSpace(): void {
    while (/\s/.test(this.peek() ?? '')) this.offset += 1;
  }

  match(pattern: RegExp): string | undefined {
    const found = pattern.exec(this.text.slice(this.offset))?.[0];
    if (found !== undefined) this.offset += found.length;
    return found;
  }

  /** A PromQL string: "..." or '...' with Go escapes, or `...` taken as is. */
  readString(): string {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'" && quote !== '`') throw this.fail('expected a quoted label value');
    const start = this.offset;
    this.offset += 1;
    const bytes: number[] = [];
    for (;;) {
      const character = this.peek();
      if (character === undefined || (character === '\n' && quote !== '`')) {
        throw this.fail(`unterminated quoted string (opened with ${quote})`, start);
      }
      this.offset += 1;
      if (character === quote) break;
      if (character !== '\\' || quote === '`') {
        const point = this.text.codePointAt(this.offset - 1) ?? 0;
        if (point > 0xffff) this.offset += 1;
        bytes.push(...Buffer.from(String.fromCodePoint(point), 'utf8'));
        continue;
      }
      bytes.push(...this.readEscape(quote));
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
    } catch {
      throw this.fail('label value is not valid UTF-8', start);
    }
  }

  /** Go's strconv.UnquoteChar, which Prometheus's lexer and unquote follow. */
  private readEscape(quote: string): number[] {
    const escapeAt = this.offset - 1;
    const letter = this.peek();
    this.offset += 1;
    if (letter === undefined) throw this.fail('unterminated escape', escapeAt);
    if (letter === quote) return [quote.charCodeAt(0)];
    const simple = SIMPLE_ESCAPES[letter];
    if (simple !== undefined) return [simple];
    const digits = (count: number, pattern: RegExp): string => {
      const found = this.text.slice(this.offset, this.offset + count);
      if (found.length !== count || !pattern.test(found)) throw this.fail(`bad escape \\${letter}${found}`, escapeAt);
      this.offset += count;
      return found;
    };
    if (letter === 'x') return [Number.parseInt(digits(2, /^[0-9a-fA-F]+$/), 16)];
    if (/[0-7]/.test(letter)) {
      this.offset -= 1;
      const value = Number.parseInt(digits(3, /^[0-7]+$/), 8);
      if (value > 255) throw this.fail('octal escape above \\377', escapeAt);
      return [value];
    }
    if (letter === 'u' || letter === 'U') {
      const point = Number.parseInt(digits(letter === 'u' ? 4 : 8, /^[0-9a-fA-F]+$/), 16);
      if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff))
        throw this.fail('escape is not a valid character', escapeAt);
      return [...Buffer.from(String.fromCodePoint(point), 'utf8')];
    }
    throw this.fail(`unknown escape \\${letter} (use \\\\ for a backslash, \\${quote} for the quote)`, escapeAt);
  }

  fail(problem: string, at = this.offset): HolmesError {
    return new HolmesError('SCENARIO_INVALID', `Series '${this.text}': ${problem} (at character ${at + 1}).`, {
      fix: FIX,
      details: { character: at + 1 },
    });
  }
}
