import type { KubeObject } from '../../core/kube-object.js';
import { readList, readNumber, readPath, readText } from './read-path.js';
import { formatSelector } from './table-columns-workloads.js';
import { ageColumn, column, nameColumn, type TableColumn } from './table.js';

/** Columns of Endpoints, EndpointSlice and NetworkPolicy, after the API server's printers. */

const SHOWN = 3;

/** At most three entries, then `+ N more...`; `<unset>` when empty (`listWithMoreString`). */
function listWithMore(entries: string[], empty = '<unset>'): string {
  if (entries.length === 0) return empty;
  const shown = entries.slice(0, SHOWN).join(',');
  return entries.length > SHOWN ? `${shown} + ${entries.length - SHOWN} more...` : shown;
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** `formatEndpoints`: ip:port of every address and port, or the bare IPs of a headless subset. */
function formatEndpoints(endpoints: KubeObject): string {
  const subsets = readList(endpoints, 'subsets');
  if (subsets.length === 0) return '<none>';
  const entries = subsets.flatMap((subset) => {
    const addresses = readList(subset, 'addresses').map((address) => readText(address, 'ip'));
    const ports = readList(subset, 'ports');
    if (ports.length === 0) return addresses;
    return ports.flatMap((port) => addresses.map((ip) => hostPort(ip, readNumber(port, 'port'))));
  });
  return listWithMore(entries, '');
}

const sliceColumns: TableColumn[] = [
  nameColumn,
  column('AddressType', (slice) => readText(slice, 'addressType')),
  column('Ports', (slice) =>
    listWithMore(
      readList(slice, 'ports').map((port) =>
        typeof readPath(port, 'port') === 'number' ? String(readNumber(port, 'port')) : readText(port, 'name') || '*',
      ),
    ),
  ),
  column('Endpoints', (slice) =>
    listWithMore(
      readList(slice, 'endpoints').flatMap((endpoint) => (readPath(endpoint, 'addresses') as string[]) ?? []),
    ),
  ),
  ageColumn,
];

export const NETWORK_TABLE_COLUMNS: Record<string, readonly TableColumn[]> = {
  Endpoints: [nameColumn, column('Endpoints', formatEndpoints), ageColumn],
  EndpointSlice: sliceColumns,
  NetworkPolicy: [
    nameColumn,
    column('Pod-Selector', (policy) => formatSelector(policy, 'spec.podSelector')),
    ageColumn,
  ],
};
