import ssh2 from "ssh2";

const { utils } = ssh2;

/**
 * A new ed25519 key pair in OpenSSH format. ssh2's generator now and then (about 1 in 250) writes a private key
 * that its own parser rejects as malformed; such a key is thrown away and another made.
 */
export function generateSshKeyPair(): { private: string; public: string } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = utils.generateKeyPairSync("ed25519");
    if (!(utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error("could not generate a usable ed25519 key in 20 attempts");
}
