/**
 * A Uint8Array of exactly these bytes. Small Buffers share Node's pool, so handing one out as is would
 * let `data.buffer` reach unrelated memory; those are copied, large ones are handed out as a view.
 */
export function exactBytes(buffer: Buffer): Uint8Array {
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.byteLength) {
    return new Uint8Array(buffer.buffer, 0, buffer.byteLength);
  }
  return new Uint8Array(buffer);
}
