export * from "./file-server.js";
export * from "./sftp-server.js";
export * from "./ftp-server.js";
export * from "./certificate.js";
export * from "./ssh-key.js";
