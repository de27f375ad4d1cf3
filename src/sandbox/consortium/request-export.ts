/** The namespace of Alma's XML remote-storage request export. */
export const RS_EXPORT_NS = "http://com/exlibris/urm/rep/externalsysremotestorage/xmlbeans";

/** One `xb:rsExport`: what Alma's remote-storage integration profile writes for one request. */
export interface ExportedRequest {
  requestType: string;
  requestId: string;
  /** Absent for a title-level request. */
  barcode?: string;
  mmsId?: string;
  description?: string;
  institutionCode?: string;
  /** The pickup library's name (`xb:pickup/xb:library`). */
  pickupLibrary?: string;
  libraryCode?: string;
  patron?: { name: string; identifier: string; email?: string; address?: string };
  requestNote?: string;
}

const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** An `xb:rsExportList` file, indented like Alma's own exports. */
export function requestExportXml(requests: readonly ExportedRequest[]): string {
  const element = (depth: number, name: string, value: string | undefined) =>
    value === undefined ? "" : `${"  ".repeat(depth)}<xb:${name}>${escape(value)}</xb:${name}>\n`;
  const body = requests
    .map((request) => {
      const patron = request.patron
        ? "    <xb:patronInfo>\n" +
          element(3, "patronName", request.patron.name) +
          element(3, "patronIdentifier", request.patron.identifier) +
          element(3, "patronEmail", request.patron.email) +
          element(3, "patronAddress", request.patron.address) +
          "    </xb:patronInfo>\n"
        : "";
      const pickup = request.pickupLibrary
        ? `    <xb:pickup>\n${element(3, "library", request.pickupLibrary)}    </xb:pickup>\n`
        : "";
      return (
        "  <xb:rsExport>\n" +
        element(2, "requestType", request.requestType) +
        element(2, "requestId", request.requestId) +
        pickup +
        element(2, "barcode", request.barcode) +
        element(2, "mmsId", request.mmsId) +
        element(2, "description", request.description) +
        element(2, "institutionCode", request.institutionCode) +
        patron +
        element(2, "libraryCode", request.libraryCode) +
        element(2, "requestNote", request.requestNote) +
        "  </xb:rsExport>\n"
      );
    })
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xb:rsExportList xmlns:xb="${RS_EXPORT_NS}">\n${body}</xb:rsExportList>\n`;
}
