import { almaPath } from "./alma-path.js";
import { findObject, sendForNothing, sendForObject } from "./calls.js";
import { contains } from "./contains.js";
import type { AlmaTransport } from "./transport.js";
import type { AlmaItem, AlmaItemData } from "./types.js";

export interface ItemWriteOptions {
  /** Replaces the default look-up run after an uncertain write (see `writeOnce`). */
  lookup?: () => Promise<AlmaItem | undefined>;
}

export interface ScanInOptions {
  /** The library where the item is scanned in. */
  library: string;
  circDesk: string;
  /** `done=true`: the item's work order step is finished (default true). */
  done?: boolean;
  /**
   * Run after an uncertain scan-in. There is no default: whether a scan happened cannot be told from the item
   * alone, so without a look-up the uncertain outcome is thrown to the caller.
   */
  lookup?: () => Promise<AlmaItem | undefined>;
}

/** Item fields Alma sets itself (dates, status): left out when checking whether an update landed. */
const ALMA_MANAGED_ITEM_FIELDS = [
  "modification_date",
  "creation_date",
  "requested",
  "base_status",
  "process_type",
];

function withoutAlmaManaged(itemData: AlmaItemData): AlmaItemData {
  const copy = { ...itemData };
  for (const key of ALMA_MANAGED_ITEM_FIELDS) delete copy[key];
  return copy;
}

/**
 * Whether the item read back after an uncertain PUT holds what was sent: every value sent, and no field the
 * PUT removed (a field left out of a PUT is deleted, so one still set means the PUT did not land).
 */
function holdsUpdate(current: AlmaItemData, sent: AlmaItemData): boolean {
  return (
    contains(current, withoutAlmaManaged(sent)) &&
    Object.entries(withoutAlmaManaged(current)).every(
      ([key, value]) => sent[key] !== undefined || isEmpty(value),
    )
  );
}

/** Alma writes an unset field as `""`, `null`, `[]` or `{"value": ""}`. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.every(isEmpty);
  if (typeof value === "object") return Object.values(value).every(isEmpty);
  return false;
}

/** Where an item lives: the three ids of its path. */
export interface ItemAddress {
  mmsId: string;
  holdingId: string;
  pid: string;
}

/** Physical items: find by barcode, read, create, update (read-modify-write), delete, scan in. */
export class ItemsApi {
  constructor(private readonly transport: AlmaTransport) {}

  /** The item with this barcode, or `undefined`. */
  findByBarcode(barcode: string): Promise<AlmaItem | undefined> {
    return findObject<AlmaItem>(this.transport, "items", { item_barcode: barcode });
  }

  /** One item by its ids, or `undefined`. */
  get(address: ItemAddress): Promise<AlmaItem | undefined> {
    return findObject<AlmaItem>(this.transport, itemPath(address));
  }

  /**
   * Creates an item in a holding; after an uncertain outcome, looks it up by its barcode before writing again
   * (an item without a barcode has no default look-up: pass one).
   */
  create(
    mmsId: string,
    holdingId: string,
    item: AlmaItem,
    options: ItemWriteOptions = {},
  ): Promise<AlmaItem> {
    const write = () =>
      sendForObject<AlmaItem>(this.transport, {
        method: "POST",
        path: almaPath`bibs/${mmsId}/holdings/${holdingId}/items`,
        json: item,
      });
    const barcode = item.item_data.barcode;
    const lookup = options.lookup ?? (barcode ? () => this.findByBarcode(barcode) : undefined);
    return lookup ? this.transport.writeOnce(write, lookup) : write();
  }

  /**
   * Replaces the item with `item` (PUT: send the whole record as read, changed; unknown fields travel along).
   * After an uncertain outcome, reads the item back: if it already holds what was sent, that is the answer;
   * otherwise the PUT is sent again.
   */
  update(item: AlmaItem, options: ItemWriteOptions = {}): Promise<AlmaItem> {
    const address = addressOf(item);
    return this.transport.writeOnce(
      () => sendForObject<AlmaItem>(this.transport, { method: "PUT", path: itemPath(address), json: item }),
      options.lookup ??
        (async () => {
          const current = await this.get(address);
          return current && holdsUpdate(current.item_data, item.item_data) ? current : undefined;
        }),
    );
  }

  /**
   * Deletes the item; after an uncertain outcome, deletes again only if the item is still there. `override`
   * withdraws it even with an active loan or request (Alma refuses otherwise).
   */
  async delete(address: ItemAddress, options: { override?: boolean } = {}): Promise<void> {
    await this.transport.writeOnce(
      async () => {
        await sendForNothing(this.transport, {
          method: "DELETE",
          path: itemPath(address),
          ...(options.override ? { query: { override: true } } : {}),
        });
        return true as const;
      },
      async () => ((await this.get(address)) === undefined ? (true as const) : undefined),
    );
  }

  /** Scans the item in (`op=scan`): ends its loan, or moves it on in its request's workflow. */
  scanIn(address: ItemAddress, options: ScanInOptions): Promise<AlmaItem> {
    const write = () =>
      sendForObject<AlmaItem>(this.transport, {
        method: "POST",
        path: itemPath(address),
        query: {
          op: "scan",
          library: options.library,
          circ_desk: options.circDesk,
          done: options.done ?? true,
        },
      });
    return options.lookup ? this.transport.writeOnce(write, options.lookup) : write();
  }
}

/** The ids of an item read from Alma; throws when the record lacks one (it would address another item). */
export function addressOf(item: AlmaItem): ItemAddress {
  const mmsId = item.bib_data?.mms_id;
  const holdingId = item.holding_data?.holding_id;
  const pid = item.item_data.pid;
  if (!mmsId || !holdingId || !pid) {
    throw new TypeError("the item lacks bib_data.mms_id, holding_data.holding_id or item_data.pid");
  }
  return { mmsId, holdingId, pid };
}

function itemPath({ mmsId, holdingId, pid }: ItemAddress): string {
  return almaPath`bibs/${mmsId}/holdings/${holdingId}/items/${pid}`;
}
