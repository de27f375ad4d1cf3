export type ClaimStage = "claim" | "download" | "finish" | "restore";

export interface ClaimErrorDetails {
  stage: ClaimStage;
  /** The file's path in its folder before it was claimed. */
  file: string;
  /** Its path in the claim folder while claimed. */
  claimedPath?: string;
  /** Where the file is on the server now. */
  location: string;
  /** Whether the file is back (or was never taken) in its folder, where the next run will find it. */
  inPlace: boolean;
}

/**
 * A remote file could not be claimed, downloaded, finished or moved back. It names the file and says where it
 * is now on the server; the cause is the TransferError underneath.
 */
export class ClaimError extends Error {
  override readonly name = "ClaimError";
  readonly code = "ECLAIM";
  readonly stage: ClaimStage;
  readonly file: string;
  readonly claimedPath: string | undefined;
  readonly location: string;
  readonly inPlace: boolean;

  constructor(details: ClaimErrorDetails, message: string, options?: ErrorOptions) {
    super(message, options);
    this.stage = details.stage;
    this.file = details.file;
    this.claimedPath = details.claimedPath;
    this.location = details.location;
    this.inPlace = details.inPlace;
  }
}
