/**
 * The cheap question asked of every built page: could it hold an Amazon link?
 * A false positive costs one parse; a false negative would ship a link
 * untouched, so the pattern errs wide (any amazon./amzn./a.co/ text).
 */
const MAY_HAVE_AMAZON = /amazon\.|amzn\.|a\.co\//i;

export function mayContainAmazonLink(text: string): boolean {
  return MAY_HAVE_AMAZON.test(text);
}
