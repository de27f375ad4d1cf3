import { expect } from "chai";
import {
  exclusionReason,
  require008,
  requireCallNumber,
  ResourceRecordError,
} from "../../src/jobs/aspace2alma/selection.js";
import { REFERENCE_SETTINGS_SOURCE, settingsFromConfig } from "../../src/jobs/aspace2alma/settings.js";
import { controlField, createRecord, dataField, type MarcRecord } from "../../src/marc/record.js";

const settings = settingsFromConfig(REFERENCE_SETTINGS_SOURCE);

function withCallNumber(callNumber: string, link = true): MarcRecord {
  return createRecord("x", [
    controlField("008", "221215i19171950xx"),
    dataField("099", " ", " ", [["a", callNumber]]),
    ...(link ? [dataField("856", "4", "2", [["u", "http://x"]])] : []),
  ]);
}

describe("aspace2alma selection (reference §2)", () => {
  it("leaves out every call number of the reference's exclusion list", () => {
    for (const id of REFERENCE_SETTINGS_SOURCE.excluded_ids) {
      expect(exclusionReason(withCallNumber(id), id, settings)).to.equal(
        `call number ${id} is on the exclusion list`,
      );
    }
  });

  it("compares the listed call numbers literally: a dot is a dot", () => {
    expect(exclusionReason(withCallNumber("C0744x06"), "C0744x06", settings)).to.equal(undefined);
    expect(exclusionReason(withCallNumber("RBD1x1"), "RBD1x1", settings)).to.equal(undefined);
    expect(exclusionReason(withCallNumber("C01400"), "C01400", settings)).to.equal(undefined);
  });

  it("leaves out call numbers matching a pattern as a whole: LAE035, SPA12, POR7", () => {
    expect(exclusionReason(withCallNumber("LAE035"), "LAE035", settings)).to.equal(
      "call number LAE035 matches the excluded pattern ^(?:LAE\\d+)$",
    );
    expect(exclusionReason(withCallNumber("SPA12"), "SPA12", settings)).to.match(/excluded pattern/);
    expect(exclusionReason(withCallNumber("POR7"), "POR7", settings)).to.match(/excluded pattern/);
    expect(exclusionReason(withCallNumber("LAE035.01"), "LAE035.01", settings)).to.equal(undefined);
    expect(exclusionReason(withCallNumber("XLAE035"), "XLAE035", settings)).to.equal(undefined);
  });

  it("leaves out a record without an 856", () => {
    expect(exclusionReason(withCallNumber("C0200", false), "C0200", settings)).to.equal(
      "no 856 (finding-aid link)",
    );
  });

  it("keeps the rest", () => {
    expect(exclusionReason(withCallNumber("MC001.01"), "MC001.01", settings)).to.equal(undefined);
  });

  it("uses the configured lists", () => {
    const custom = settingsFromConfig({
      ...REFERENCE_SETTINGS_SOURCE,
      excluded_ids: ["MC001.01"],
      excluded_patterns: [],
    });
    expect(exclusionReason(withCallNumber("MC001.01"), "MC001.01", custom)).to.match(/exclusion list/);
    expect(exclusionReason(withCallNumber("LAE035"), "LAE035", custom)).to.equal(undefined);
  });

  it("refuses a record without 099 $a or without 008, with a message naming what is missing", () => {
    const no099 = createRecord("x", [controlField("008", "y")]);
    expect(() => requireCallNumber(no099)).to.throw(
      ResourceRecordError,
      "the MARC export has no 099 $a (call number)",
    );
    const no008 = createRecord("x", [dataField("099", " ", " ", [["a", "C1"]])]);
    expect(() => require008(no008)).to.throw(ResourceRecordError, "the MARC export has no 008");
    expect(requireCallNumber(withCallNumber(" C0101 "))).to.equal("C0101");
  });

  it("refuses an 008 too short for rule 6's dates at positions 7-14, saying how long it is", () => {
    const short = createRecord("x", [controlField("008", "221215i1917")]);
    expect(() => require008(short)).to.throw(
      ResourceRecordError,
      "the MARC export's 008 is 11 characters long, too short for its dates at positions 7-14",
    );
    const blank = createRecord("x", [controlField("008", "    ")]);
    expect(() => require008(blank)).to.throw(ResourceRecordError, "the MARC export has no 008");
    const enough = createRecord("x", [controlField("008", "221215i19171950")]);
    expect(require008(enough)).to.equal("221215i19171950");
  });
});
