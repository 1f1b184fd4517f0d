/**
 * ffmpeg writing WAV to a pipe cannot seek back, so it leaves the RIFF and `data` sizes at 0xFFFFFFFF
 * ("until the end of the stream"). Many readers accept that; some do not. Once the total length is known
 * the real sizes can be written: `header` is the start of the file (the first few hundred bytes do),
 * `totalBytes` the whole file's length; a patched copy of the header is returned.
 */
export function patchWavSizes(header: Uint8Array, totalBytes: number): Uint8Array {
  const out = new Uint8Array(header);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const tag = (at: number) => String.fromCharCode(...out.subarray(at, at + 4));
  if (out.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return out;
  view.setUint32(4, totalBytes - 8, true);
  for (let at = 12; at + 8 <= out.length; ) {
    const size = view.getUint32(at + 4, true);
    if (tag(at) === 'data') {
      view.setUint32(at + 4, totalBytes - at - 8, true);
      break;
    }
    at += 8 + size + (size % 2);
  }
  return out;
}

/** A whole WAV file with its sizes written in. */
export function withWavSizes(wav: Uint8Array): Uint8Array {
  return patchWavSizes(wav, wav.length);
}
