import { defaultFixture, formatId, IdPrefix, type AlmaFixture } from "../../src/sandbox/alma/index.js";
import { publishingRecord } from "../../test/helpers/publishing-file.js";
import type { MarcRecord } from "../../src/marc/record.js";

/** The mix of the issue: half updates (half of them unchanged), 40 % creates on existing bibs, 10 % new bibs. */
export interface BenchMix {
  items: number;
}

const AB = "0001";
const RS = "0003";
const NZ = "4441";
const id = (prefix: string, n: number, suffix: string) => formatId(prefix, 1000 + n, suffix);

/**
 * A consortium where member 01AAA_AB publishes `items` items: updates of SCF copies (every other one changed),
 * creates under titles the SCF already has (NZ-linked, with a holding), and creates of new local titles
 * (two items per title). Returns the fixture and the publishing records.
 */
export function benchConsortium(mix: BenchMix): {
  fixture: AlmaFixture;
  records: MarcRecord[];
  plan: Record<string, number>;
} {
  const fixture = structuredClone(defaultFixture);
  const ab = fixture.institutions.find((inst) => inst.code === "01AAA_AB")!;
  const rs = fixture.institutions.find((inst) => inst.code === "01AAA_RS")!;
  const records: MarcRecord[] = [];
  const updates = Math.round(mix.items * 0.5);
  const createsExisting = Math.round(mix.items * 0.4);
  const createsNew = mix.items - updates - createsExisting;
  let itemSeq = 0;
  const barcode = (n: number) => `4100${String(n).padStart(8, "0")}`;

  // Existing titles: 4 items each (updates first, then creates), in the NZ, the SCF and the member.
  const existing = updates + createsExisting;
  for (let t = 0; t * 4 < existing; t++) {
    const nzId = id(IdPrefix.bib, t, NZ);
    const memberBib = id(IdPrefix.bib, t, AB);
    const memberHolding = id(IdPrefix.holding, t, AB);
    const scfBib = id(IdPrefix.bib, t, RS);
    const scfHolding = id(IdPrefix.holding, t, RS);
    fixture.network_zone?.bibs?.push({ mms_id: nzId, title: `Bench title ${t}` });
    ab.bibs!.push({
      mms_id: memberBib,
      title: `Bench title ${t}`,
      network_number: [`(EXLNZ-01AAA_NETWORK)${nzId}`],
    });
    ab.holdings!.push({ holding_id: memberHolding, mms_id: memberBib, library: "ABRS", location: "rs" });
    rs.bibs!.push({
      mms_id: scfBib,
      title: `Bench title ${t}`,
      network_number: [`(EXLNZ-01AAA_NETWORK)${nzId}`],
    });
    rs.holdings!.push({ holding_id: scfHolding, mms_id: scfBib, library: "RS", location: "rs_shared" });
    const itms: string[] = [];
    for (let k = 0; k < 4 && t * 4 + k < existing; k++) {
      const n = itemSeq++;
      const isUpdate = t * 4 + k < updates;
      ab.items!.push({
        pid: id(IdPrefix.item, n, AB),
        mms_id: memberBib,
        holding_id: memberHolding,
        item_data: { barcode: barcode(n), description: n % 2 === 0 ? `v.${n}` : `v.${n} (rebound)` },
      });
      if (isUpdate) {
        rs.items!.push({
          pid: id(IdPrefix.item, n, RS),
          mms_id: scfBib,
          holding_id: scfHolding,
          item_data: { barcode: `${barcode(n)}X`, description: `v.${n}`, provenance: { value: "01AAA_AB" } },
        });
      }
      itms.push(barcode(n));
    }
    records.push(
      publishingRecord({
        mmsId: memberBib,
        nzId,
        title: `Bench title ${t}`,
        items: itms.map((b) => ({ barcode: b, library: "ABRS", location: "rs" })),
      }),
    );
  }
  // New local titles (no NZ record): two items each.
  for (let t = 0; t * 2 < createsNew; t++) {
    const memberBib = id(IdPrefix.bib, 5000 + t, AB);
    const memberHolding = id(IdPrefix.holding, 5000 + t, AB);
    ab.bibs!.push({ mms_id: memberBib, title: `Bench local title ${t}` });
    ab.holdings!.push({ holding_id: memberHolding, mms_id: memberBib, library: "ABRS", location: "rs" });
    const itms: string[] = [];
    for (let k = 0; k < 2 && t * 2 + k < createsNew; k++) {
      const n = itemSeq++;
      ab.items!.push({
        pid: id(IdPrefix.item, n, AB),
        mms_id: memberBib,
        holding_id: memberHolding,
        item_data: { barcode: barcode(n) },
      });
      itms.push(barcode(n));
    }
    records.push(
      publishingRecord({
        mmsId: memberBib,
        title: `Bench local title ${t}`,
        items: itms.map((b) => ({ barcode: b, library: "ABRS", location: "rs" })),
      }),
    );
  }
  return { fixture, records, plan: { updates, createsExisting, createsNew } };
}
