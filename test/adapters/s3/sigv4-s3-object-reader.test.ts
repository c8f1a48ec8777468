import { createHash, createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { objectPath, s3Signer, signS3Request, SigV4S3ObjectReader } from "../../../src/adapters/s3/sigv4-s3-object-reader.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session-token-example" };
const NOW = new Date("2026-03-01T12:34:56Z");

interface Sent {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly init: RequestInit | undefined;
}

/** A fetch that answers `answer` and records each request. */
function fakeFetch(answer: () => Response | Promise<Response>): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fake: typeof fetch = (input, init) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    sent.push({ url: String(input), headers, init });
    return Promise.resolve(answer());
  };
  return { fetch: fake, sent };
}

/**
 * SigV4 for a header-signed request, computed here from the specification's steps with node:crypto: an
 * oracle independent of @smithy/signature-v4.
 */
function expectedSignature(request: { path: string; headers: Record<string, string> }, secret: string, region: string, amzDate: string): string {
  const names = Object.keys(request.headers).sort();
  const canonical = ["GET", request.path, "", ...names.map((name) => `${name}:${request.headers[name]?.trim()}`), "", names.join(";"), request.headers["x-amz-content-sha256"]].join("\n");
  const date = amzDate.slice(0, 8);
  const scope = `${date}/${region}/s3/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, createHash("sha256").update(canonical).digest("hex")].join("\n");
  const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), "s3"), "aws4_request");
  return createHmac("sha256", key).update(toSign).digest("hex");
}

describe("the S3 signer's configuration", () => {
  it("reproduces AWS's published SigV4 example for S3 GET Object (examplebucket, /test.txt, Range: bytes=0-9)", async () => {
    // The S3 API reference's "GET Object" example of signing in the Authorization header.
    const signer = s3Signer("us-east-1", { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" });
    const headers = await signS3Request(
      signer,
      { hostname: "examplebucket.s3.amazonaws.com", path: "/test.txt", headers: { range: "bytes=0-9", "x-amz-content-sha256": EMPTY_SHA256 } },
      new Date("2013-05-24T00:00:00Z"),
    );
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
    expect(headers["x-amz-date"]).toBe("20130524T000000Z");
  });

  it("signs the path as given, escaped once: S3 does not escape it again", async () => {
    const signer = s3Signer("eu-west-1", CREDENTIALS);
    const path = "/a%20b/c%2Bd.json";
    const headers = await signS3Request(signer, { hostname: "b.s3.eu-west-1.amazonaws.com", path, headers: { "x-amz-content-sha256": EMPTY_SHA256 } }, NOW);
    const signed = { host: "b.s3.eu-west-1.amazonaws.com", "x-amz-content-sha256": EMPTY_SHA256, "x-amz-date": "20260301T123456Z", "x-amz-security-token": CREDENTIALS.sessionToken };
    expect(headers.authorization).toMatch(new RegExp(`Signature=${expectedSignature({ path, headers: signed }, CREDENTIALS.secretAccessKey, "eu-west-1", "20260301T123456Z")}$`));
  });
});

describe("objectPath", () => {
  it("escapes each segment of the key as SigV4 does, keeping the slashes", () => {
    expect(objectPath("mds3/metadata.json")).toBe("/mds3/metadata.json");
    expect(objectPath("a b/c+d/é/it's(1)*!")).toBe("/a%20b/c%2Bd/%C3%A9/it%27s%281%29%2A%21");
  });

  it("refuses a key with a . or .. segment, which a URL would resolve away", () => {
    expect(objectPath("a/../b")).toBeNull();
    expect(objectPath("./b")).toBeNull();
  });
});

describe("SigV4S3ObjectReader", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const reader = (send: typeof fetch, options: { timeoutMs?: number; maxBodyBytes?: number } = {}) => new SigV4S3ObjectReader({ region: "eu-west-1", credentials: CREDENTIALS, fetch: send, ...options });

  it("GETs the object at its virtual-hosted URL, signed for S3 in the bucket's region, with If-None-Match when given", async () => {
    const { fetch, sent } = fakeFetch(() => new Response(null, { status: 304 }));
    await reader(fetch).read("keyport-metadata", "mds3/snap shot+1.json", '"v5"');
    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(request?.url).toBe("https://keyport-metadata.s3.eu-west-1.amazonaws.com/mds3/snap%20shot%2B1.json");
    expect(request?.init?.method).toBe("GET");
    expect(request?.init?.redirect).toBe("manual");
    expect(request?.headers).toMatchObject({
      "x-amz-date": "20260301T123456Z",
      "x-amz-security-token": "session-token-example",
      "x-amz-content-sha256": EMPTY_SHA256,
      "if-none-match": '"v5"',
    });
    // fetch sets Host from the URL.
    expect(request?.headers.host).toBeUndefined();
    const authorization = request?.headers.authorization ?? "";
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260301\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;if-none-match;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    const { authorization: _, ...signedHeaders } = request?.headers ?? {};
    const signature = expectedSignature(
      { path: "/mds3/snap%20shot%2B1.json", headers: { ...signedHeaders, host: "keyport-metadata.s3.eu-west-1.amazonaws.com" } },
      CREDENTIALS.secretAccessKey,
      "eu-west-1",
      "20260301T123456Z",
    );
    expect(authorization.endsWith(`Signature=${signature}`)).toBe(true);
  });

  it("sends no If-None-Match without an ETag, and answers 200 with the body and the ETag", async () => {
    const { fetch, sent } = fakeFetch(() => new Response('{"no":5}', { status: 200, headers: { etag: '"abc"', "content-length": "8" } }));
    expect(await reader(fetch).read("b-1", "k", null)).toEqual({ kind: "object", body: '{"no":5}', etag: '"abc"' });
    expect(sent[0]?.headers["if-none-match"]).toBeUndefined();
    expect(sent[0]?.headers.authorization).toContain("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,");
  });

  it("answers 200 without an ETag header with a null etag", async () => {
    const { fetch } = fakeFetch(() => new Response("x", { status: 200 }));
    expect(await reader(fetch).read("b-1", "k", null)).toEqual({ kind: "object", body: "x", etag: null });
  });

  it("answers 304 as not_modified and 404 as not_found", async () => {
    expect(await reader(fakeFetch(() => new Response(null, { status: 304 })).fetch).read("b-1", "k", '"e"')).toEqual({ kind: "not_modified" });
    const missing = new Response("<Error><Code>NoSuchKey</Code></Error>", { status: 404 });
    expect(await reader(fakeFetch(() => missing).fetch).read("b-1", "k", null)).toEqual({ kind: "not_found" });
  });

  it("throws a non-retryable StorageUnavailableError for 403, named by S3's error code", async () => {
    const denied = () => new Response("<?xml version='1.0'?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>", { status: 403 });
    const fault: unknown = await reader(fakeFetch(denied).fetch).read("b-1", "k", null).catch((error: unknown) => error);
    expect(fault).toBeInstanceOf(StorageUnavailableError);
    expect(fault).toMatchObject({ retryable: false, cause: { name: "AccessDenied", status: 403 } });
    expect(String(fault)).toMatch(/GetObject s3:\/\/b-1\/k .*AccessDenied/);
  });

  it("throws a retryable StorageUnavailableError for 5xx", async () => {
    const slowDown = () => new Response("<Error><Code>SlowDown</Code></Error>", { status: 503 });
    await expect(reader(fakeFetch(slowDown).fetch).read("b-1", "k", null)).rejects.toMatchObject({ name: "StorageUnavailableError", retryable: true, cause: { name: "SlowDown" } });
    const internal = () => new Response("", { status: 500 });
    await expect(reader(fakeFetch(internal).fetch).read("b-1", "k", null)).rejects.toMatchObject({ retryable: true, cause: { name: "HTTP 500" } });
  });

  it("throws a non-retryable StorageUnavailableError for a redirect (a bucket in another region)", async () => {
    const moved = () => new Response("<Error><Code>PermanentRedirect</Code></Error>", { status: 301 });
    await expect(reader(fakeFetch(moved).fetch).read("b-1", "k", null)).rejects.toMatchObject({ retryable: false, cause: { name: "PermanentRedirect" } });
  });

  it("throws a retryable StorageUnavailableError when the connection fails", async () => {
    const failing: typeof fetch = () => Promise.reject(new TypeError("fetch failed"));
    await expect(reader(failing).read("b-1", "k", null)).rejects.toMatchObject({ name: "StorageUnavailableError", retryable: true, cause: { name: "TypeError" } });
  });

  it("gives up after timeoutMs with a retryable StorageUnavailableError", async () => {
    vi.useRealTimers();
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const started = Date.now();
    await expect(reader(hanging, { timeoutMs: 30 }).read("b-1", "k", null)).rejects.toMatchObject({ retryable: true, cause: { name: "TimeoutError" } });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("gives each request a 2-second time-out by default", async () => {
    const { fetch, sent } = fakeFetch(() => new Response(null, { status: 304 }));
    const timeout = vi.spyOn(AbortSignal, "timeout");
    await reader(fetch).read("b-1", "k", '"e"');
    expect(timeout).toHaveBeenCalledWith(2_000);
    expect(sent[0]?.init?.signal).toBeInstanceOf(AbortSignal);
    timeout.mockRestore();
  });

  it("refuses a body above the cap, by its Content-Length or once read, without retrying", async () => {
    const declared = () => new Response("x".repeat(11), { status: 200, headers: { "content-length": "11" } });
    await expect(reader(fakeFetch(declared).fetch, { maxBodyBytes: 10 }).read("b-1", "k", null)).rejects.toMatchObject({ retryable: false, message: /11 bytes, more than the 10 read/ });
    const chunked = () => new Response(new Blob(["é".repeat(6)]).stream(), { status: 200 });
    await expect(reader(fakeFetch(chunked).fetch, { maxBodyBytes: 10 }).read("b-1", "k", null)).rejects.toMatchObject({ retryable: false, message: /more than the 10 bytes read/ });
    const fits = () => new Response("x".repeat(10), { status: 200, headers: { "content-length": "10" } });
    expect(await reader(fakeFetch(fits).fetch, { maxBodyBytes: 10 }).read("b-1", "k", null)).toMatchObject({ kind: "object", body: "x".repeat(10) });
  });

  it("refuses an 8 MiB + 1 body by default", async () => {
    const big = () => new Response(null, { status: 200, headers: { "content-length": String(8 * 1024 * 1024 + 1) } });
    await expect(reader(fakeFetch(big).fetch).read("b-1", "k", null)).rejects.toMatchObject({ retryable: false });
  });

  it("throws a non-retryable StorageUnavailableError when no credentials can be had, before any request", async () => {
    const { fetch, sent } = fakeFetch(() => new Response(null, { status: 304 }));
    const noCredentials = () => Promise.reject(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
    const failing = new SigV4S3ObjectReader({ region: "eu-west-1", credentials: noCredentials, fetch });
    await expect(failing.read("b-1", "k", null)).rejects.toMatchObject({ name: "StorageUnavailableError", retryable: false, cause: { name: "CredentialsProviderError" } });
    expect(sent).toEqual([]);
  });

  it("refuses a key with a dot segment without a request", async () => {
    const { fetch, sent } = fakeFetch(() => new Response(null, { status: 304 }));
    await expect(reader(fetch).read("b-1", "a/../k", null)).rejects.toMatchObject({ retryable: false });
    expect(sent).toEqual([]);
  });
});
