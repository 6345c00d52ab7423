/** A `meta/v1 Status` as the API server returns it for every failure. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details: { name?: string; group?: string; kind?: string };
  code: number;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  410: 'Expired',
  500: 'InternalError',
};

export function kubeStatus(code: number, message: string, details: KubeStatus['details'] = {}): KubeStatus {
  const cleaned = Object.fromEntries(
    Object.entries(details).filter(([, value]) => value !== undefined && value !== ''),
  );
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: REASONS[code] ?? 'Unknown',
    details: cleaned,
    code,
  };
}

/** `pods "x" not found` with the details a client uses to tell what was missing. */
export function notFoundStatus(plural: string, name: string, group = ''): KubeStatus {
  const resource = group === '' ? plural : `${plural}.${group}`;
  return kubeStatus(404, `${resource} "${name}" not found`, { name, group, kind: plural });
}

/** The answer for a path no route serves. */
export function unknownPathStatus(): KubeStatus {
  return kubeStatus(404, 'the server could not find the requested resource');
}
