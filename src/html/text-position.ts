/** Offsets in a text → 1-based line and column, for locations in reports. */

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of an offset. */
export function positionAt(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] as number) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (lineStarts[low] as number) + 1 };
}

/** 1-based positions of many offsets in one pass over the text (offsets in any order). */
export function positionsOf(text: string, offsets: readonly number[]): Array<{ line: number; column: number }> {
  // Offsets usually come in document order: then they are their own order, with no pairs to sort.
  let sorted = true;
  for (let i = 1; i < offsets.length && sorted; i++) sorted = offsets[i - 1]! <= offsets[i]!;
  const order: ReadonlyArray<{ offset: number; index: number }> | undefined = sorted
    ? undefined
    : offsets.map((offset, index) => ({ offset, index })).sort((a, b) => a.offset - b.offset);
  const out = new Array<{ line: number; column: number }>(offsets.length);
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  for (let k = 0; k < offsets.length; k++) {
    const index = order ? order[k]!.index : k;
    const offset = offsets[index]!;
    for (let nl = text.indexOf("\n", scanned); nl !== -1 && nl < offset; nl = text.indexOf("\n", nl + 1)) {
      line++;
      lineStart = nl + 1;
      scanned = nl + 1;
    }
    scanned = Math.max(scanned, lineStart);
    out[index] = { line, column: offset - lineStart + 1 };
  }
  return out;
}
