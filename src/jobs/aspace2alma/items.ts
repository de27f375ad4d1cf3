/** Item fields from top containers (§4 of the reference) and rule 13, which appends them. */
import type { AspaceTopContainer } from "../../aspace/types.js";
import { dataField, type DataField, type MarcRecord } from "../../marc/record.js";
import type { Aspace2AlmaSettings } from "./settings.js";

/** The first integer in a container's indicator (`B-12` → 12); 0 when it has no digits. */
export function indicatorNumber(indicator: string | undefined): number {
  const match = /\d+/.exec(indicator ?? "");
  return match ? Number(match[0]) : 0;
}

/** Containers by the first integer of their indicator, `10, 2, 1` → `1, 2, 10`; ties keep their order. */
export function sortContainersByIndicator(containers: readonly AspaceTopContainer[]): AspaceTopContainer[] {
  return containers
    .map((container, index) => ({ container, index, key: indicatorNumber(container.indicator) }))
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map((entry) => entry.container);
}

/** The location code of a container's first location (`scarcpph`), if it has one. */
export function containerLocationCode(container: AspaceTopContainer): string | undefined {
  return container.container_locations?.[0]?._resolved?.classification ?? undefined;
}

/** Whether the container's first location is at ReCAP (`scarcpph` yes, `scamudd` no). */
export function isAtRecap(
  container: AspaceTopContainer,
  settings: Pick<Aspace2AlmaSettings, "recapPattern">,
): boolean {
  const code = containerLocationCode(container);
  return code !== undefined && settings.recapPattern.test(code);
}

/** The container's barcode without surrounding blanks; empty when it has none. */
export function containerBarcode(container: AspaceTopContainer): string {
  return (container.barcode ?? "").trim();
}

/** Why a container gets no item field, or undefined when it gets one. */
export function itemSkipReason(
  container: AspaceTopContainer,
  almaBarcodes: ReadonlySet<string>,
  settings: Pick<Aspace2AlmaSettings, "recapPattern">,
): "not at ReCAP" | "no barcode" | "already in Alma" | undefined {
  if (!isAtRecap(container, settings)) return "not at ReCAP";
  const barcode = containerBarcode(container);
  if (barcode === "") return "no barcode";
  if (almaBarcodes.has(barcode)) return "already in Alma";
  return undefined;
}

/** `949 ␣␣ $a {barcode} $b {type} {indicator} $c {location code} $d (PULFA){099 $a}`. */
export function itemField(
  container: AspaceTopContainer,
  callNumber: string,
  settings: Pick<Aspace2AlmaSettings, "institutionCode">,
): DataField {
  const description = [container.type, container.indicator]
    .map((part) => (part ?? "").trim())
    .filter((part) => part !== "")
    .join(" ");
  return dataField("949", " ", " ", [
    ["a", containerBarcode(container)],
    ["b", description],
    ["c", containerLocationCode(container) ?? ""],
    ["d", `(${settings.institutionCode})${callNumber}`],
  ]);
}

/** The item fields of one resource: its containers in indicator order, only those at ReCAP, barcoded and new. */
export function itemFields(
  containers: readonly AspaceTopContainer[],
  callNumber: string,
  almaBarcodes: ReadonlySet<string>,
  settings: Pick<Aspace2AlmaSettings, "institutionCode" | "recapPattern">,
): DataField[] {
  return sortContainersByIndicator(containers)
    .filter((container) => itemSkipReason(container, almaBarcodes, settings) === undefined)
    .map((container) => itemField(container, callNumber, settings));
}

/** Rule 13: the item fields go after the last data field (after any 982). */
export function appendItemFields(record: MarcRecord, items: readonly DataField[]): void {
  record.fields.push(...items);
}
