import { expect } from "chai";
import {
  itemRequestComment,
  madeForSourceRequest,
  sourceRequestTag,
  titleRequestComment,
} from "../../src/jobs/send-requests/comments.js";
import { isTitleLevelBarcode, routeFor } from "../../src/jobs/send-requests/route.js";
import type { SourceRequest } from "../../src/jobs/send-requests/source-request.js";

function request(fields: Partial<SourceRequest>): SourceRequest {
  return {
    requestId: "2400751600006966",
    requestType: "PATRON_PHYSICAL",
    patron: {},
    position: { index: 1, line: 1, column: 1 },
    ...fields,
  };
}

describe("routing a source request (seed 001 §7.3)", () => {
  const cases: [string, Partial<SourceRequest>, string][] = [
    ["a physical request with a barcode", { barcode: "31236016575915" }, "item hold"],
    ["a HOLD with a barcode", { requestType: "HOLD", barcode: "31236016575915" }, "item hold"],
    [
      "a patron digitization with a barcode",
      { requestType: "PHYSICAL_TO_DIGITIZATION", barcode: "31236016575915" },
      "patron digitization (item)",
    ],
    [
      "a staff digitization with a barcode",
      { requestType: "STAFF_PHYSICAL_DIGITIZATION", barcode: "31236016575915" },
      "staff digitization (item)",
    ],
    [
      "a resource-sharing P2D shipment with a barcode",
      { requestType: "RESOURCE_SHARING_P2D_SHIPMENT", barcode: "31236016575915" },
      "staff digitization (item)",
    ],
    ["a physical request whose barcode has a space", { barcode: "v.1 1998" }, "title hold"],
    ["a physical request whose barcode has a colon", { barcode: "v.1:1998" }, "title hold"],
    ["a physical request without a barcode", {}, "title hold"],
    [
      "a patron digitization at title level with the patron's identifier",
      { requestType: "PHYSICAL_TO_DIGITIZATION", barcode: "v.2 : 1998", patron: { identifier: "P1" } },
      "patron digitization (title)",
    ],
    [
      "a patron digitization at title level without the patron's identifier",
      { requestType: "PHYSICAL_TO_DIGITIZATION", barcode: "v.2 : 1998" },
      "title hold",
    ],
    [
      "a staff digitization at title level",
      { requestType: "STAFF_PHYSICAL_DIGITIZATION", barcode: "v.2 : 1998" },
      "staff digitization (title)",
    ],
    [
      "a resource-sharing P2D shipment without a barcode",
      { requestType: "RESOURCE_SHARING_P2D_SHIPMENT" },
      "staff digitization (title)",
    ],
    [
      "a patron digitization without a barcode",
      { requestType: "PHYSICAL_TO_DIGITIZATION", patron: { identifier: "P1" } },
      "patron digitization (title)",
    ],
  ];
  for (const [what, fields, route] of cases) {
    it(`sends ${what} to the ${route} route`, () => {
      expect(routeFor(request(fields))).to.equal(route);
    });
  }

  it("calls a barcode title-level when it has a space or a colon, and only then", () => {
    expect(["a b", "a:b", "31236016575915", "ABC-1"].map(isTitleLevelBarcode)).to.deep.equal([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe("the comments of SCF requests", () => {
  const jane = {
    name: "Doe, Jane",
    identifier: "12345678901234",
    email: "jane@example.edu",
    address: "1 Main St",
  };

  it("writes the item-level comment of the reference format", () => {
    expect(itemRequestComment(request({ requestNote: "Please handle with care", patron: jane }))).to.equal(
      "Please handle with care Patron: Doe, Jane, 12345678901234, jane@example.edu, 1 Main St || " +
        "request type: PATRON_PHYSICAL || Internal identifier: 2400751600006966",
    );
  });

  it("leaves out a missing note, missing patron fields and a missing patron", () => {
    expect(itemRequestComment(request({ patron: { identifier: "12345678901234" } }))).to.equal(
      "Patron: 12345678901234 || request type: PATRON_PHYSICAL || Internal identifier: 2400751600006966",
    );
    expect(itemRequestComment(request({ requestType: "STAFF_PHYSICAL_DIGITIZATION" }))).to.equal(
      "request type: STAFF_PHYSICAL_DIGITIZATION || Internal identifier: 2400751600006966",
    );
  });

  it("writes the title-level comment ending with the source request tag", () => {
    expect(
      titleRequestComment(request({ requestNote: "Rush", patron: jane }), {
        sourceInstitution: "01AAA_AB",
        userPrimaryId: "jdoe-01",
        manualDescription: "v.3 1999",
      }),
    ).to.equal(
      "Rush The inventory for this request should come from 01AAA_AB v.3 1999 || " +
        "Patron: Doe, Jane, 12345678901234, jane@example.edu, 1 Main St || request type: PATRON_PHYSICAL || " +
        "Internal identifier: 2400751600006966 {Source Request 01AAA_AB-2400751600006966-jdoe-01}",
    );
  });

  it("uses the source request's own comment when the export has no note", () => {
    expect(
      titleRequestComment(request({}), {
        sourceInstitution: "01AAA_AB",
        userPrimaryId: "u1",
        sourceComment: "From the patron",
      }),
    ).to.equal(
      "From the patron The inventory for this request should come from 01AAA_AB || request type: PATRON_PHYSICAL || " +
        "Internal identifier: 2400751600006966 {Source Request 01AAA_AB-2400751600006966-u1}",
    );
  });

  it("writes the tag that cancel-request parses: institution, request id, then a user id that may hold dashes", () => {
    expect(sourceRequestTag("01AAA_AB", "24007", "a-b-c")).to.equal("{Source Request 01AAA_AB-24007-a-b-c}");
  });

  it("recognises a request made for the same source request, and not one made for another", () => {
    const item = itemRequestComment(request({ patron: jane }));
    const title = titleRequestComment(request({}), { sourceInstitution: "01AAA_AB", userPrimaryId: "u1" });
    expect(madeForSourceRequest(item, "01AAA_AB", "2400751600006966")).to.equal(true);
    expect(madeForSourceRequest(title, "01AAA_AB", "2400751600006966")).to.equal(true);
    expect(madeForSourceRequest(item, "01AAA_AB", "240075160000696")).to.equal(false);
    expect(madeForSourceRequest(item, "01AAA_AB", "24007516000069661")).to.equal(false);
    expect(madeForSourceRequest("Please rush", "01AAA_AB", "2400751600006966")).to.equal(false);
    expect(madeForSourceRequest(undefined, "01AAA_AB", "2400751600006966")).to.equal(false);
    expect(
      madeForSourceRequest("{Source Request 01AAA_AB-2400751600006966-u1}", "01AAA_AB", "2400751600006966"),
    ).to.equal(true);
    expect(
      madeForSourceRequest("{Source Request 01AAA_CD-2400751600006966-u1}", "01AAA_AB", "2400751600006966"),
    ).to.equal(false);
  });
});
