import type { AlmaSimulator } from "../alma/index.js";
import { eventId, type AlmaWebhookEvent } from "./alma-events.js";

/** What the SCF's staff do by hand in Alma, done through the simulator's API with the SCF's key. */
export interface ScfStaff {
  /**
   * Returns the loan of an SCF item at the facility's desk (the item is back on the SCF's shelf) and gives the
   * LOAN_RETURNED event Alma then sends.
   */
  returnLoan(scfBarcode: string): Promise<AlmaWebhookEvent>;
  /** Cancels the active request on an SCF item and gives the REQUEST_CANCELED event Alma then sends. */
  cancelRequest(scfBarcode: string, note?: string): Promise<AlmaWebhookEvent>;
}

interface ScfSettings {
  code: string;
  apikey: string;
  library: string;
  circDesk: string;
}

interface ItemJson {
  item_data: { pid: string; barcode: string };
  bib_data: { mms_id: string };
  holding_data: { holding_id: string };
}

interface RequestJson {
  request_id: string;
  request_type?: string;
  request_status?: string;
  comment?: string | null;
}

const ENDED = new Set(["CANCELLED", "CANCELED", "HISTORY", "COMPLETED"]);

export function scfStaff(sim: AlmaSimulator, scf: ScfSettings): ScfStaff {
  const api = async <T>(method: string, path: string, query: Record<string, string> = {}): Promise<T> => {
    const url = new URL(`/almaws/v1/${path}`, sim.url);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    // The staff share the SCF's 25 calls a second with the jobs: over it, they wait a moment, like any API user.
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(url, {
        method,
        headers: { authorization: `apikey ${scf.apikey}`, accept: "application/json" },
      });
      const text = await response.text();
      if (response.status === 429 && text.includes("PER_SECOND_THRESHOLD") && attempt < 10) {
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
        continue;
      }
      if (!response.ok) {
        throw new Error(`SCF staff: Alma answered ${response.status} to ${method} ${path}: ${text}`);
      }
      return (text ? JSON.parse(text) : undefined) as T;
    }
  };
  const itemPath = (item: ItemJson) =>
    `bibs/${item.bib_data.mms_id}/holdings/${item.holding_data.holding_id}/items/${item.item_data.pid}`;
  const find = (scfBarcode: string) => api<ItemJson>("GET", "items", { item_barcode: scfBarcode });

  return {
    async returnLoan(scfBarcode) {
      const item = await find(scfBarcode);
      const loan = sim
        .institution(scf.code)
        .loans.find((entry) => entry.item_id === item.item_data.pid && entry.loan_status === "ACTIVE");
      if (!loan) throw new Error(`SCF staff: item ${scfBarcode} is not on loan`);
      await api("POST", itemPath(item), {
        op: "scan",
        library: scf.library,
        circ_desk: scf.circDesk,
        done: "true",
      });
      return {
        id: eventId(),
        action: "LOAN",
        institution: { value: scf.code, desc: "Shared Collection Facility" },
        time: new Date().toISOString(),
        event: { value: "LOAN_RETURNED", desc: "Loan returned" },
        item_loan: {
          loan_id: loan.loan_id,
          user_id: loan.user_id,
          item_barcode: scfBarcode,
          item_id: item.item_data.pid,
          mms_id: item.bib_data.mms_id,
          library: { value: scf.library },
          circ_desk: { value: scf.circDesk },
          loan_status: "COMPLETE",
        },
      };
    },

    async cancelRequest(scfBarcode, note = "Item missing from its tray") {
      const item = await find(scfBarcode);
      const list = await api<{ user_request?: RequestJson[] }>("GET", `${itemPath(item)}/requests`);
      const active = (list.user_request ?? []).find(
        (request) => !ENDED.has(String(request.request_status ?? "").toUpperCase()),
      );
      if (!active) throw new Error(`SCF staff: item ${scfBarcode} has no active request`);
      await api("DELETE", `${itemPath(item)}/requests/${active.request_id}`, {
        reason: "CannotBeFulfilled",
        note,
        notify_user: "false",
      });
      return {
        id: eventId(),
        action: "REQUEST",
        institution: { value: scf.code, desc: "Shared Collection Facility" },
        time: new Date().toISOString(),
        event: { value: "REQUEST_CANCELED", desc: "Request canceled" },
        user_request: {
          request_id: active.request_id,
          request_type: active.request_type ?? "HOLD",
          barcode: scfBarcode,
          comment: active.comment ?? null,
        },
      };
    },
  };
}
