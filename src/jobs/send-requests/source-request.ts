/** The namespace of Alma's remote-storage request export (`xb:` in Alma's files, any prefix accepted). */
export const RS_EXPORT_NAMESPACE = "http://com/exlibris/urm/rep/externalsysremotestorage/xmlbeans";

/** Alma's request types that mean "digitize", not "send the item". */
export const PATRON_DIGITIZATION = "PHYSICAL_TO_DIGITIZATION";
export const STAFF_DIGITIZATION_TYPES: readonly string[] = [
  "STAFF_PHYSICAL_DIGITIZATION",
  "RESOURCE_SHARING_P2D_SHIPMENT",
];

/** Who asked: names, emails and addresses go into the SCF request comment, and into logs at debug only. */
export interface PatronInfo {
  name?: string;
  identifier?: string;
  email?: string;
  address?: string;
}

/** Where an `rsExport` sits in its file, for messages a person can follow. */
export interface ExportPosition {
  /** 1-based rank of the `rsExport` in the file. */
  index: number;
  line: number;
  column: number;
}

/** One `rsExport` of a remote-storage request export: a request made in a member institution. */
export interface SourceRequest {
  requestId: string;
  requestType: string;
  barcode?: string;
  mmsId?: string;
  itemId?: string;
  description?: string;
  /** The pickup institution (`xb:institutionCode`); absent means the exporting institution. */
  institutionCode?: string;
  /** `xb:pickup/xb:library`: a library **name**, not a code. */
  pickupLibraryName?: string;
  libraryCode?: string;
  patron: PatronInfo;
  requestNote?: string;
  position: ExportPosition;
}

/** An `rsExport` that cannot be processed: reported, the others go on. */
export interface InvalidExport {
  position: ExportPosition;
  /** The request id when it was there, so the report names the request. */
  requestId?: string;
  /** The barcode when it was there, for the report's Barcode column. */
  barcode?: string;
  problems: string[];
}

export type ExportEntry =
  { kind: "request"; request: SourceRequest } | { kind: "invalid"; invalid: InvalidExport };

/** `rsExport #3 (line 12, column 3)`. */
export function describePosition(position: ExportPosition): string {
  return `rsExport #${position.index} (line ${position.line}, column ${position.column})`;
}
