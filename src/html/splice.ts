/** Apply non-overlapping text edits to a string in one pass. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export function applyEdits(source: string, edits: TextEdit[]): string {
  if (edits.length === 0) return source;
  // Edits are usually planned in document order: sort (a copy) only when they are not.
  let inOrder = true;
  for (let i = 1; i < edits.length && inOrder; i++) {
    const a = edits[i - 1]!;
    const b = edits[i]!;
    inOrder = a.start < b.start || (a.start === b.start && a.end <= b.end);
  }
  const sorted = inOrder ? edits : [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = "";
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error(`amazon-links: overlapping edits at offset ${edit.start}`);
    out += source.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + source.slice(cursor);
}
