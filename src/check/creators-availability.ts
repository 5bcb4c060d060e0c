/**
 * Whether a Creators API item says the product cannot be bought now, from the
 * resource `offersV2.listings.availability` (official Creators API SDK:
 * OfferListingV2.availability → OfferAvailabilityV2 { type, message,
 * maxOrderQuantity, minOrderQuantity }). Amazon's OffersV2 reference gives
 * `type` these values: AVAILABLE_DATE, IN_STOCK, IN_STOCK_SCARCE, LEADTIME,
 * OUT_OF_STOCK, PREORDER, UNAVAILABLE, UNKNOWN. Only OUT_OF_STOCK and
 * UNAVAILABLE say the product cannot be bought; a pre-order, a future date or a
 * lead time can be ordered, like the page checker's pre-order page.
 *
 * No listings is not "unavailable": Amazon documents items without offers
 * that are for sale all the same (variation parents), so absence says nothing.
 * One buyable listing makes the product available.
 */
/** The resource to request for it (GetItemsResource.OFFERS_V2_LISTINGS_AVAILABILITY). */
export const AVAILABILITY_RESOURCE = "offersV2.listings.availability";

const UNAVAILABLE_TYPES = new Set(["OUT_OF_STOCK", "UNAVAILABLE"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Amazon's availability when every listing that states a type says the product cannot be bought; undefined otherwise. */
export function unavailableListing(item: Record<string, unknown>): { type: string; message: unknown } | undefined {
  const offers = item.offersV2;
  const listings = isObject(offers) && Array.isArray(offers.listings) ? offers.listings : [];
  const stated = listings
    .map((listing) => (isObject(listing) && isObject(listing.availability) ? listing.availability : undefined))
    .filter((availability) => availability !== undefined && typeof availability.type === "string" && availability.type !== "");
  if (stated.length === 0) return undefined;
  const first = stated.find((availability) => UNAVAILABLE_TYPES.has(String(availability!.type).toUpperCase()));
  if (!first || stated.some((availability) => !UNAVAILABLE_TYPES.has(String(availability!.type).toUpperCase()))) return undefined;
  return { type: String(first.type), message: first.message };
}
