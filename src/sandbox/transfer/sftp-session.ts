import type { Stats } from "node:fs";
import {
  open,
  type FileHandle,
  lstat,
  mkdir,
  readdir,
  rename,
  rm,
  rmdir,
  stat,
  utimes,
  chmod,
} from "node:fs/promises";
import path from "node:path";
import ssh2, { type Attributes, type FileEntry, type SFTPWrapper } from "ssh2";

const { utils } = ssh2;

const STATUS = utils.sftp.STATUS_CODE;
const READDIR_BATCH = 64;

type Handle =
  { kind: "file"; file: FileHandle } | { kind: "dir"; entries: FileEntry[] | undefined; real: string };

/**
 * Serves one SFTP session from a local folder, which the client sees as `/`. Enough of SFTP v3 for
 * ssh2-sftp-client and OpenSSH's sftp: open/read/write/close, stat, readdir, mkdir, rmdir, remove, realpath, and
 * rename that, as the protocol says, fails when the target exists.
 */
export function serveSftp(sftp: SFTPWrapper, root: string): void {
  const handles = new Map<number, Handle>();
  let nextHandle = 1;

  const real = (clientPath: string) => path.join(root, path.posix.resolve("/", clientPath || "."));
  const toBuffer = (id: number) => {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(id);
    return buffer;
  };
  const lookup = (buffer: Buffer) => (buffer.length === 4 ? handles.get(buffer.readUInt32BE(0)) : undefined);
  const fail = (reqid: number, error: unknown) =>
    sftp.status(reqid, statusFor(error), (error as Error).message);
  const guard = (reqid: number, work: () => Promise<void>) => {
    work().catch((error: unknown) => fail(reqid, error));
  };

  sftp.on("OPEN", (reqid, filename, flags) =>
    guard(reqid, async () => {
      const mode = utils.sftp.flagsToString(flags);
      if (!mode) return void sftp.status(reqid, STATUS.FAILURE, "unsupported open flags");
      const file = await open(real(filename), mode);
      const id = nextHandle++;
      handles.set(id, { kind: "file", file });
      sftp.handle(reqid, toBuffer(id));
    }),
  );

  sftp.on("READ", (reqid, handle, offset, length) =>
    guard(reqid, async () => {
      const entry = lookup(handle);
      if (entry?.kind !== "file") return void sftp.status(reqid, STATUS.FAILURE, "bad handle");
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await entry.file.read(buffer, 0, length, offset);
      if (bytesRead === 0) return void sftp.status(reqid, STATUS.EOF);
      sftp.data(reqid, buffer.subarray(0, bytesRead));
    }),
  );

  sftp.on("WRITE", (reqid, handle, offset, data) =>
    guard(reqid, async () => {
      const entry = lookup(handle);
      if (entry?.kind !== "file") return void sftp.status(reqid, STATUS.FAILURE, "bad handle");
      await entry.file.write(data, 0, data.length, offset);
      sftp.status(reqid, STATUS.OK);
    }),
  );

  sftp.on("CLOSE", (reqid, handle) =>
    guard(reqid, async () => {
      const entry = lookup(handle);
      if (!entry) return void sftp.status(reqid, STATUS.FAILURE, "bad handle");
      handles.delete(handle.readUInt32BE(0));
      if (entry.kind === "file") await entry.file.close();
      sftp.status(reqid, STATUS.OK);
    }),
  );

  sftp.on("FSTAT", (reqid, handle) =>
    guard(reqid, async () => {
      const entry = lookup(handle);
      if (!entry) return void sftp.status(reqid, STATUS.FAILURE, "bad handle");
      sftp.attrs(reqid, toAttrs(entry.kind === "file" ? await entry.file.stat() : await stat(entry.real)));
    }),
  );

  sftp.on("STAT", (reqid, clientPath) =>
    guard(reqid, async () => sftp.attrs(reqid, toAttrs(await stat(real(clientPath))))),
  );
  sftp.on("LSTAT", (reqid, clientPath) =>
    guard(reqid, async () => sftp.attrs(reqid, toAttrs(await lstat(real(clientPath))))),
  );

  sftp.on("SETSTAT", (reqid, clientPath, attrs) =>
    guard(reqid, async () => {
      await applyAttrs(real(clientPath), attrs);
      sftp.status(reqid, STATUS.OK);
    }),
  );
  sftp.on("FSETSTAT", (reqid, handle, attrs) =>
    guard(reqid, async () => {
      const entry = lookup(handle);
      if (entry?.kind === "file" && attrs.mode !== undefined) await entry.file.chmod(attrs.mode & 0o7777);
      sftp.status(reqid, STATUS.OK);
    }),
  );

  sftp.on("OPENDIR", (reqid, clientPath) =>
    guard(reqid, async () => {
      const folder = real(clientPath);
      if (!(await stat(folder)).isDirectory()) return void sftp.status(reqid, STATUS.FAILURE, "not a folder");
      const id = nextHandle++;
      handles.set(id, { kind: "dir", entries: undefined, real: folder });
      sftp.handle(reqid, toBuffer(id));
    }),
  );

  sftp.on("READDIR", (reqid, handle) =>
    guard(reqid, async () => {
      const entry = lookup(handle);
      if (entry?.kind !== "dir") return void sftp.status(reqid, STATUS.FAILURE, "bad handle");
      entry.entries ??= await listFolder(entry.real);
      if (entry.entries.length === 0) return void sftp.status(reqid, STATUS.EOF);
      sftp.name(reqid, entry.entries.splice(0, READDIR_BATCH));
    }),
  );

  sftp.on("REALPATH", (reqid, clientPath) => {
    const resolved = path.posix.resolve("/", clientPath || ".");
    sftp.name(reqid, [{ filename: resolved, longname: resolved, attrs: {} as Attributes }]);
  });

  sftp.on("MKDIR", (reqid, clientPath) =>
    guard(reqid, async () => {
      await mkdir(real(clientPath));
      sftp.status(reqid, STATUS.OK);
    }),
  );
  sftp.on("RMDIR", (reqid, clientPath) =>
    guard(reqid, async () => {
      await rmdir(real(clientPath));
      sftp.status(reqid, STATUS.OK);
    }),
  );
  sftp.on("REMOVE", (reqid, clientPath) =>
    guard(reqid, async () => {
      const target = real(clientPath);
      if ((await lstat(target)).isDirectory()) return void sftp.status(reqid, STATUS.FAILURE, "is a folder");
      await rm(target);
      sftp.status(reqid, STATUS.OK);
    }),
  );
  sftp.on("RENAME", (reqid, from, to) =>
    guard(reqid, async () => {
      const target = real(to);
      const taken = await lstat(target).then(
        () => true,
        () => false,
      );
      if (taken) return void sftp.status(reqid, STATUS.FAILURE, "target exists");
      await rename(real(from), target);
      sftp.status(reqid, STATUS.OK);
    }),
  );
  sftp.on("EXTENDED", (reqid) => sftp.status(reqid, STATUS.OP_UNSUPPORTED));
  sftp.on("READLINK", (reqid) => sftp.status(reqid, STATUS.OP_UNSUPPORTED));
  sftp.on("SYMLINK", (reqid) => sftp.status(reqid, STATUS.OP_UNSUPPORTED));

  sftp.on("close", () => {
    for (const entry of handles.values())
      if (entry.kind === "file") void entry.file.close().catch(() => undefined);
    handles.clear();
  });
}

async function listFolder(folder: string): Promise<FileEntry[]> {
  const names = await readdir(folder);
  const entries: FileEntry[] = [];
  for (const name of names) {
    const stats = await lstat(path.join(folder, name)).catch(() => undefined);
    if (stats) entries.push({ filename: name, longname: longname(name, stats), attrs: toAttrs(stats) });
  }
  return entries;
}

function toAttrs(stats: Stats): Attributes {
  return {
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    atime: Math.floor(stats.atimeMs / 1000),
    mtime: Math.floor(stats.mtimeMs / 1000),
  };
}

async function applyAttrs(target: string, attrs: Attributes): Promise<void> {
  if (attrs.mode !== undefined) await chmod(target, attrs.mode & 0o7777);
  if (attrs.atime !== undefined && attrs.mtime !== undefined) await utimes(target, attrs.atime, attrs.mtime);
}

/** An `ls -l` line, which SFTP clients read the entry type from. */
function longname(name: string, stats: Stats): string {
  const type = stats.isDirectory() ? "d" : stats.isSymbolicLink() ? "l" : stats.isFile() ? "-" : "?";
  const bits = "rwxrwxrwx"
    .split("")
    .map((letter, index) => (stats.mode & (1 << (8 - index)) ? letter : "-"))
    .join("");
  const date = stats.mtime.toUTCString().slice(5, 16);
  return `${type}${bits} 1 ${stats.uid} ${stats.gid} ${stats.size} ${date} ${name}`;
}

function statusFor(error: unknown): number {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return STATUS.NO_SUCH_FILE;
  if (code === "EACCES" || code === "EPERM") return STATUS.PERMISSION_DENIED;
  return STATUS.FAILURE;
}
