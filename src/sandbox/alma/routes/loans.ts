import { badRequest, notFound, requireParameter } from "../alma-error.js";
import { jsonBody, ok, type SimRequest, type SimResponse } from "../context.js";
import { ErrorCodes } from "../error-codes.js";
import { IdPrefix, nextId } from "../ids.js";
import { findItem, findItemByBarcode, findItemByPid, findUser, requireCircDesk } from "../lookup.js";
import { listBody } from "../paging.js";
import { almaDateTime, renderLoan } from "../render.js";
import type { Route } from "../router.js";
import type { LoanRecord } from "../types.js";

const LOAN_PERIOD_MS = 28 * 24 * 60 * 60 * 1000;

function codeOf(value: unknown): string | undefined {
  if (value && typeof value === "object" && "value" in value && typeof value.value === "string") {
    return value.value;
  }
  return undefined;
}

/** `POST /users/{id}/loans?item_pid=…` (or `item_barcode=…`) with `{circ_desk:{value}, library:{value}}`. */
function createLoan(request: SimRequest): SimResponse {
  const { institution, query } = request;
  const user = findUser(institution, request.params.user_id ?? "", query.get("user_id_type") ?? "all_unique");
  const barcode = query.get("item_barcode");
  const item = barcode
    ? findItemByBarcode(institution, barcode)
    : findItemByPid(institution, requireParameter(query, "item_pid"));
  const body = jsonBody(request);
  const library = codeOf(body.library);
  const circDesk = codeOf(body.circ_desk);
  if (!library || !circDesk) {
    throw badRequest(ErrorCodes.invalidBody, "A loan needs library.value and circ_desk.value.");
  }
  requireCircDesk(institution, library, circDesk);
  if (institution.loans.some((loan) => loan.item_id === item.pid && loan.loan_status === "ACTIVE")) {
    throw badRequest(ErrorCodes.itemAlreadyLoaned, `Item ${item.item_data.barcode} is already on loan.`);
  }
  const loan: LoanRecord = {
    loan_id: nextId(institution, IdPrefix.loan),
    user_id: user.primary_id,
    item_id: item.pid,
    item_barcode: item.item_data.barcode,
    mms_id: item.mms_id,
    holding_id: item.holding_id,
    library,
    circ_desk: circDesk,
    loan_date: almaDateTime(request.now),
    due_date: almaDateTime(request.now + LOAN_PERIOD_MS),
    loan_status: "ACTIVE",
  };
  institution.loans.push(loan);
  item.item_data.process_type = { value: "LOAN", desc: "Loan" };
  item.item_data.base_status = { value: "0", desc: "Item not in place" };
  return ok(renderLoan(institution, loan, request.apiBase), "item_loan");
}

function listLoans(request: SimRequest): SimResponse {
  const { institution } = request;
  const user = findUser(institution, request.params.user_id ?? "");
  const loans = institution.loans
    .filter((loan) => loan.user_id === user.primary_id && loan.loan_status === "ACTIVE")
    .map((loan) => renderLoan(institution, loan, request.apiBase));
  return ok(listBody("item_loan", loans, request.query), "item_loans");
}

function getLoan(request: SimRequest): SimResponse {
  const { institution, params } = request;
  const user = findUser(institution, params.user_id ?? "");
  const loan = institution.loans.find(
    (entry) => entry.loan_id === params.loan_id && entry.user_id === user.primary_id,
  );
  if (!loan)
    throw notFound(ErrorCodes.parameterNotValid, `loan_id (${params.loan_id}) parameter is not valid.`);
  return ok(renderLoan(institution, loan, request.apiBase), "item_loan");
}

/** `GET /bibs/{mms}/holdings/{hol}/items/{pid}/loans`: the item's active loans (Alma shows at most one). */
function listItemLoans(request: SimRequest): SimResponse {
  const { institution, params } = request;
  const item = findItem(institution, params.mms_id ?? "", params.holding_id ?? "", params.item_pid ?? "");
  const loans = institution.loans
    .filter((loan) => loan.item_id === item.pid && loan.loan_status === "ACTIVE")
    .map((loan) => renderLoan(institution, loan, request.apiBase));
  return ok(listBody("item_loan", loans, request.query), "item_loans");
}

export const loanRoutes: Route[] = [
  { method: "POST", pattern: "/users/:user_id/loans", area: "users", handler: createLoan },
  { method: "GET", pattern: "/users/:user_id/loans", area: "users", handler: listLoans },
  { method: "GET", pattern: "/users/:user_id/loans/:loan_id", area: "users", handler: getLoan },
  {
    method: "GET",
    pattern: "/bibs/:mms_id/holdings/:holding_id/items/:item_pid/loans",
    area: "bibs",
    handler: listItemLoans,
  },
];
