/**
 * `npm run build:site [-- --api <ApiUrl>] [--out <dir>]`: the demo page as a self-contained static
 * site (dist/site by default) that works when hosted anywhere: on a CDN, a bucket, a plain web server.
 *
 * It holds exactly the files the local server serves (STATIC_PATHS in src/handlers/http/static-files.ts,
 * each read through the same fileSystemStaticFiles), so the page cannot ask a static host for a file
 * the build left out, such as the vendored @simplewebauthn/browser bundle that the local server takes
 * from node_modules. `--api` puts the deployed API's base URL (the stack's `ApiUrl` output) into the
 * page's `keyport-api` meta tag; without it the page calls its own origin (a host that routes the API
 * paths to API Gateway). `--user-pool-id` and `--user-pool-client-id` (the stack's `UserPoolId` and
 * `UserPoolClientId` outputs) give the page password accounts in that pool, signed up and in with
 * Amplify (`--user-pool-endpoint` for a pool that Cognito's regional endpoint does not answer for), and
 * `--second-factor` the stack's policy, which decides the page's password flow (demo-page-settings.ts).
 * The page gets its Content-Security-Policy as a meta tag, since a static host sends none of keyport's
 * headers.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SECOND_FACTOR_POLICIES, type SecondFactorPolicy } from "../src/domain/custom-challenge/second-factor.js";
import { attribute, demoPageSettingsProblem, userPoolConnectOrigin, withDemoPageSettings, type DemoPageSettings, type DemoUserPool } from "../src/handlers/http/demo-page-settings.js";
import { fileSystemStaticFiles } from "../src/handlers/http/file-system-static-files.js";
import { PAGE_CSP } from "../src/handlers/http/headers.js";
import { STATIC_PATHS, type StaticFiles, type StaticPath } from "../src/handlers/http/static-files.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
export const SITE_OUTDIR = join(ROOT, "dist/site");

export interface SiteOptions {
  /** @default dist/site */
  readonly outDir?: string;
  /** The API's base URL for the page's meta tag; `null` or absent: the page's own origin. */
  readonly apiUrl?: string | null;
  /** The user pool of password accounts (Amplify on the page); absent or `null`: passkeys only. */
  readonly userPool?: DemoUserPool | null;
  /** The stack's second-factor policy, for the page's password flow. @default "off" */
  readonly secondFactor?: SecondFactorPolicy;
  /** Where the files come from. @default - the local server's: public/, node_modules and the client's sources */
  readonly files?: StaticFiles;
}

export interface BuiltSite {
  readonly outDir: string;
  /** The base URL written into the page, or `null` for the page's own origin. */
  readonly apiUrl: string | null;
  /** What the page was told of passwords, or `null` when its tags were left as they are (passkeys only). */
  readonly page: DemoPageSettings | null;
  readonly files: readonly { readonly path: StaticPath; readonly file: string; readonly bytes: number }[];
}

/** A build that cannot give a working site; its message is the one line `npm run build:site` prints. */
export class SiteBuildError extends Error {
  override readonly name = "SiteBuildError";
}

/** Where a served path lives in the site: `/` is the folder's index.html, the rest keep their paths. */
export function siteFileOf(path: StaticPath): string {
  return path === "/" ? "index.html" : path.replace(/^\/+/, "");
}

/**
 * The API base URL as the page uses it: http(s), https except on loopback (WebAuthn's own rule for
 * the page, and an API reached over plain http from an https page is blocked anyway), no query or
 * fragment, no trailing slash. A path is kept: an API Gateway stage other than `$default` has one.
 */
export function normaliseApiUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SiteBuildError(`--api ${JSON.stringify(text)} is not a URL (expected the stack's ApiUrl output, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com)`);
  }
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) throw new SiteBuildError(`--api ${JSON.stringify(text)} must use https (http only for localhost)`);
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") throw new SiteBuildError(`--api ${JSON.stringify(text)} must be a base URL, without query, fragment or credentials`);
  return url.href.replace(/\/+$/, "");
}

/**
 * The local server's page policy (PAGE_CSP) as a meta tag can carry it: without `frame-ancestors`,
 * which browsers ignore in a meta tag (and complain about; the host should send it as a header), and
 * with `connect-src` narrowed to the page's origin, the API's and the user pool's, if it has one: the
 * built page has one API and one pool.
 */
export function siteCsp(apiUrl: string | null, userPool: DemoUserPool | null = null): string {
  const origins = [...(apiUrl === null ? [] : [new URL(apiUrl).origin]), ...(userPool === null ? [] : [userPoolConnectOrigin(userPool, apiUrl)])];
  const connect = ["'self'", ...new Set(origins.filter((origin) => origin !== "'self'"))];
  return PAGE_CSP.split(";")
    .map((directive) => directive.trim())
    .filter((directive) => directive !== "" && !directive.startsWith("frame-ancestors"))
    .map((directive) => (directive.startsWith("connect-src") ? `connect-src ${connect.join(" ")}` : directive))
    .join("; ");
}

/**
 * index.html with the API base URL in its `keyport-api` meta tag, the user pool and second-factor
 * policy in theirs when `page` is given (else they stay as they are: empty, passkeys only), and the
 * policy in a meta tag of its own.
 */
export function siteIndexHtml(html: string, apiUrl: string | null, page: DemoPageSettings | null = null): string {
  const apiTag = /<meta\s+name="keyport-api"\s+content="[^"]*"\s*\/?>/g;
  const charset = /<meta\s+charset="utf-8"\s*\/?>/gi;
  if ((html.match(apiTag) ?? []).length !== 1) throw new SiteBuildError('public/index.html must have exactly one <meta name="keyport-api" content="…">, where the API base URL goes');
  if ((html.match(charset) ?? []).length !== 1) throw new SiteBuildError('public/index.html must have exactly one <meta charset="utf-8">, after which the policy goes');
  let filled = html;
  if (page !== null) {
    try {
      filled = withDemoPageSettings(html, page);
    } catch (error) {
      throw new SiteBuildError(error instanceof Error ? error.message.replace(/^the demo page/, "public/index.html") : String(error));
    }
  }
  // The policy must come before anything it governs: right after the charset, which must come first.
  return filled
    .replace(apiTag, `<meta name="keyport-api" content="${attribute(apiUrl ?? "")}">`)
    .replace(charset, (tag) => `${tag}\n  <meta http-equiv="Content-Security-Policy" content="${attribute(siteCsp(apiUrl, page?.userPool ?? null))}">`);
}

/**
 * The page's password settings from the build's options: `null` (tags left empty) without a user pool
 * and with the policy off; a SiteBuildError naming the flag for a bad one.
 */
export function sitePageSettings(userPool: DemoUserPool | null, secondFactor: SecondFactorPolicy = "off"): DemoPageSettings | null {
  if (!SECOND_FACTOR_POLICIES.includes(secondFactor)) throw new SiteBuildError(`--second-factor ${JSON.stringify(secondFactor)} must be one of ${SECOND_FACTOR_POLICIES.join(", ")}`);
  if (userPool === null) {
    if (secondFactor !== "off") throw new SiteBuildError(`--second-factor ${secondFactor} applies to password sign-in: give the user pool too (--user-pool-id, --user-pool-client-id)`);
    return null;
  }
  const page = { userPool, secondFactor };
  const problem = demoPageSettingsProblem(page);
  if (problem !== null) throw new SiteBuildError(`bad user pool setting: ${problem}`);
  return page;
}

/**
 * Empties `outDir` for a fresh build, refusing anything that does not look like an earlier build (a
 * folder with its index.html, or an empty one): `--out .` must not wipe the repository.
 */
function prepare(outDir: string): void {
  if (!relative(outDir, ROOT).startsWith("..")) throw new SiteBuildError(`--out ${outDir} holds the project; choose a folder of its own`);
  if (existsSync(outDir)) {
    const entries = readdirSync(outDir);
    if (entries.length > 0 && !entries.includes("index.html")) throw new SiteBuildError(`--out ${outDir} is not empty and holds no earlier build (no index.html); choose another folder`);
    rmSync(outDir, { recursive: true, force: true });
  }
  mkdirSync(outDir, { recursive: true });
}

export async function buildSite(options: SiteOptions = {}): Promise<BuiltSite> {
  const outDir = resolve(options.outDir ?? SITE_OUTDIR);
  const apiUrl = options.apiUrl === undefined || options.apiUrl === null || options.apiUrl === "" ? null : normaliseApiUrl(options.apiUrl);
  const page = sitePageSettings(options.userPool ?? null, options.secondFactor);
  const source = options.files ?? fileSystemStaticFiles({ publicDir: join(ROOT, "public"), nodeModulesDir: join(ROOT, "node_modules") });
  // Every file is read before the folder is touched, so a missing one leaves an earlier build in place.
  const assets = await Promise.all(
    STATIC_PATHS.map(async (path) => {
      const asset = await source.get(path);
      if (asset === null) throw new SiteBuildError(`${path} is missing: the local server would answer it 404 too (npm ci installs the vendored packages)`);
      return { path, asset };
    }),
  );
  prepare(outDir);
  const files = assets.map(({ path, asset }) => {
    const file = join(outDir, siteFileOf(path));
    const body = path === "/" ? Buffer.from(siteIndexHtml(Buffer.from(asset.body).toString("utf8"), apiUrl, page), "utf8") : asset.body;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
    return { path, file, bytes: body.byteLength };
  });
  return { outDir, apiUrl, page, files };
}

/** The user pool from the command's flags: both ids or neither; the endpoint only with them. */
function userPoolOf(values: { "user-pool-id"?: string; "user-pool-client-id"?: string; "user-pool-endpoint"?: string }): DemoUserPool | null {
  const { "user-pool-id": userPoolId, "user-pool-client-id": userPoolClientId, "user-pool-endpoint": endpoint } = values;
  if (userPoolId === undefined && userPoolClientId === undefined) {
    if (endpoint !== undefined) throw new SiteBuildError("--user-pool-endpoint needs --user-pool-id and --user-pool-client-id");
    return null;
  }
  if (userPoolId === undefined || userPoolClientId === undefined) throw new SiteBuildError("give both --user-pool-id and --user-pool-client-id (the stack's UserPoolId and UserPoolClientId outputs), or neither");
  return { userPoolId, userPoolClientId, endpoint: endpoint ?? null };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      api: { type: "string" },
      out: { type: "string" },
      "user-pool-id": { type: "string" },
      "user-pool-client-id": { type: "string" },
      "user-pool-endpoint": { type: "string" },
      "second-factor": { type: "string" },
    },
    allowPositionals: false,
  });
  const site = await buildSite({
    outDir: values.out,
    apiUrl: values.api ?? null,
    userPool: userPoolOf(values),
    ...(values["second-factor"] === undefined ? {} : { secondFactor: values["second-factor"] as SecondFactorPolicy }),
  });
  const shown = (path: string) => (relative(process.cwd(), path).startsWith("..") ? path : relative(process.cwd(), path) || ".");
  console.log(`build:site: ${shown(site.outDir)}, calling ${site.apiUrl ?? "the API on the origin that serves it (no --api given)"}`);
  const pool = site.page?.userPool ?? null;
  console.log(
    pool === null
      ? "  passkeys only (no --user-pool-id): the page offers no password accounts"
      : `  password accounts in user pool ${pool.userPoolId} (app client ${pool.userPoolClientId}, ${pool.endpoint ?? "Cognito's regional endpoint"}), second factor ${site.page?.secondFactor}`,
  );
  for (const { file, bytes } of site.files) console.log(`  ${relative(site.outDir, file).padEnd(36)} ${(bytes / 1024).toFixed(1).padStart(7)} KB`);
  console.log(`Host the folder on an origin listed in the stack's origins context; have it send "Content-Security-Policy: frame-ancestors 'none'" if it can.`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    // A setting or a missing file is one line; anything else is a fault and keeps its stack trace.
    const badArgument = error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS_");
    if (!(error instanceof SiteBuildError) && !badArgument) throw error;
    console.error(`build:site: ${error.message}`);
    process.exitCode = 1;
  });
}
