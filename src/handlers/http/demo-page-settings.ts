/**
 * What the demo page is told about the Cognito user pool it signs password users up and in with
 * (through Amplify, `/vendor/amplify-auth.js`), about the second-factor policy, and about the
 * attestation the server's creation options ask for, as meta tags of its `index.html`: the local server
 * fills them from its own settings when it serves the page, and `npm run build:site` from its flags.
 * `public/index.html` ships them empty: the page then offers passkeys only, as it did before passwords,
 * and says nothing of attestation.
 */
import { SECOND_FACTOR_POLICIES, type SecondFactorPolicy } from "../../domain/custom-challenge/second-factor.js";
import { ATTESTATION_CONVEYANCES, type AttestationConveyance } from "../../domain/encoding/webauthn-json.js";

/** The user pool the page's Amplify client talks to (`Amplify.configure({ Auth: { Cognito: … } })`). */
export interface DemoUserPool {
  /** `<region>_<id>`: Amplify takes the region from it. */
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  /**
   * Where Cognito's API answers, resolved by the page against the keyport API's base URL: `"/"` for the
   * local server, which answers Cognito's API at its root beside keyport's; an absolute URL for another
   * host; `null` for Cognito's own endpoint in the pool's region (on AWS).
   */
  readonly endpoint: string | null;
}

export interface DemoPageSettings {
  /** `null`: no user pool for passwords; the page offers passkeys only. */
  readonly userPool: DemoUserPool | null;
  /** Which flow the page's password sign-in takes (`USER_SRP_AUTH` when off, `CUSTOM_WITH_SRP` otherwise). */
  readonly secondFactor: SecondFactorPolicy;
  /**
   * The attestation the server's creation options ask for (`ATTESTATION`); the page says so when it is
   * not `none`. Absent: the page's tag is left as it is (a static site's build does not know it).
   */
  readonly attestation?: AttestationConveyance;
}

/** The meta tags, by name, that carry each setting. */
export const DEMO_PAGE_META = {
  userPoolId: "keyport-user-pool-id",
  userPoolClientId: "keyport-user-pool-client-id",
  endpoint: "keyport-user-pool-endpoint",
  secondFactor: "keyport-second-factor",
  attestation: "keyport-attestation",
} as const;

/** A Cognito user pool id as Cognito makes them: region, underscore, id. */
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
/** A Cognito app client id: letters and digits (Cognito's are 26 lower-case ones; the local one is a word). */
const CLIENT_ID = /^[\w+]+$/;

/** Why the settings cannot be written into a page, or `null` when they can. */
export function demoPageSettingsProblem(settings: DemoPageSettings): string | null {
  if (!SECOND_FACTOR_POLICIES.includes(settings.secondFactor)) return `second factor ${JSON.stringify(settings.secondFactor)} is not one of ${SECOND_FACTOR_POLICIES.join(", ")}`;
  if (settings.attestation !== undefined && !ATTESTATION_CONVEYANCES.includes(settings.attestation)) {
    return `attestation ${JSON.stringify(settings.attestation)} is not one of ${ATTESTATION_CONVEYANCES.join(", ")}`;
  }
  const pool = settings.userPool;
  if (pool === null) return null;
  if (!USER_POOL_ID.test(pool.userPoolId)) return `user pool id ${JSON.stringify(pool.userPoolId)} is not <region>_<id>`;
  if (!CLIENT_ID.test(pool.userPoolClientId)) return `user pool client id ${JSON.stringify(pool.userPoolClientId)} is not an app client id`;
  if (pool.endpoint !== null && !isEndpoint(pool.endpoint)) return `user pool endpoint ${JSON.stringify(pool.endpoint)} is neither a path nor an http(s) URL`;
  return null;
}

function isEndpoint(text: string): boolean {
  if (text.startsWith("/")) return !text.startsWith("//");
  try {
    const url = new URL(text);
    return (url.protocol === "https:" || url.protocol === "http:") && url.search === "" && url.hash === "" && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}

/**
 * `html` with each setting in its meta tag. Every tag written must be there exactly once, so that a page
 * edited without them fails here rather than showing a page that silently offers no passwords. The
 * attestation tag is written only when the settings have one.
 */
export function withDemoPageSettings(html: string, settings: DemoPageSettings): string {
  const problem = demoPageSettingsProblem(settings);
  if (problem !== null) throw new Error(`demo page settings: ${problem}`);
  const pool = settings.userPool;
  const values: Record<keyof typeof DEMO_PAGE_META, string | undefined> = {
    userPoolId: pool?.userPoolId ?? "",
    userPoolClientId: pool?.userPoolClientId ?? "",
    endpoint: pool?.endpoint ?? "",
    secondFactor: settings.secondFactor,
    attestation: settings.attestation,
  };
  let page = html;
  for (const key of Object.keys(DEMO_PAGE_META) as (keyof typeof DEMO_PAGE_META)[]) {
    const value = values[key];
    if (value === undefined) continue;
    const tag = new RegExp(`<meta\\s+name="${DEMO_PAGE_META[key]}"\\s+content="[^"]*"\\s*/?>`, "g");
    const found = page.match(tag)?.length ?? 0;
    if (found !== 1) throw new Error(`the demo page must have exactly one <meta name="${DEMO_PAGE_META[key]}" content="…">; it has ${found}`);
    page = page.replace(tag, `<meta name="${DEMO_PAGE_META[key]}" content="${attribute(value)}">`);
  }
  return page;
}

/** Text as an HTML attribute value between double quotes. */
export function attribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The origin the page's Cognito client connects to, for a Content-Security-Policy: the endpoint's
 * (resolved against the API's base URL, or the page's own origin when it calls its own), or Cognito's
 * regional endpoint when the pool has none.
 */
export function userPoolConnectOrigin(pool: DemoUserPool, apiUrl: string | null): string {
  if (pool.endpoint === null) return `https://cognito-idp.${pool.userPoolId.split("_")[0]}.amazonaws.com`;
  if (pool.endpoint.startsWith("/")) return apiUrl === null ? "'self'" : new URL(apiUrl).origin;
  return new URL(pool.endpoint).origin;
}
