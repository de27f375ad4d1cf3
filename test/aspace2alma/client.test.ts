import { expect } from "chai";
import { AspaceClient, type AspaceClientOptions } from "../../src/aspace/client.js";
import { AspaceHttpError, AspaceLoginError, AspaceNetworkError } from "../../src/aspace/errors.js";
import { resourceRef } from "../../src/aspace/types.js";
import {
  AspaceSimulator,
  aspaceSeedRepositories,
  type SimulatedRepository,
} from "../../src/sandbox/aspace/index.js";

describe("ArchivesSpace client", () => {
  let simulator: AspaceSimulator;

  const client = (options: Partial<AspaceClientOptions> = {}) =>
    new AspaceClient({
      baseUrl: simulator.url,
      username: simulator.username,
      password: simulator.password,
      retryInitialDelayMs: 1,
      retryMaxDelayMs: 5,
      ...options,
    });

  async function start(repositories: SimulatedRepository[] = aspaceSeedRepositories(), extra = {}) {
    simulator = await AspaceSimulator.start({ repositories, password: "s3cret-Passw0rd", ...extra });
  }

  afterEach(async () => {
    await simulator?.close();
  });

  describe("login", () => {
    beforeEach(() => start());

    it("sends the password in the form body, never in the URL", async () => {
      await client().login();
      expect(simulator.stats.logins).to.equal(1);
      expect(simulator.stats.passwordInQuery).to.equal(0);
      expect(simulator.stats.log.join("\n")).not.to.include("s3cret-Passw0rd");
    });

    it("reports a refused login with the user's name and without the password", async () => {
      const error = await client({ password: "wrong-password" })
        .login()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).to.be.instanceOf(AspaceLoginError);
      const login = error as AspaceLoginError;
      expect(login.message).to.equal("login failed as user admin: ArchivesSpace answered 403");
      expect(login.code).to.equal("EASPACE_LOGIN");
      expect(login.status).to.equal(403);
      expect(JSON.stringify({ ...login, message: login.message })).not.to.include("wrong-password");
    });

    it("logs in once however many requests start together", async () => {
      const aspace = client();
      await Promise.all([aspace.repositories(), aspace.repositories(), aspace.repositories()]);
      expect(simulator.stats.logins).to.equal(1);
    });
  });

  describe("reading", () => {
    beforeEach(() => start());

    it("lists repositories and the resource ids of one", async () => {
      const aspace = client();
      const repositories = await aspace.repositories();
      expect(repositories.map((r) => r.uri)).to.deep.equal([
        "/repositories/12",
        "/repositories/3",
        "/repositories/4",
      ]);
      expect(await aspace.resourceIds("/repositories/3")).to.deep.equal([12, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(simulator.stats.log).to.include("GET /repositories/3/resources?all_ids=true");
    });

    it("fetches the MARC-XML export of a resource as text", async () => {
      const xml = await client().resourceMarcXml(resourceRef("/repositories/3", 1));
      expect(xml).to.include('<subfield code="a">MC001.01</subfield>');
      expect(simulator.stats.log).to.include("GET /repositories/3/resources/marc21/1.xml");
    });

    it("reads the top containers of a resource from the Solr documents' json strings", async () => {
      const containers = await client().topContainers(resourceRef("/repositories/3", 1));
      expect(containers.map((c) => c.indicator)).to.deep.equal(["10", "2", "1", "Oversize", "3", "4", "5"]);
      expect(containers[0]!.container_locations![0]!._resolved!.classification).to.equal("scarcpph");
      const search = simulator.stats.log.find((line) => line.includes("top_containers/search"))!;
      expect(decodeURIComponent(search)).to.include('q=collection_uri_u_sstr:"/repositories/3/resources/1"');
    });

    it("pages through the top-container search when the server pages", async () => {
      const containers = await client({ topContainerPageSize: 2 }).topContainers(
        resourceRef("/repositories/3", 1),
      );
      expect(containers).to.have.length(7);
      expect(new Set(containers.map((c) => c.uri)).size).to.equal(7);
      const searches = simulator.stats.log.filter((line) => line.includes("top_containers/search"));
      expect(searches).to.have.length(4);
    });
  });

  describe("a server that ignores paging (real ArchivesSpace)", () => {
    it("takes the one answer and reports when it was capped", async () => {
      await start(aspaceSeedRepositories(), { topContainerPaging: false, maxTopContainerResults: 5 });
      const incomplete: [number, number][] = [];
      const containers = await client({ topContainerPageSize: 2 }).topContainers(
        resourceRef("/repositories/3", 1),
        (found, received) => incomplete.push([found, received]),
      );
      expect(containers).to.have.length(5);
      expect(incomplete).to.deep.equal([[7, 5]]);
    });

    it("does not read page 1 twice when it holds everything", async () => {
      await start(aspaceSeedRepositories(), { topContainerPaging: false });
      const containers = await client({ topContainerPageSize: 250 }).topContainers(
        resourceRef("/repositories/3", 1),
      );
      expect(containers).to.have.length(7);
      expect(simulator.stats.log.filter((line) => line.includes("top_containers/search"))).to.have.length(1);
    });
  });

  describe("session expiry", () => {
    beforeEach(() => start());

    it("logs in again when ArchivesSpace answers 412 and repeats the request", async () => {
      simulator.expireSessionsAfter(2);
      const aspace = client();
      for (let i = 0; i < 5; i++) await aspace.resourceIds("/repositories/3");
      expect(simulator.stats.rejectedSessions).to.equal(2);
      expect(simulator.stats.logins).to.equal(3);
      expect(aspace.counters.relogins).to.equal(2);
    });

    it("survives sessions ended on demand while requests run concurrently, with one login", async () => {
      const aspace = client();
      await aspace.login();
      simulator.expireSessions();
      const ids = await Promise.all(
        [1, 2, 5, 12].map((id) => aspace.resourceMarcXml(resourceRef("/repositories/3", id))),
      );
      expect(ids).to.have.length(4);
      expect(simulator.stats.logins).to.equal(2);
    });
  });

  describe("retries", () => {
    beforeEach(() => start());

    it("retries a 500 and succeeds", async () => {
      simulator.fail("/repositories/3/resources/marc21/1.xml", { status: 500, times: 2 });
      const aspace = client();
      const xml = await aspace.resourceMarcXml(resourceRef("/repositories/3", 1));
      expect(xml).to.include("MC001.01");
      expect(aspace.counters.retries).to.equal(2);
    });

    it("retries a reset connection and succeeds", async () => {
      simulator.fail("/repositories", { reset: true, times: 1 });
      const aspace = client();
      expect(await aspace.repositories()).to.have.length(3);
      expect(aspace.counters.retries).to.equal(1);
    });

    it("gives up after the last attempt with the status and the path", async () => {
      simulator.fail("/repositories/3/resources/marc21/2.xml", { status: 503 });
      const error = await client({ maxAttempts: 3 })
        .resourceMarcXml(resourceRef("/repositories/3", 2))
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(AspaceHttpError);
      expect((error as AspaceHttpError).message).to.equal(
        "ArchivesSpace answered 503 to GET /repositories/3/resources/marc21/2.xml",
      );
      expect((error as AspaceHttpError).attempts).to.equal(3);
    });

    it("does not retry a 404", async () => {
      const aspace = client();
      const error = await aspace.resourceMarcXml(resourceRef("/repositories/3", 99)).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(AspaceHttpError);
      expect((error as AspaceHttpError).status).to.equal(404);
      expect(aspace.counters.retries).to.equal(0);
    });

    it("times out a slow answer and reports it as a network failure", async () => {
      simulator.setLatency(300);
      const error = await client({ timeoutMs: 50, maxAttempts: 2 })
        .repositories()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(AspaceNetworkError);
      expect((error as AspaceNetworkError).networkCode).to.equal("ETIMEDOUT");
      expect((error as AspaceNetworkError).attempts).to.equal(2);
    });

    it("reports an unreachable server as a network failure after the retries", async () => {
      const url = simulator.url;
      await simulator.close();
      const error = await new AspaceClient({
        baseUrl: url,
        username: "admin",
        password: "x",
        maxAttempts: 2,
        retryInitialDelayMs: 1,
      })
        .login()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(AspaceNetworkError);
      expect((error as AspaceNetworkError).networkCode).to.equal("ECONNREFUSED");
      expect((error as AspaceNetworkError).message).to.match(
        /^ArchivesSpace did not answer POST \/users\/admin\/login/,
      );
    });
  });
});
