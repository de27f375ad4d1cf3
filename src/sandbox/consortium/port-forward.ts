import net from "node:net";

/** A TCP listener on a chosen port that relays every connection to another local port. */
export interface PortForward {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Listens on `127.0.0.1:port` and relays to `127.0.0.1:targetPort`. The ArchivesSpace, Aleph and CaiaSoft
 * simulators always take a free port; `--port-base` puts them at fixed ports through this relay.
 */
export async function forwardPort(port: number, targetPort: number): Promise<PortForward> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await listen(server, port);
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on right now (bound, read, released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await listen(server, 0);
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}
