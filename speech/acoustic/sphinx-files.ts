/**
 * Two Sphinx parameter formats the adaptation needs and no Debian tool converts between: the
 * pocketsphinx `sendump` (mixture weights quantised to bytes, the only form Debian ships) and the
 * SphinxTrain `mixture_weights` file (float32) that `bw` and `map_adapt` read. `mk_s2sendump`
 * writes the adapted weights back as a sendump.
 */

/** Mixture weights, [senone][stream][density] flattened. */
export interface MixtureWeights {
  readonly senones: number;
  readonly streams: number;
  readonly densities: number;
  readonly weights: Float32Array;
}

/** The log base and shift of pocketsphinx's quantised weights (mk_s2sendump -pocketsphinx yes). */
const LOG_BASE = 1.0001;
const DEFAULT_SHIFT = 10;

/**
 * Reads a sendump: length-prefixed header strings up to a zero length, then (unclustered) the
 * density and senone counts and, per stream and density, one byte per senone: -log_1.0001(w) >> shift.
 */
export function readSendump(buffer: Buffer, name = 'sendump'): MixtureWeights {
  let offset = 0;
  const int32 = (): number => {
    if (offset + 4 > buffer.length) throw new Error(`${name}: truncated at byte ${offset}`);
    const value = buffer.readInt32LE(offset);
    offset += 4;
    return value;
  };
  const header: Record<string, number> = {};
  for (;;) {
    const length = int32();
    if (length === 0) break;
    if (length < 0 || length > 1000 || offset + length > buffer.length) throw new Error(`${name}: bad header string length ${length} at byte ${offset - 4}`);
    const text = buffer.toString('latin1', offset, offset + length).replace(/\0$/, '');
    offset += length;
    const field = /^(\w+) (\d+)$/.exec(text);
    if (field) header[field[1]] = Number(field[2]);
  }
  if ((header.cluster_count ?? 0) !== 0) throw new Error(`${name}: clustered sendump (cluster_count ${header.cluster_count}) is not supported`);
  const streams = header.feature_count;
  if (!(streams > 0)) throw new Error(`${name}: no feature_count in the header`);
  const shift = header.mixw_shift ?? DEFAULT_SHIFT;
  const densities = int32();
  const senones = int32();
  if (offset + streams * densities * senones !== buffer.length) {
    throw new Error(`${name}: ${buffer.length - offset} bytes of weights for ${streams} x ${densities} x ${senones}`);
  }
  const weights = new Float32Array(senones * streams * densities);
  for (let f = 0; f < streams; f++) {
    for (let d = 0; d < densities; d++) {
      for (let s = 0; s < senones; s++) weights[(s * streams + f) * densities + d] = Math.pow(LOG_BASE, -(buffer[offset++] << shift));
    }
  }
  // Quantisation leaves each mixture summing to about, not exactly, one.
  for (let m = 0; m < senones * streams; m++) {
    const row = weights.subarray(m * densities, (m + 1) * densities);
    const total = row.reduce((a, b) => a + b, 0);
    for (let d = 0; d < densities; d++) row[d] /= total;
  }
  return { senones, streams, densities, weights };
}

/** SphinxTrain's running checksum of 32-bit words (bio.c chksum_accum). */
function checksum(words: Uint32Array, sum: number): number {
  for (let i = 0; i < words.length; i++) sum = (((sum << 20) | (sum >>> 12)) + words[i]) >>> 0;
  return sum;
}

/**
 * A SphinxTrain binary mixture_weights file: "s3" text header padded to 8 bytes, the byte-order
 * word, the three dimensions, the element count, float32 weights and the checksum.
 */
export function writeMixtureWeights(mixture: MixtureWeights): Buffer {
  let header = 's3\nversion 1.0\nchksum0 yes\n';
  const padding = 8 - ((header.length + 'endhdr\n'.length) & 7);
  if (padding !== 8) header += ' '.repeat(padding);
  header += 'endhdr\n';
  const dimensions = Uint32Array.from([mixture.senones, mixture.streams, mixture.densities, mixture.weights.length]);
  const data = new Uint32Array(mixture.weights.buffer, mixture.weights.byteOffset, mixture.weights.length);
  const sum = checksum(data, checksum(dimensions, 0));
  return Buffer.concat([
    Buffer.from(header, 'latin1'),
    Buffer.from(Uint32Array.from([0x11223344]).buffer),
    Buffer.from(dimensions.buffer),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    Buffer.from(Uint32Array.from([sum]).buffer),
  ]);
}
