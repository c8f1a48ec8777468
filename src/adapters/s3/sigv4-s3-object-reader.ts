/**
 * One S3 GetObject, without the S3 client: a request signed with `@smithy/signature-v4` and sent with
 * `fetch`. The HTTP API and the Cognito triggers read the FIDO metadata snapshot (s3-mds3-source.ts)
 * while a user waits; `@aws-sdk/client-s3` cost them about 8 ms of every cold start (bench:cold), while
 * the signer and the default credential chain are in their bundles already, for the DynamoDB client.
 * Writing the snapshot (s3-mds3-refresh.ts) keeps the SDK: that function runs on a schedule.
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { StorageUnavailableError } from "../../ports/storage-unavailable-error.js";

/**
 * What a GetObject came to: the object, `not_modified` (it still has the ETag given as `ifNoneMatch`) or
 * `not_found`. Anything else (403, 5xx, a network fault, a time-out) is thrown as StorageUnavailableError;
 * note that without s3:ListBucket S3 answers a missing key with 403, not 404.
 */
export type S3ObjectRead =
  | { readonly kind: "object"; readonly body: string; readonly etag: string | null }
  | { readonly kind: "not_modified" }
  | { readonly kind: "not_found" };

export interface S3ObjectReader {
  /** The object's text; with `ifNoneMatch`, `not_modified` while its ETag is still that one. */
  read(bucket: string, key: string, ifNoneMatch: string | null): Promise<S3ObjectRead>;
}

/** Fixed credentials or a provider of them (`defaultProvider()`'s chain by default), as the signer takes them. */
export type S3Credentials = ConstructorParameters<typeof SignatureV4>[0]["credentials"];

export interface SigV4S3ObjectReaderOptions {
  /** The bucket's region: the request goes to its regional endpoint and is signed for it. */
  readonly region: string;
  readonly credentials?: S3Credentials;
  /** For tests; the global `fetch` by default. */
  readonly fetch?: typeof fetch;
  /** The whole request, body included; default 2 seconds (a trigger has 5 in all). */
  readonly timeoutMs?: number;
  /** Larger objects are refused unread; default 8 MiB (the snapshot is well under 1 MiB). */
  readonly maxBodyBytes?: number;
}

/** The SHA-256 of an empty body: what S3 wants as x-amz-content-sha256 on a GET signed in the header. */
const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const DEFAULT_TIMEOUT_MS = 2_000;
const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export class SigV4S3ObjectReader implements S3ObjectReader {
  readonly #region: string;
  readonly #signer: SignatureV4;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #maxBodyBytes: number;

  constructor(options: SigV4S3ObjectReaderOptions) {
    this.#region = options.region;
    this.#signer = s3Signer(options.region, options.credentials ?? defaultProvider());
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  async read(bucket: string, key: string, ifNoneMatch: string | null): Promise<S3ObjectRead> {
    const operation = `GetObject s3://${bucket}/${key}`;
    const hostname = `${bucket}.s3.${this.#region}.amazonaws.com`;
    const path = objectPath(key);
    if (path === null) throw new StorageUnavailableError(operation, false, new Error("a key with a . or .. segment cannot be asked for: URLs resolve them"));
    let headers: Record<string, string>;
    try {
      headers = await signS3Request(this.#signer, { hostname, path, headers: { "x-amz-content-sha256": EMPTY_BODY_SHA256, ...(ifNoneMatch === null ? {} : { "if-none-match": ifNoneMatch }) } });
    } catch (fault) {
      // No credentials, or none the chain could find: nothing a retry in the same process would change.
      throw new StorageUnavailableError(operation, false, fault);
    }
    // fetch sets Host from the URL, the same value that was signed.
    const { host: _host, ...sent } = headers;
    let response: Response;
    let body: string;
    try {
      // Manual: a redirect (a bucket in another region) is S3 refusing the request, not a place to follow.
      response = await this.#fetch(`https://${hostname}${path}`, { method: "GET", headers: sent, redirect: "manual", signal: AbortSignal.timeout(this.#timeoutMs) });
      if (response.status === 304) return discard(response, { kind: "not_modified" });
      if (response.status === 404) return discard(response, { kind: "not_found" });
      if (response.status !== 200) {
        const code = s3ErrorCode(await response.text());
        throw new StorageUnavailableError(operation, response.status >= 500 || response.status === 429, new S3ErrorResponse(response.status, code));
      }
      const length = Number(response.headers.get("content-length") ?? "0");
      if (length > this.#maxBodyBytes) {
        await response.body?.cancel();
        throw new StorageUnavailableError(operation, false, new Error(`the object has ${length} bytes, more than the ${this.#maxBodyBytes} read`));
      }
      body = await response.text();
    } catch (fault) {
      if (fault instanceof StorageUnavailableError) throw fault;
      // A time-out (TimeoutError), a connection that failed or broke (TypeError: fetch failed): try again later.
      throw new StorageUnavailableError(operation, true, fault);
    }
    // Without a Content-Length (a chunked answer) the cap holds after the fact.
    if (Buffer.byteLength(body) > this.#maxBodyBytes) throw new StorageUnavailableError(operation, false, new Error(`the object has more than the ${this.#maxBodyBytes} bytes read`));
    return { kind: "object", body, etag: response.headers.get("etag") };
  }
}

/** S3's answer other than 200, 304 and 404: named by S3's error code (AccessDenied, SlowDown…) for the logs. */
export class S3ErrorResponse extends Error {
  constructor(
    readonly status: number,
    code: string | null,
  ) {
    super(`S3 answered HTTP ${status}`);
    this.name = code ?? `HTTP ${status}`;
  }
}

/**
 * The signer as S3 wants it: the path is signed as sent, escaped once (S3 alone among the services does
 * not escape it again), and the payload hash goes in x-amz-content-sha256.
 */
export function s3Signer(region: string, credentials: S3Credentials): SignatureV4 {
  return new SignatureV4({ service: "s3", region, credentials, sha256: NodeSha256, uriEscapePath: false, applyChecksum: true });
}

/** A GET of `path` on `hostname` signed in the header: the headers to send, authorization, x-amz-date and x-amz-security-token included. */
export async function signS3Request(
  signer: SignatureV4,
  request: { readonly hostname: string; readonly path: string; readonly headers: Readonly<Record<string, string>> },
  signingDate?: Date,
): Promise<Record<string, string>> {
  const signed = await signer.sign(
    { method: "GET", protocol: "https:", hostname: request.hostname, path: request.path, query: {}, headers: { ...request.headers, host: request.hostname } },
    signingDate === undefined ? {} : { signingDate },
  );
  return { ...signed.headers };
}

/**
 * The key as a URL path, each segment escaped as SigV4 escapes it (RFC 3986: encodeURIComponent, and
 * also ! ' ( ) *). Null for a key with a `.` or `..` segment, which fetch's URL parsing would resolve.
 */
export function objectPath(key: string): string | null {
  const segments = key.split("/");
  if (segments.some((segment) => segment === "." || segment === "..")) return null;
  return `/${segments.map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join("/")}`;
}

/** Frees the connection of an answer whose body is not read. */
async function discard<T>(response: Response, result: T): Promise<T> {
  await response.body?.cancel();
  return result;
}

function s3ErrorCode(xml: string): string | null {
  return /<Code>([A-Za-z0-9.]{1,64})<\/Code>/.exec(xml)?.[1] ?? null;
}

/** SHA-256 and HMAC-SHA256 on node:crypto, in the shape the signer's `sha256` option takes. */
class NodeSha256 {
  readonly #secret: string | Uint8Array | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#secret = secret === undefined || typeof secret === "string" ? secret : ArrayBuffer.isView(secret) ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength) : new Uint8Array(secret);
    this.#hash = this.#make();
  }

  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }

  reset(): void {
    this.#hash = this.#make();
  }

  #make(): Hash | Hmac {
    return this.#secret === undefined ? createHash("sha256") : createHmac("sha256", this.#secret);
  }
}
