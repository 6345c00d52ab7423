import { startRecordingServer, type RecordingServer } from '../telemetry/recording-server.js';

/** One series as Prometheus's range query returns it: sample values are strings ("NaN", "+Inf" included). */
export interface MatrixSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

/**
 * A Prometheus HTTP API double on loopback that answers query_range with the series given for
 * each query text, in Prometheus's own JSON shape; an unknown query answers an empty matrix.
 * `fail` makes a query answer HTTP 503, as an overloaded Prometheus does.
 */
export function startFakePrometheus(
  answers: Record<string, MatrixSeries[]>,
  options: { fail?: string[] } = {},
): Promise<RecordingServer> {
  return startRecordingServer((request) => {
    const url = new URL(request.url, 'http://prometheus');
    if (url.pathname !== '/api/v1/query_range')
      return { status: 404, body: { status: 'error', errorType: 'not_found', error: 'not found' } };
    const query = url.searchParams.get('query') ?? '';
    if (options.fail?.includes(query))
      return { status: 503, body: { status: 'error', errorType: 'unavailable', error: 'too many queries' } };
    return { body: { status: 'success', data: { resultType: 'matrix', result: answers[query] ?? [] } } };
  });
}

/** `count` samples `step` seconds apart from `start`, valued by `value(i)` (a string as Prometheus sends it). */
export function samples(start: number, step: number, count: number, value: (index: number) => string | number | null) {
  const values: Array<[number, string]> = [];
  for (let index = 0; index < count; index += 1) {
    const sample = value(index);
    if (sample !== null) values.push([start + index * step, String(sample)]);
  }
  return values;
}
