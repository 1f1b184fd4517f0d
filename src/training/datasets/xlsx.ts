import { zipEntry } from './zip.js';

// Just enough of the Excel sheet format to read a data set's index table (POP909's `index.xlsx`).

export const unescapeXml = (text: string) =>
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
    unescapeXml([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')),
  );
  const rows = [...text('xl/worksheets/sheet1.xml').matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)].map((row) => {
    const cells = new Map<string, string>();
    for (const cell of row[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const column = /r="([A-Z]+)/.exec(cell[1])?.[1];
      const body = cell[2] ?? '';
      const value = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      const inline = [...body.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('');
      const content = /t="s"/.test(cell[1]) && value !== undefined ? shared[Number(value)] ?? '' : unescapeXml(value ?? inline);
      if (column) cells.set(column, content);
    }
    return cells;
  });
  const [header, ...body] = rows;
  if (!header) return [];
  return body.map((cells) => Object.fromEntries([...header].map(([column, key]) => [key, cells.get(column) ?? ''])));
}
