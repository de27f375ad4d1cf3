import { expect } from "chai";
import { parseErrorBody } from "../../src/alma/error-body.js";
import { AlmaError } from "../../src/alma/errors.js";
import { ERROR_JSON_SAMPLE, ERROR_XML_SAMPLE } from "./fixtures/reference-samples.js";

const context = { institution: "01AAA_AB", method: "GET", path: "/almaws/v1/users/X", retries: 0 };

describe("Alma error bodies", () => {
  it("reads the reference's JSON error sample verbatim", () => {
    const parsed = parseErrorBody(ERROR_JSON_SAMPLE);
    expect(parsed).to.deep.equal({
      hasErrorList: true,
      errors: [
        { errorCode: "401861", errorMessage: "User with identifier X was not found.", trackingId: "E01-…" },
      ],
    });
  });

  it("reads the reference's XML error sample verbatim", () => {
    expect(parseErrorBody(ERROR_XML_SAMPLE)).to.deep.equal({
      hasErrorList: true,
      errors: [{ errorCode: "…", errorMessage: "…", trackingId: "…" }],
    });
  });

  it("reads an XML error with a declaration, a prefix, entities and several errors", () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<ws:web_service_result xmlns:ws="http://com/exlibris/urm/general/xmlbeans"><ws:errorsExist>true</ws:errorsExist>' +
      "<ws:errorList><ws:error><ws:errorCode>PER_SECOND_THRESHOLD</ws:errorCode>" +
      "<ws:errorMessage>Calls &amp; more calls &lt;25/s&gt;</ws:errorMessage></ws:error>" +
      "<ws:error><ws:errorCode>402203</ws:errorCode><ws:errorMessage><![CDATA[Bib ID <x>]]></ws:errorMessage>" +
      "<ws:trackingId>E01-2</ws:trackingId></ws:error></ws:errorList></ws:web_service_result>";
    expect(parseErrorBody(xml).errors).to.deep.equal([
      { errorCode: "PER_SECOND_THRESHOLD", errorMessage: "Calls & more calls <25/s>" },
      { errorCode: "402203", errorMessage: "Bib ID <x>", trackingId: "E01-2" },
    ]);
  });

  it("reads JSON wrapped in web_service_result with a single error object", () => {
    const body = JSON.stringify({
      web_service_result: {
        errorsExist: true,
        errorList: {
          error: { errorCode: "UNAUTHORIZED", errorMessage: "API-key not defined", trackingId: "E01-9" },
        },
      },
    });
    expect(parseErrorBody(body)).to.deep.equal({
      hasErrorList: true,
      errors: [{ errorCode: "UNAUTHORIZED", errorMessage: "API-key not defined", trackingId: "E01-9" }],
    });
  });

  it("gives no entries for an HTML page, an empty body or broken JSON", () => {
    for (const body of ["<html><body>Bad gateway</body></html>", "", "{not json", "Service Unavailable"]) {
      expect(parseErrorBody(body).errors, body).to.deep.equal([]);
    }
    expect(parseErrorBody("<html><body>Bad gateway</body></html>").hasErrorList).to.equal(false);
  });

  it("says 'not found' for a 400 with an error list and for a 404, not for other answers", () => {
    const sample = parseErrorBody(ERROR_JSON_SAMPLE);
    expect(new AlmaError(400, context, sample.errors, true).isNotFound).to.equal(true);
    expect(new AlmaError(404, context, [], false).isNotFound).to.equal(true);
    expect(new AlmaError(400, context, [], false).isNotFound).to.equal(false);
    expect(new AlmaError(401, context, sample.errors, true).isNotFound).to.equal(false);
    expect(new AlmaError(500, context, sample.errors, true).isNotFound).to.equal(false);
  });

  it("names the institution, the call and Alma's answer in the message", () => {
    const error = new AlmaError(400, context, parseErrorBody(ERROR_JSON_SAMPLE).errors, true);
    expect(error.message).to.equal(
      "01AAA_AB: Alma answered 400 to GET /almaws/v1/users/X: 401861 User with identifier X was not found. " +
        "(tracking id E01-…)",
    );
    expect(error).to.include({
      name: "AlmaError",
      code: "EALMA",
      status: 400,
      errorCode: "401861",
      trackingId: "E01-…",
      method: "GET",
      path: "/almaws/v1/users/X",
    });
  });
});
