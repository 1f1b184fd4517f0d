import { inflateRawSync } from 'node:zlib';

/**
 * Just enough of zip and of the Excel sheet format to read a data set's index table (POP909's
 * `index.xlsx`): no dependency for one small file.
 */

/** One file of a zip archive, or undefined when the archive does not hold it. */
export function zipEntry(zip: Uint8Array, name: string): Uint8Array | undefined {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) return undefined;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  for (let i = 0; i < count && view.getUint32(at, true) === 0x02014b50; i++) {
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    if (decoder.decode(zip.subarray(at + 46, at + 46 + nameLength)) === name) {
      const data = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const raw = zip.subarray(data, data + size);
      return method === 0 ? raw : method === 8 ? new Uint8Array(inflateRawSync(raw)) : undefined;
    }
    at += 46 + skip;
  }
  return undefined;
}

const unescape = (text: string) =>
  text.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/**
 * The first sheet of a workbook as rows of cell texts keyed by the header row's texts. Inline and
 * shared strings and plain values are read; formulas, dates and styles are not interpreted.
 */
export function sheetRows(xlsx: Uint8Array): Record<string, string>[] {
  const text = (name: string) => {
    const entry = zipEntry(xlsx, name);
    return entry ? new TextDecoder().decode(entry) : '';
  };
  const shared = [...text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    unescape([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')),
  );
  const rows = [...text('xl/worksheets/sheet1.xml').matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)].map((row) => {
    const cells = new Map<string, string>();
    for (const cell of row[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const column = /r="([A-Z]+)/.exec(cell[1])?.[1];
      const body = cell[2] ?? '';
      const value = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      const inline = [...body.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('');
      const content = /t="s"/.test(cell[1]) && value !== undefined ? shared[Number(value)] ?? '' : unescape(value ?? inline);
      if (column) cells.set(column, content);
    }
    return cells;
  });
  const [header, ...body] = rows;
  if (!header) return [];
  return body.map((cells) => Object.fromEntries([...header].map(([column, key]) => [key, cells.get(column) ?? ''])));
}
