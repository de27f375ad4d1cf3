/**
 * The error codes the simulator answers with. Numeric ones are taken from Ex Libris' API documentation where
 * it lists them; the few marked "illustrative" are plausible codes the documentation does not pin down.
 */
export const ErrorCodes = {
  unauthorized: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  generalError: "GENERAL_ERROR",
  routingError: "ROUTING_ERROR",
  perSecondThreshold: "PER_SECOND_THRESHOLD",
  dailyThreshold: "DAILY_THRESHOLD",
  requestTooLarge: "REQUEST_TOO_LARGE",
  /** No route for this method and path (illustrative). */
  unknownResource: "UNKNOWN_RESOURCE",

  /** General Error - An error has occurred while processing the request. */
  general: "401652",
  /** X parameter is not valid. */
  parameterNotValid: "401666",
  /** Input parameter X (Y) is not numeric. */
  notNumeric: "402205",
  /** No items found for barcode X. */
  noItemForBarcode: "401689",
  /** No item found for mms id, holding id and item pid (illustrative). */
  itemNotFound: "401690",
  /** Bib ID not valid. */
  bibNotValid: "402203",
  /** Holding ID not valid. */
  holdingNotValid: "60213",
  /** User with identifier X was not found. */
  userNotFound: "401861",
  /** User with identifier X of type Y was not found. */
  userOfTypeNotFound: "401890",
  /** Failed to find a request for the given request ID. */
  requestNotFound: "401907",
  /** Failed to save the request: Patron has active request for selected item. */
  duplicateRequest: "401136",
  /** No items can fulfill the submitted request. */
  noItemsCanFulfill: "401129",
  /** Pickup circulation desk with code X and library code Y was not found. */
  circDeskNotFound: "401895",
  /** User does not have address for personal delivery. */
  noPersonalAddress: "60309",
  /** Item is already on loan (illustrative). */
  itemAlreadyLoaned: "401153",
  /** Item cannot be withdrawn: it has an active loan or request; pass override=true (illustrative). */
  itemHasActivity: "401875",
  /** Barcode is already used by another item (illustrative). */
  barcodeExists: "401873",
  /** Library code is not valid (illustrative). */
  libraryNotValid: "402262",
  /** Location code is not valid for the library (illustrative). */
  locationNotValid: "402263",
  /** The Network Zone record is unknown or already linked (illustrative). */
  networkRecordNotValid: "402212",
  /** The body could not be parsed (illustrative). */
  invalidBody: "402204",
  /** Set not found (illustrative). */
  setNotFound: "402460",
  /** Job not found (illustrative). */
  jobNotFound: "402461",
  /** The user is not a linked user; cannot refresh (illustrative). */
  notLinkedUser: "401863",
} as const;
