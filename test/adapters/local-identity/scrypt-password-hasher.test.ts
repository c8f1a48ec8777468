import { describe, expect, it } from "vitest";
import { DEFAULT_SCRYPT_PARAMETERS, ScryptPasswordHasher } from "../../../src/adapters/local-identity/scrypt-password-hasher.js";

const cheap = new ScryptPasswordHasher({ ln: 10, r: 8, p: 1 });

describe("ScryptPasswordHasher", () => {
  it("hashes to a PHC string that names scrypt, its parameters and its salt; each hash verifies only its password", async () => {
    const [first, second] = [await cheap.hash("Correct-Horse-9"), await cheap.hash("Correct-Horse-9")];
    expect(first).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(second).not.toBe(first);
    expect(await cheap.verify("Correct-Horse-9", first)).toBe(true);
    expect(await cheap.verify("Correct-Horse-9", second)).toBe(true);
    expect(await cheap.verify("Correct-Horse-8", first)).toBe(false);
    expect(await cheap.verify("correct-horse-9", first)).toBe(false);
  });

  it("hashes the password's UTF-8 as given, unnormalized, as SRP does: é composed and decomposed are two passwords", async () => {
    const hash = await cheap.hash("Caf\u00e9-Latte-1");
    expect(await cheap.verify("Caf\u00e9-Latte-1", hash)).toBe(true);
    expect(await cheap.verify("Cafe\u0301-Latte-1", hash)).toBe(false);
  });

  it("reads a hash made with other parameters than its own, so that they can be raised later", async () => {
    const old = await new ScryptPasswordHasher({ ln: 11, r: 4, p: 2 }).hash("Correct-Horse-9");
    expect(await cheap.verify("Correct-Horse-9", old)).toBe(true);
  });

  it("answers false, and does not throw, for a hash it cannot read or whose cost is out of bounds", async () => {
    const hash = await cheap.hash("Correct-Horse-9");
    for (const bad of ["", "plain", hash.replace("$scrypt$", "$argon2id$"), hash.replace("ln=10", "ln=31"), hash.replace("ln=10", "ln=5"), hash.replace("p=1", "p=99"), hash.slice(0, -2)]) {
      expect(await cheap.verify("Correct-Horse-9", bad)).toBe(false);
    }
  });

  it("uses N = 2^15, r = 8, p = 1 by default (32 MiB a hash)", async () => {
    expect(DEFAULT_SCRYPT_PARAMETERS).toEqual({ ln: 15, r: 8, p: 1 });
    const hash = await new ScryptPasswordHasher().hash("Correct-Horse-9");
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect(await cheap.verify("Correct-Horse-9", hash)).toBe(true);
  });
});
