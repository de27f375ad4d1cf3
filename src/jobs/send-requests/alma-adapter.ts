import type { Config } from "../../config/config.js";
import type { AlmaClient, AlmaClients } from "../../alma/index.js";
import type { InstitutionAlma, SendRequestsAlma } from "./alma-port.js";

/** send-requests' view of the Alma clients: one `InstitutionAlma` per configured institution, and the SCF. */
export function sendRequestsAlma(
  clients: AlmaClients,
  config: Pick<Config, "institutions">,
): SendRequestsAlma {
  const members = new Map<string, InstitutionAlma>();
  let scf: InstitutionAlma | undefined;
  return {
    get scf() {
      return (scf ??= institutionAlma(clients.scf));
    },
    member(code: string) {
      if (!config.institutions.some((institution) => institution.code === code)) return undefined;
      let member = members.get(code);
      if (!member) members.set(code, (member = institutionAlma(clients.member(code))));
      return member;
    },
  };
}

function institutionAlma(client: AlmaClient): InstitutionAlma {
  return {
    institution: client.institution,
    findItem: (barcode) => client.items.findByBarcode(barcode),
    getBib: (mmsId) => client.bibs.get(mmsId),
    findBibByNzId: (nzMmsId) => client.bibs.findByNzId(nzMmsId),
    findBibByOtherSystemId: (id) => client.bibs.findByOtherSystemId(id),
    listHoldings: (mmsId) => client.holdings.list(mmsId),
    getBibRequest: (mmsId, requestId) => client.requests.getBibRequest(mmsId, requestId),
    getUserRequest: (userId, requestId) => client.requests.getUserRequest(userId, requestId),
    listItemRequests: (item, status) => client.requests.listItemRequests(item, status),
    listBibRequests: (mmsId, status) => client.requests.listBibRequests(mmsId, status),
    createItemRequest: (item, userId, body) => client.requests.createItemRequest(item, userId, body),
    createBibRequest: (mmsId, userId, body) => client.requests.createBibRequest(mmsId, userId, body),
    cancelItemRequest: (item, requestId, options) =>
      client.requests.cancelItemRequest(item, requestId, options),
    cancelBibRequest: (mmsId, requestId, options) =>
      client.requests.cancelBibRequest(mmsId, requestId, options),
    cancelUserRequest: (userId, requestId, options) =>
      client.requests.cancelUserRequest(userId, requestId, options),
    getUser: (userId, userIdType) => client.users.get(userId, userIdType),
    getLinkedUser: (userId, sourceInstitutionCode) => client.users.getLinked(userId, sourceInstitutionCode),
    createLinkedUser: (sourceInstitutionCode, sourceUserId) =>
      client.users.createLinked(sourceInstitutionCode, sourceUserId),
    refreshUser: async (userId) => {
      await client.users.refresh(userId);
    },
    libraries: () => client.conf.libraries(),
  };
}
