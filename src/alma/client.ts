import { BibsApi } from "./bibs.js";
import { ConfApi } from "./conf.js";
import { HoldingsApi } from "./holdings.js";
import { ItemsApi } from "./items.js";
import { LoansApi } from "./loans.js";
import { RequestsApi } from "./requests.js";
import { TestEndpointsApi } from "./test-endpoints.js";
import type { AlmaTransport } from "./transport.js";
import { UsersApi } from "./users.js";

/** The Alma API of one institution, by area: `client.items.findByBarcode(…)`, `client.loans.create(…)`. */
export class AlmaClient {
  readonly bibs: BibsApi;
  readonly holdings: HoldingsApi;
  readonly items: ItemsApi;
  readonly requests: RequestsApi;
  readonly loans: LoansApi;
  readonly users: UsersApi;
  readonly conf: ConfApi;
  /** The key checks (`{area}/test`). */
  readonly test: TestEndpointsApi;

  constructor(readonly transport: AlmaTransport) {
    this.bibs = new BibsApi(transport);
    this.holdings = new HoldingsApi(transport);
    this.items = new ItemsApi(transport);
    this.requests = new RequestsApi(transport);
    this.loans = new LoansApi(transport);
    this.users = new UsersApi(transport);
    this.conf = new ConfApi(transport);
    this.test = new TestEndpointsApi(transport);
  }

  /** The institution code this client calls. */
  get institution(): string {
    return this.transport.institution;
  }

  /** "Look, then write" for a write the areas do not cover (see `writeOnce`). */
  writeOnce<T>(write: () => Promise<T>, lookup: () => Promise<T | undefined>): Promise<T> {
    return this.transport.writeOnce(write, lookup);
  }
}
