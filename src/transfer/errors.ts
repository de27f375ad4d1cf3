import { isPrivateKeyText, privateKeySecrets } from "../runtime/private-key.js";
import type { TransferProtocol, TransferSettings } from "./settings.js";

export type TransferOperation =
  "connect" | "list" | "stat" | "exists" | "download" | "upload" | "rename" | "remove" | "mkdirp" | "close";

/** Where a transfer error happened. Never holds the password or the key. */
export interface TransferErrorContext {
  protocol: TransferProtocol;
  host: string;
  port: number;
  user: string;
  operation: TransferOperation;
  /** The remote path the operation was about (for a rename: the source). */
  path?: string;
}

/** A file-server operation failed; the subclasses say why. Callers branch on the class or `code`. */
export class TransferError extends Error {
  override readonly name: string = "TransferError";
  readonly code: string = "ETRANSFER";
  readonly protocol: TransferProtocol;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly operation: TransferOperation;
  readonly path: string | undefined;

  constructor(context: TransferErrorContext, detail: string, options?: ErrorOptions) {
    super(describe(context, detail), options);
    this.protocol = context.protocol;
    this.host = context.host;
    this.port = context.port;
    this.user = context.user;
    this.operation = context.operation;
    this.path = context.path;
  }
}

/** The server could not be reached, or the connection dropped and reconnecting once did not help. */
export class TransferConnectionError extends TransferError {
  override readonly name = "TransferConnectionError";
  override readonly code = "ECONNECTION";
}

/** The server refused the user name, password or key. */
export class TransferAuthError extends TransferError {
  override readonly name = "TransferAuthError";
  override readonly code = "EAUTH";
}

/** The server's host key (SFTP) or certificate (FTPS) is not the one pinned in `host_key_sha256`. */
export class HostKeyMismatchError extends TransferError {
  override readonly name = "HostKeyMismatchError";
  override readonly code = "EHOSTKEY";
  constructor(
    context: TransferErrorContext,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(context, `the server's key is ${actual}, not the pinned ${expected}`);
  }
}

/** The remote file or folder does not exist. */
export class RemoteNotFoundError extends TransferError {
  override readonly name = "RemoteNotFoundError";
  override readonly code = "ENOTFOUND";
}

/** The target of a rename exists already: nothing is ever replaced by a rename. */
export class RemoteExistsError extends TransferError {
  override readonly name = "RemoteExistsError";
  override readonly code = "EEXIST";
}

/** A transfer ended with a different number of bytes than the source holds. */
export class TransferSizeError extends TransferError {
  override readonly name = "TransferSizeError";
  override readonly code = "ESIZE";
  constructor(
    context: TransferErrorContext,
    readonly expectedBytes: number,
    readonly actualBytes: number,
  ) {
    super(context, `expected ${expectedBytes} bytes, got ${actualBytes}`);
  }
}

function describe(context: TransferErrorContext, detail: string): string {
  const where = `${context.protocol}://${context.user}@${context.host}:${context.port}`;
  const what = context.path ? `${context.operation} ${context.path}` : context.operation;
  return `${what} on ${where} failed: ${detail}`;
}

/** An error message with every secret cut out (a library may echo what it was given). */
export function scrubSecrets(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  // Longest first, so a secret that contains another is cut out whole.
  const present = secrets.filter((s): s is string => s !== undefined && s.length > 0);
  for (const secret of present.sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join("***");
  }
  return out;
}

/**
 * What a message must never show: the password, also as a URL writes it (`sftp://alma:p%40ss@host` echoed back),
 * the passphrase, and a private key given as text, whole and line by line (a key given as a path is no secret).
 */
export function secretsOf(
  settings: Pick<TransferSettings, "password" | "passphrase" | "privateKey">,
): string[] {
  const { password, passphrase, privateKey } = settings;
  const secrets = [password, passphrase].filter((s): s is string => s !== undefined && s !== "");
  if (password) secrets.push(encodeURIComponent(password));
  if (privateKey !== undefined && isPrivateKeyText(privateKey))
    secrets.push(...privateKeySecrets(privateKey));
  return [...new Set(secrets)];
}
