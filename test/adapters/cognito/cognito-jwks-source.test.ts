import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cognitoIssuer, cognitoJwksUrl, createCognitoJwksCache, PlatformJwksFetcher } from "../../../src/adapters/cognito/cognito-jwks-source.js";
import { ManualClock } from "../../support/manual-clock.js";

const rsaJwk = (kid: string, modulusLength: number, extra: Record<string, string> = {}) => ({
  ...generateKeyPairSync("rsa", { modulusLength }).publicKey.export({ format: "jwk" }),
  kid,
  ...extra,
});
/** A key as Cognito publishes them, and entries of a JWKS keyport must not verify with. */
const poolKey = rsaJwk("k1", 2048, { alg: "RS256", use: "sig" });
const unusable = [
  "junk",
  { kty: "RSA", kid: "tiny", n: "AQAB", e: "AQAB" },
  rsaJwk("weak", 1024, { alg: "RS256", use: "sig" }),
  rsaJwk("encryption", 2048, { use: "enc" }),
  rsaJwk("rs512", 2048, { alg: "RS512" }),
  rsaJwk("no-kid", 2048, { kid: undefined as unknown as string }),
  { kty: "oct", kid: "oct-key", k: "c2VjcmV0" },
  { kty: "EC", kid: "ec-key", crv: "P-256", x: "AA", y: "AA" },
];

// A real HTTP server on loopback stands in for Cognito's JWKS endpoint: the adapter's fetch runs for real.
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  "/jwks": (_, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [poolKey, ...unusable] })),
  "/error": (_, res) => res.writeHead(503).end("unavailable"),
  "/html": (_, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html></html>"),
  "/no-keys": (_, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keyz: [] })),
  "/hang": () => {},
};
const seenAccept: string[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    seenAccept.push(String(req.headers.accept));
    (routes[req.url ?? ""] ?? ((_, r: ServerResponse) => r.writeHead(404).end()))(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** aws-jwt-verify's JWKS cache as keyport configures it: the platform fetch, keyport's key policy. */
const cache = (fetcher?: PlatformJwksFetcher) => createCognitoJwksCache({ clock: new ManualClock(), fetcher });

describe("the Cognito JWKS cache (aws-jwt-verify's, with keyport's fetch and key policy)", () => {
  it("names the user pool's issuer and JWKS URL", () => {
    expect(cognitoIssuer("eu-west-1", "eu-west-1_Kp7Test01")).toBe("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Kp7Test01");
    expect(cognitoJwksUrl("eu-west-1", "eu-west-1_Kp7Test01")).toBe("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Kp7Test01/.well-known/jwks.json");
  });

  it("returns the RS256 signing keys of at least 2048 bits of the JWKS, asking for JSON", async () => {
    expect(await cache().getJwks(`${base}/jwks`)).toEqual({ keys: [poolKey] });
    expect(seenAccept).toContain("application/json");
  });

  it.each([
    ["an HTTP error", "/error", /HTTP 503/],
    ["a body that is not JSON", "/html", /JSON/],
    ["a JSON body without keys", "/no-keys", /no "keys" array/],
  ])("throws on %s", async (_, path, message) => {
    await expect(cache().getJwks(`${base}${path}`)).rejects.toThrow(message);
  });

  it("gives up after its timeout", async () => {
    const started = Date.now();
    await expect(cache(new PlatformJwksFetcher(100)).getJwks(`${base}/hang`)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
