/**
 * SoundCloud's `tag_list`: tags separated by spaces, multi-word tags in double quotes, and machine tags
 * (`namespace:key=value`) that SoundCloud keeps but does not show on the track page.
 */

/** The machine tag that marks the track made for one share request, so a retry can find it. */
export function shareMarker(shareId: string): string {
  return `continuo:share=${shareId}`;
}

/** Joins tags: trims them, drops empty ones and duplicates, quotes those with spaces (quotes inside cannot be escaped, so they go). */
export function formatTagList(tags: readonly string[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.replace(/["“”]/g, '').replace(/\s+/g, ' ').trim();
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag.includes(' ') ? `"${tag}"` : tag);
  }
  return out.join(' ');
}

/** Splits a tag list back into tags (the inverse of `formatTagList`). */
export function parseTagList(tagList: string): string[] {
  const tags: string[] = [];
  for (const match of tagList.matchAll(/["“]([^"”]*)["”]|(\S+)/g)) {
    const tag = (match[1] ?? match[2] ?? '').trim();
    if (tag) tags.push(tag);
  }
  return tags;
}
