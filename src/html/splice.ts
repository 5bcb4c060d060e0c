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

/**
 * Where offsets of the source land in the edited text: each moves by the edits that end at or before it
 * (an offset where an edit starts stays where that edit's text starts).
 */
export function shiftOffsets(offsets: readonly number[], edits: readonly TextEdit[]): number[] {
  if (edits.length === 0) return offsets.slice();
  const byEnd = [...edits].sort((a, b) => a.end - b.end);
  const ends = new Array<number>(byEnd.length);
  const shifts = new Array<number>(byEnd.length);
  let shift = 0;
  for (let i = 0; i < byEnd.length; i++) {
    const edit = byEnd[i]!;
    shift += edit.text.length - (edit.end - edit.start);
    ends[i] = edit.end;
    shifts[i] = shift;
  }
  return offsets.map((offset) => {
    // The number of edits that end at or before the offset.
    let low = 0;
    let high = ends.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (ends[middle]! <= offset) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? offset : offset + shifts[low - 1]!;
  });
}
