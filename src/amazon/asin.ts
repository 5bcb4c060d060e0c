/** ASIN shape checks. No I/O. */

const BOOK_ASIN = /^\d{9}[\dX]$/;
const PRODUCT_ASIN = /^B[0-9A-Z]{9}$/;

/** True for an ISBN-10 whose check digit is right (`013518939X`). */
export function isValidIsbn10(value: string): boolean {
  if (!BOOK_ASIN.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const ch = value.charCodeAt(i);
    const digit = ch === 88 /* X */ ? 10 : ch - 48;
    sum += digit * (10 - i);
  }
  return sum % 11 === 0;
}

/** A well-formed ASIN: `B` + 9 upper-case alphanumerics, or an ISBN-10 with a valid check digit. */
export function isValidAsin(value: string): boolean {
  return PRODUCT_ASIN.test(value) || isValidIsbn10(value);
}

/** Why an ASIN is malformed, for messages; undefined when it is fine. */
export function asinProblem(value: string): string | undefined {
  if (isValidAsin(value)) return undefined;
  if (value.length !== 10) return `has ${value.length} characters, an ASIN has 10`;
  if (BOOK_ASIN.test(value)) return "looks like an ISBN-10 but its check digit is wrong";
  if (!/^[0-9A-Z]+$/.test(value)) return "contains characters an ASIN never has";
  return "is neither B + 9 letters/digits nor an ISBN-10";
}
