import { zipEntry } from './zip.js';

/** Text of an XML file: UTF-16 when it starts with a byte-order mark (or with `<` and a zero byte), else UTF-8. */
export function xmlText(bytes: Uint8Array): string {
  const le = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0x3c && bytes[1] === 0x00);
  const be = (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0x00 && bytes[1] === 0x3c);
  const text = new TextDecoder(le ? 'utf-16le' : be ? 'utf-16be' : 'utf-8').decode(bytes);
  // The text is a JavaScript string now: a UTF-16 declaration would mislead the next parser.
  return text.replace(/^\uFEFF/, '').replace(/^(<\?xml[^>]*encoding=["'])utf-16(["'])/i, '$1UTF-8$2');
}

/**
 * The MusicXML text of a score file: a compressed `.mxl` (the root file its `META-INF/container.xml`
 * names, else its first `.xml`) or a plain MusicXML file, in UTF-8 or UTF-16.
 */
export function musicXmlText(bytes: Uint8Array): string {
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) return xmlText(bytes); // not "PK": not a zip
  const container = zipEntry(bytes, 'META-INF/container.xml');
  const root = container && /full-path="([^"]+)"/.exec(xmlText(container))?.[1];
  const entry = root ? zipEntry(bytes, root) : undefined;
  if (!entry) throw new Error('the .mxl archive names no MusicXML root file');
  return xmlText(entry);
}
