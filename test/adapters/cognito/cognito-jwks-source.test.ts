import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CognitoJwksSource, cognitoIssuer, cognitoJwksUrl } from "../../../src/adapters/cognito/cognito-jwks-source.js";

// A real HTTP server on loopback stands in for Cognito's JWKS endpoint: the adapter's fetch runs for real.
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  "/jwks": (_, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [{ kty: "RSA", kid: "k1", n: "AQAB", e: "AQAB" }, "junk"] })),
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

describe("CognitoJwksSource", () => {
  it("names the user pool's issuer and JWKS URL", () => {
    expect(cognitoIssuer("eu-west-1", "eu-west-1_Kp7Test01")).toBe("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Kp7Test01");
    expect(cognitoJwksUrl("eu-west-1", "eu-west-1_Kp7Test01")).toBe("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Kp7Test01/.well-known/jwks.json");
  });

  it("returns the key objects of the JWKS, asking for JSON", async () => {
    expect(await new CognitoJwksSource({ url: `${base}/jwks` }).getKeys()).toEqual([{ kty: "RSA", kid: "k1", n: "AQAB", e: "AQAB" }]);
    expect(seenAccept).toContain("application/json");
  });

  it.each([
    ["an HTTP error", "/error", /HTTP 503/],
    ["a body that is not JSON", "/html", /JSON/],
    ["a JSON body without keys", "/no-keys", /no "keys" array/],
  ])("throws on %s", async (_, path, message) => {
    await expect(new CognitoJwksSource({ url: `${base}${path}` }).getKeys()).rejects.toThrow(message);
  });

  it("gives up after its timeout", async () => {
    const started = Date.now();
    await expect(new CognitoJwksSource({ url: `${base}/hang`, timeoutMs: 100 }).getKeys()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
