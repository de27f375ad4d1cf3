import { createAlmaClients, type AlmaClients } from "../../alma/create-alma-clients.js";
import { addressOf } from "../../alma/items.js";
import type { AlmaItem } from "../../alma/types.js";
import type { InstitutionConfig } from "../../config/config.js";
import { RunReport, type RunSummary } from "../../runtime/run-report.js";
import type { RunContext } from "../../runtime/run-context.js";
import { findHomeItem, type HomeItem } from "./home-item.js";
import { isTransient, RecordError } from "./record-error.js";
import { originalBarcodeOf } from "./scf-barcode.js";

export const JOB_NAME = "scan-in";

/**
 * The item's process type once a scan-in has put it on the hold shelf for its request. Not TRANSIT: Alma can
 * mark an item shipped from remote storage in transit before it is scanned in, so TRANSIT does not prove a scan.
 */
const HOLD_SHELF = "HOLDSHELF";
/** On loan at home: the patron has it, and a scan-in would return that loan. */
const ON_LOAN = "LOAN";

export interface ScanInInput {
  /** The SCF item's barcode (the home barcode + `X`), from `item_loan.item_barcode`. */
  scfBarcode: string;
}

export interface ScanInOptions {
  /** The Alma clients to use (the listener shares one set); default: made from the configuration. */
  alma?: AlmaClients;
}

/** Where and at which desk an item is scanned in. */
export interface ScanPlace {
  library: string;
  circDesk: string;
}

/**
 * `alma-rs scan-in`: an SCF loan was returned, so the home institution scans its item in and its request moves
 * on (seed 001 §5.3). Steps:
 *
 * 1. the SCF barcode must end in `X` (otherwise it is not ours: ignored)
 * 2. find the home item (SCF item → provenance → the item by its original barcode)
 * 3. choose the library (current location, or the temporary one) and its circulation desk from the configuration
 * 4. scan it in, unless a scan already put it on the hold shelf, or the item is since on loan at home (a
 *    repeated event does nothing new, and never returns a patron's loan)
 */
export async function runScanIn(
  context: RunContext,
  input: ScanInInput,
  options: ScanInOptions = {},
): Promise<RunSummary> {
  const { config, logger } = context;
  const report = new RunReport({
    job: JOB_NAME,
    reportName: "ScanIn",
    reportFolder: config.report_file_folder,
    dryRun: context.dryRun,
    logger,
  });
  const scfBarcode = input.scfBarcode.trim();
  const barcode = originalBarcodeOf(scfBarcode);
  if (!barcode) {
    report.count("ignored");
    report.detail(
      "note",
      `barcode ${scfBarcode} does not end in X: not an SCF copy of a member item, ignored`,
    );
    logger.info(`scan-in: barcode ${scfBarcode} does not end in X; ignored`);
    return report.finish();
  }
  try {
    const alma = options.alma ?? createAlmaClients(config, logger, { signal: context.signal });
    const home = await findHomeItem(alma, config, scfBarcode, barcode);
    const place = scanPlaceOf(home.item, home.institution);
    const processType = home.item.item_data.process_type?.value;
    if (processType === HOLD_SHELF) {
      report.count("already scanned in");
      logger.info(
        `scan-in: ${barcode} in ${home.institution.code} is already on the hold shelf; nothing to do`,
      );
    } else if (processType === ON_LOAN) {
      report.count("on loan at home, not scanned in");
      logger.warn(
        `scan-in: ${barcode} is on loan in ${home.institution.code}; a scan-in would return that loan, so none is made`,
      );
    } else if (context.dryRun) {
      report.plan({ action: "scan in", target: `${home.institution.code} item ${barcode}`, detail: place });
    } else {
      await scanIn(alma, home, place);
      report.count("scanned in");
      logger.info(
        `scan-in: ${barcode} scanned in at ${home.institution.code} library ${place.library}, desk ${place.circDesk}`,
      );
    }
    report.detail("institution", home.institution.code);
    report.detail("alma_api_remaining", alma.budget.summary());
  } catch (error) {
    recordError(report, error, barcode);
  }
  return report.finish();
}

/**
 * The library whose desk scans the item in: the temporary library while the item's holding is in a temporary
 * location, otherwise the item's own library; the desk is that library's `circ_desc` in the configuration.
 */
export function scanPlaceOf(item: AlmaItem, institution: InstitutionConfig): ScanPlace {
  const holding = item.holding_data;
  const library = holding?.in_temp_location ? holding.temp_library?.value : item.item_data.library?.value;
  if (!library) {
    throw new RecordError(
      "choose library",
      `item ${item.item_data.barcode ?? "?"} of ${institution.code} has no ${holding?.in_temp_location ? "temporary " : ""}library`,
    );
  }
  const circDesk = institution.libraries.find((candidate) => candidate.code === library)?.circ_desc;
  if (!circDesk) {
    throw new RecordError(
      "choose circulation desk",
      `library ${library} of ${institution.code} has no circ_desc in the configuration (institutions[].libraries[])`,
    );
  }
  return { library, circDesk };
}

/** The scan itself; after an uncertain outcome, a changed process type shows the scan happened. */
async function scanIn(alma: AlmaClients, home: HomeItem, place: ScanPlace): Promise<AlmaItem> {
  const items = alma.member(home.institution.code).items;
  const address = addressOf(home.item);
  const before = home.item.item_data.process_type?.value;
  return items.scanIn(address, {
    library: place.library,
    circDesk: place.circDesk,
    done: true,
    lookup: async () => {
      const now = await items.get(address);
      return now && now.item_data.process_type?.value !== before ? now : undefined;
    },
  });
}

function recordError(report: RunReport, error: unknown, barcode: string): void {
  const message = (error as Error).message ?? String(error);
  if (isTransient(error)) {
    report.abort(message);
    return;
  }
  report.fail({ barcode, step: error instanceof RecordError ? error.step : "scan in", message });
}
