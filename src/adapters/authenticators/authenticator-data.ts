/**
 * The authenticator data file (authenticators.json, written by scripts/update-authenticator-data.ts
 * from the passkey-authenticator-aaguids data set; ADR 0019) and the rules every entry must pass before
 * a name or an icon reaches a page. The file is checked again each time it is loaded, not trusted
 * because our script wrote it: an upstream update is community input.
 *
 * The file's shape:
 * ```
 * { "source": { … attribution … },
 *   "authenticators": { "<aaguid, lower case>": { "name": "YubiKey 5 Series", "icon": [<light>, <dark>] } },
 *   "icons": ["data:image/svg+xml;base64,…", "data:image/png;base64,…"] }
 * ```
 * `icon` holds indexes into `icons` (many authenticators share one icon, and light and dark are often
 * the same picture: stored once, the file is a third of the upstream one), and is absent when there is none.
 */
import type { AuthenticatorDescription } from "../../ports/authenticator-catalog.js";

/** The longest name kept: upstream's longest is 116 code points; a passkey's default name is cut to 64 elsewhere. */
export const MAX_AUTHENTICATOR_NAME_LENGTH = 128;

/**
 * The longest icon kept, in characters of its data URI. Every passkey in a `GET /credentials` answer
 * carries two; the few upstream icons above this are large PNGs of hardware keys, shown without an icon.
 */
export const MAX_ICON_LENGTH = 64 * 1024;

/** The AAGUID of an authenticator that does not say what it is (WebAuthn §6.5.1): never a catalog entry. */
export const ZERO_AAGUID = "00000000-0000-0000-0000-000000000000";

const AAGUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The only data URIs kept: base64, so that the URI can sit in an attribute or a CSS `url()` unescaped. */
const ICON_HEAD = /^data:image\/(svg\+xml|png);base64,/;
/** 89 50 4E 47 0D 0A 1A 0A. */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Controls, format characters (bidi overrides, zero-width characters), private-use, unpaired surrogates,
 * unassigned code points, line and paragraph separators: nothing a name needs. `<` and `>` too: a name
 * is text, and pages must insert it as text, but no name needs them and refusing them costs nothing.
 */
const REFUSED_IN_NAME = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Zl}\p{Zp}<>]/u;

/** The name as shown (NFC, trimmed), or null when it breaks a rule above or is empty or too long. */
export function prepareAuthenticatorName(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const name = value.normalize("NFC").trim();
  if (name === "" || REFUSED_IN_NAME.test(name)) return null;
  let length = 0;
  for (const _ of name) length += 1;
  return length <= MAX_AUTHENTICATOR_NAME_LENGTH ? name : null;
}

/**
 * True for a `data:image/svg+xml;base64,…` or `data:image/png;base64,…` URI that holds what it says.
 * The payload must be canonical base64 (it decodes and encodes back to itself: no other character, no
 * white space, its padding), so nothing in it can end an attribute; and it must be the type it claims,
 * PNG's signature or an `<svg` element. The round trip runs in native code: over the 1.2 MB of icons it
 * took about a tenth of the time a regular expression did (measured on the first `describe`).
 */
export function isIconDataUri(value: unknown): value is string {
  if (typeof value !== "string" || value.length > MAX_ICON_LENGTH) return false;
  const head = ICON_HEAD.exec(value);
  if (head === null) return false;
  const payload = value.slice(head[0].length);
  const bytes = Buffer.from(payload, "base64");
  if (bytes.length === 0 || bytes.toString("base64") !== payload) return false;
  return head[1] === "png" ? bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE) : /<svg[\s>]/.test(bytes.toString("latin1"));
}

/** True for an AAGUID in its lower-case UUID form that names an authenticator (not the all-zero one). */
export function isAaguidKey(value: string): boolean {
  return AAGUID.test(value) && value !== ZERO_AAGUID;
}

export interface AuthenticatorData {
  /** Lower-case AAGUID → description, every entry checked; descriptions are frozen and shared. */
  readonly authenticators: ReadonlyMap<string, AuthenticatorDescription>;
  /** Keys of the entries left out, each with why. */
  readonly skipped: readonly string[];
}

/**
 * Checks a parsed data file. An entry that breaks a rule (its key, its name, an icon index, the icon it
 * points at) is left out whole and listed in `skipped`: a malformed entry is more likely an upstream
 * mistake or an attack than a name worth keeping. Throws when the file is not the shape above at all.
 */
export function parseAuthenticatorData(raw: unknown): AuthenticatorData {
  if (!isObject(raw) || !Array.isArray(raw.icons) || !isObject(raw.authenticators)) {
    throw new TypeError("authenticator data: not an object with icons and authenticators");
  }
  const icons: readonly unknown[] = raw.icons;
  const checked = icons.map((icon) => isIconDataUri(icon));
  const authenticators = new Map<string, AuthenticatorDescription>();
  const skipped: string[] = [];
  for (const [key, entry] of Object.entries(raw.authenticators)) {
    const aaguid = key.toLowerCase();
    const name = isObject(entry) ? prepareAuthenticatorName(entry.name) : null;
    const icon = isObject(entry) && entry.icon !== undefined ? iconPair(entry.icon, icons, checked) : null;
    const fault = !isAaguidKey(aaguid) ? "key" : authenticators.has(aaguid) ? "duplicate" : name === null ? "name" : icon === undefined ? "icon" : null;
    if (fault === null && name !== null && icon !== undefined) authenticators.set(aaguid, Object.freeze({ name, icon }));
    else skipped.push(`${key} (${fault})`);
  }
  return { authenticators, skipped };
}

/** `[light, dark]` indexes of icons that passed → the pair; anything else → undefined. */
function iconPair(value: unknown, icons: readonly unknown[], checked: readonly boolean[]): AuthenticatorDescription["icon"] | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [light, dark]: unknown[] = value;
  if (typeof light !== "number" || typeof dark !== "number" || checked[light] !== true || checked[dark] !== true) return undefined;
  return Object.freeze({ light: String(icons[light]), dark: String(icons[dark]) });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
