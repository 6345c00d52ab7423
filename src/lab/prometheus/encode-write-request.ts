/** One series of a Prometheus remote-write request; `labels` include `__name__`. */
export interface WriteSeries {
  labels: Record<string, string>;
  samples: { timestampMs: number; value: number }[];
}

/** Prometheus's staleness marker: a NaN with a payload that PromQL reads as "series ended here". */
const STALE_NAN_HIGH_WORD = 0x7ff00000;
const STALE_NAN_LOW_WORD = 0x00000002;

/**
 * Encodes a remote-write `WriteRequest` (protobuf, then snappy block format) by hand: the message
 * has four tiny types, not worth a protobuf and a snappy dependency. `value: NaN` in a sample is
 * written as the staleness marker, since JavaScript cannot carry NaN payloads through a number.
 */
export function encodeWriteRequest(series: WriteSeries[]): Uint8Array {
  const request = new ProtobufWriter();
  for (const entry of series) {
    const timeSeries = new ProtobufWriter();
    const names = Object.keys(entry.labels).sort();
    for (const name of names) {
      const label = new ProtobufWriter();
      label.string(1, name);
      label.string(2, entry.labels[name] ?? '');
      timeSeries.message(1, label.bytes());
    }
    for (const sample of entry.samples) {
      const encoded = new ProtobufWriter();
      encoded.staleOrDouble(1, sample.value);
      encoded.varint(2, sample.timestampMs);
      timeSeries.message(2, encoded.bytes());
    }
    request.message(1, timeSeries.bytes());
  }
  return snappyLiterals(request.bytes());
}

class ProtobufWriter {
  private readonly chunks: number[] = [];

  string(field: number, text: string): void {
    this.message(field, new TextEncoder().encode(text));
  }

  message(field: number, body: Uint8Array): void {
    this.tag(field, 2);
    this.raw(body.length);
    for (const byte of body) this.chunks.push(byte);
  }

  varint(field: number, value: number): void {
    this.tag(field, 0);
    this.raw(value);
  }

  staleOrDouble(field: number, value: number): void {
    this.tag(field, 1);
    const view = new DataView(new ArrayBuffer(8));
    if (Number.isNaN(value)) {
      view.setUint32(0, STALE_NAN_LOW_WORD, true);
      view.setUint32(4, STALE_NAN_HIGH_WORD, true);
    } else {
      view.setFloat64(0, value, true);
    }
    for (let index = 0; index < 8; index += 1) this.chunks.push(view.getUint8(index));
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }

  private tag(field: number, wireType: number): void {
    this.raw(field * 8 + wireType);
  }

  // Unsigned varint; timestamps are positive and below 2^53, so number arithmetic is exact.
  private raw(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.chunks.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.chunks.push(rest);
  }
}

/** Snappy block format made only of literals: valid, uncompressed, and enough for loopback. */
function snappyLiterals(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  let length = input.length;
  while (length >= 0x80) {
    out.push((length % 0x80) | 0x80);
    length = Math.floor(length / 0x80);
  }
  out.push(length);
  const chunkSize = 0x10000;
  for (let start = 0; start < input.length; start += chunkSize) {
    const chunk = input.subarray(start, Math.min(start + chunkSize, input.length));
    const lengthMinusOne = chunk.length - 1;
    if (lengthMinusOne < 60) {
      out.push(lengthMinusOne << 2);
    } else if (lengthMinusOne < 0x100) {
      out.push(60 << 2, lengthMinusOne);
    } else {
      out.push(61 << 2, lengthMinusOne & 0xff, lengthMinusOne >> 8);
    }
    for (const byte of chunk) out.push(byte);
  }
  return Uint8Array.from(out);
}
