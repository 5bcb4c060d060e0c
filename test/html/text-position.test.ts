import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineStartsOf, positionAt, positionsOf } from "../../src/html/text-position.js";

describe("text positions", () => {
  it("positionsOf (one pass, any order) agrees with positionAt for every offset", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "b", "\n", "\r") }), fc.array(fc.nat()), (text, raw) => {
        const offsets = raw.map((n) => (text.length ? n % (text.length + 1) : 0));
        const starts = lineStartsOf(text);
        expect(positionsOf(text, offsets)).toEqual(offsets.map((o) => positionAt(starts, o)));
      }),
      { numRuns: 500 },
    );
  });

  it("counts lines and columns from 1", () => {
    expect(positionsOf("ab\ncd\n\nx", [0, 4, 7, 8])).toEqual([
      { line: 1, column: 1 },
      { line: 2, column: 2 },
      { line: 4, column: 1 },
      { line: 4, column: 2 },
    ]);
  });
});
