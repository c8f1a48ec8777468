/**
 * Just enough of a browser, in Node, for `keyport/client` and the @simplewebauthn/browser 14 under it:
 * `PublicKeyCredential` (with the Signal API's three methods, recording what they are sent), and
 * `navigator.credentials.create()` / `get()` answered by a software authenticator, as a browser hands a
 * page the authenticator's answer; `fetch` goes to the site's own app, as a page's relative URLs go to
 * its origin. The package test runs the README's client example in it, against the README's Hono app.
 * The browser tests (test/e2e) run the client in Chromium; this checks the example and the package.
 */
import { Buffer } from "node:buffer";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import type { SoftwareAuthenticator } from "../../support/software-authenticator.js";

export interface FakeBrowser {
  /** Every call of a Signal API method: its name and what it was given. */
  readonly signals: { readonly method: string; readonly argument: unknown }[];
}

type Binary = ArrayBuffer | ArrayBufferView;

const base64url = (bytes: Binary): string =>
  (bytes instanceof ArrayBuffer ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString("base64url");

function arrayBuffer(text: string): ArrayBuffer {
  const bytes = Buffer.from(text, "base64url");
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

interface Descriptor {
  readonly id: Binary;
  readonly type: string;
  readonly transports?: readonly string[];
}

/** The JSON the server sent, back from the binary form the page's library made of it for the browser. */
const descriptorsJSON = (descriptors: readonly Descriptor[] | undefined) => descriptors?.map((descriptor) => ({ ...descriptor, id: base64url(descriptor.id) }));

export function installFakeBrowser(options: {
  readonly authenticator: SoftwareAuthenticator;
  /** The page's origin, which the browser writes into client data. */
  readonly origin: string;
  readonly fetch: (input: string, init?: RequestInit) => Response | Promise<Response>;
}): FakeBrowser {
  const { authenticator, origin } = options;
  const signals: FakeBrowser["signals"] = [];
  const record = (method: string) => async (argument: unknown) => {
    signals.push({ method, argument });
  };

  class PublicKeyCredential {
    static isConditionalMediationAvailable = async (): Promise<boolean> => false;
    static signalAllAcceptedCredentials = record("signalAllAcceptedCredentials");
    static signalCurrentUserDetails = record("signalCurrentUserDetails");
    static signalUnknownCredential = record("signalUnknownCredential");
  }

  const credentials = {
    async create({ publicKey }: { publicKey: Record<string, unknown> & { challenge: Binary; user: { id: Binary }; excludeCredentials?: Descriptor[] } }) {
      const json = authenticator.createCredential(
        {
          ...publicKey,
          challenge: base64url(publicKey.challenge),
          user: { ...publicKey.user, id: base64url(publicKey.user.id) },
          excludeCredentials: descriptorsJSON(publicKey.excludeCredentials),
        } as unknown as PublicKeyCredentialCreationOptionsJSON,
        { origin },
      );
      return {
        id: json.id,
        rawId: arrayBuffer(json.rawId),
        type: json.type,
        authenticatorAttachment: "platform",
        response: {
          clientDataJSON: arrayBuffer(json.response.clientDataJSON),
          attestationObject: arrayBuffer(json.response.attestationObject),
          getTransports: () => json.response.transports ?? [],
        },
        getClientExtensionResults: () => ({}),
      };
    },
    async get({ publicKey }: { publicKey: Record<string, unknown> & { challenge: Binary; allowCredentials?: Descriptor[] } }) {
      const json = authenticator.getAssertion(
        { ...publicKey, challenge: base64url(publicKey.challenge), allowCredentials: descriptorsJSON(publicKey.allowCredentials) ?? [] } as unknown as PublicKeyCredentialRequestOptionsJSON,
        { origin },
      );
      const userHandle = json.response.userHandle;
      return {
        id: json.id,
        rawId: arrayBuffer(json.rawId),
        type: json.type,
        authenticatorAttachment: "platform",
        response: {
          clientDataJSON: arrayBuffer(json.response.clientDataJSON),
          authenticatorData: arrayBuffer(json.response.authenticatorData),
          signature: arrayBuffer(json.response.signature),
          userHandle: typeof userHandle === "string" ? arrayBuffer(userHandle) : null,
        },
        getClientExtensionResults: () => ({}),
      };
    },
  };

  // Node 21+ has a `navigator` of its own (without `credentials`); a browser's replaces it here.
  Object.defineProperty(globalThis, "navigator", { value: { credentials }, configurable: true, writable: true });
  Object.defineProperty(globalThis, "PublicKeyCredential", { value: PublicKeyCredential, configurable: true, writable: true });
  Object.defineProperty(globalThis, "location", { value: new URL(`${origin}/`), configurable: true, writable: true });
  Object.defineProperty(globalThis, "fetch", { value: async (input: string, init?: RequestInit) => options.fetch(input, init), configurable: true, writable: true });
  return { signals };
}
