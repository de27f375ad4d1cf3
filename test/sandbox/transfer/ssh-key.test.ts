import { expect } from "chai";
import ssh2 from "ssh2";
import { generateSshKeyPair } from "../../../src/sandbox/transfer/ssh-key.js";

describe("ssh key generation for the test servers", () => {
  it("gives only keys ssh2 can parse (its own generator sometimes does not, about 1 in 250)", () => {
    for (let i = 0; i < 400; i++) {
      const pair = generateSshKeyPair();
      expect(ssh2.utils.parseKey(pair.private)).not.to.be.instanceOf(Error);
      expect(ssh2.utils.parseKey(pair.public)).not.to.be.instanceOf(Error);
    }
  });
});
