/**
 * `ftp_server.private_key` holds the key itself or the path of a key file (README: "key text or a path"). Text
 * is what has a PEM/OpenSSH `-----BEGIN` line or more than one line; anything else is a path.
 */
export function isPrivateKeyText(value: string): boolean {
  return value.includes("-----BEGIN") || value.includes("\n");
}

/**
 * What a message must never show of a key given as text: the whole key and each line of its body (a library may
 * quote them apart, or with other line ends). The `-----BEGIN …-----` markers and short lines give nothing away.
 */
export function privateKeySecrets(key: string): string[] {
  const lines = key
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith("-----"));
  return [key, ...lines];
}
