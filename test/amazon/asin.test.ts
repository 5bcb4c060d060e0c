import { describe, expect, it } from "vitest";
import { asinProblem, isValidAsin, isValidIsbn10 } from "../../src/amazon/asin.js";

// [value, valid ASIN, valid ISBN-10, problem contains]
const table: ReadonlyArray<readonly [string, boolean, boolean, string | undefined]> = [
  ["B08N5WRWNW", true, false, undefined],
  ["B000000000", true, false, undefined],
  ["BZZZZZZZZZ", true, false, undefined],
  ["B0C1H26C46", true, false, undefined],
  ["0596517742", true, true, undefined],
  ["013518939X", true, true, undefined],
  ["0306406152", true, true, undefined],
  ["080442957X", true, true, undefined],
  ["0000000000", true, true, undefined],
  ["0596517743", false, false, "check digit"],
  ["0135189390", false, false, "check digit"],
  ["1234567890", false, false, "check digit"],
  ["013518939x", false, false, "characters"], // ASINs are upper case; parse upper-cases
  ["b08n5wrwnw", false, false, "characters"],
  ["B08N5WRWN", false, false, "9 characters"],
  ["B08N5WRWNWX", false, false, "11 characters"],
  ["", false, false, "0 characters"],
  ["A08N5WRWNW", false, false, "neither"],
  ["X123456789", false, false, "neither"],
  ["01351893X9", false, false, "neither"],
  ["B08N5-RWNW", false, false, "characters"],
  ["B08N5WRWN\u00c9", false, false, "characters"],
  ["9780596517748", false, false, "13 characters"],
];

describe("ASIN validation", () => {
  it.each(table)("%s", (value, valid, isbn, problem) => {
    expect(isValidAsin(value)).toBe(valid);
    expect(isValidIsbn10(value)).toBe(isbn);
    if (problem === undefined) expect(asinProblem(value)).toBeUndefined();
    else expect(asinProblem(value)).toContain(problem);
  });

  it("accepts exactly one check digit per 9-digit ISBN stem", () => {
    for (const stem of ["059651774", "013518939", "030640615", "123456789", "000000000", "999999999"]) {
      const valid = "0123456789X".split("").filter((d) => isValidIsbn10(stem + d));
      expect(valid).toHaveLength(1);
    }
  });
});
