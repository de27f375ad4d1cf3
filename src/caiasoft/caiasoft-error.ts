/** CaiaSoft could not be reached, or answered with an HTTP error, after every retry. */
export class CaiasoftHttpError extends Error {
  override readonly name = "CaiasoftHttpError";
  readonly code = "ECAIASOFT_HTTP";
  constructor(
    message: string,
    /** `POST /incomingitems/v1` (never the key). */
    readonly call: string,
    readonly status: number | undefined,
    readonly body: string | undefined,
    readonly attempts: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** CaiaSoft answered 2xx, but with a body that is not the JSON outcome the endpoint documents. */
export class CaiasoftResponseError extends Error {
  override readonly name = "CaiasoftResponseError";
  readonly code = "ECAIASOFT_RESPONSE";
  constructor(
    message: string,
    /** Where the body was saved before it was read, when it was. */
    readonly savedAs?: string,
  ) {
    super(message);
  }
}

/** CaiaSoft answered a batch `success:false`, accepting no item and naming none: the batch is still to be sent. */
export class CaiasoftBatchRefusedError extends Error {
  override readonly name = "CaiasoftBatchRefusedError";
  readonly code = "ECAIASOFT_REFUSED";
  constructor(
    message: string,
    /** `POST /incomingitems/v1`. */
    readonly call: string,
    /** CaiaSoft's `error`, possibly empty. */
    readonly caiasoftError: string,
    /** Where the answer was saved. */
    readonly savedAs: string,
  ) {
    super(message);
  }
}
