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

/**
 * The claim folder is not a folder inside the remote folder. An absolute or `..` path would be shared with
 * other folders (other institutions, items and requests), and putting back stale claims would then move their
 * files into this one.
 */
export class ClaimFolderError extends Error {
  override readonly name = "ClaimFolderError";
  readonly code = "ECLAIMFOLDER";

  constructor(
    readonly claimFolder: string,
    readonly remoteDir: string,
  ) {
    super(
      `claim_folder ${JSON.stringify(claimFolder)} must be a folder inside the remote folder ${remoteDir}, ` +
        `such as "OLD": an absolute or ".." path would be shared with other folders, whose claimed files ` +
        `would then be put back here`,
    );
  }
}
