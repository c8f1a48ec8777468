/**
 * Turning a request body into typed arguments: the JSON types of the top-level fields only. What a
 * value must look like beyond its JSON type (lengths, encodings, WebAuthn structure) is the domain's
 * business; the shell only makes sure the domain gets the types it declares.
 */

/** Largest request body accepted (read with a limit, never buffered beyond it). */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Deepest nesting of arrays and objects accepted. A WebAuthn response is five levels deep at most; a
 * body nested thousands deep would otherwise overflow the stack of whoever stringifies it again.
 */
export const MAX_JSON_DEPTH = 32;

export type JsonObject = Record<string, unknown>;

export interface DecodeFailure {
  readonly code: "malformed_json" | "invalid_request";
  readonly message: string;
}

/** Like the domain's `Result`, with a failure that carries a message naming the field. */
export type Decoding<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DecodeFailure };
const ok = <T>(value: T): Decoding<T> => ({ ok: true, value });
const err = (error: DecodeFailure): { readonly ok: false; readonly error: DecodeFailure } => ({ ok: false, error });

/**
 * A parameter of a media type (RFC 9110 §5.6.6): `; name=value`, the value a token or a quoted string
 * (which may hold `;`). Whitespace around `=` is tolerated.
 */
const MEDIA_TYPE_PARAMETER = /;\s*([^\s;=]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)/g;

const unquote = (value: string): string => (value.startsWith('"') ? value.slice(1).replace(/"$/, "").replace(/\\(.)/g, "$1") : value.trim());

/**
 * Why a `Content-Type` does not announce a JSON body keyport reads, or `null` when it does: the media
 * type must be `application/json` (any letter case); a `charset` parameter, when present, must say UTF-8
 * (any letter case, quoted or not), the only encoding JSON has (RFC 8259 §8.1).
 */
export function contentTypeProblem(header: string | undefined): "not_json" | "charset_not_utf8" | null {
  if (header === undefined) return "not_json";
  const separator = header.indexOf(";");
  const mediaType = (separator === -1 ? header : header.slice(0, separator)).trim().toLowerCase();
  if (mediaType !== "application/json") return "not_json";
  const parameters = separator === -1 ? "" : header.slice(separator);
  for (const [, name = "", value = ""] of parameters.matchAll(MEDIA_TYPE_PARAMETER)) {
    if (name.toLowerCase() === "charset" && unquote(value).toLowerCase() !== "utf-8") return "charset_not_utf8";
  }
  return null;
}

/** `application/json`, with or without parameters, in any letter case; a charset, if given, UTF-8. */
export function isJsonContentType(header: string | undefined): boolean {
  return contentTypeProblem(header) === null;
}

/** Nesting depth of a JSON text, counted without parsing (brackets inside strings do not count). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x5b || ch === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if (ch === 0x5d || ch === 0x7d) {
      depth--;
    }
  }
  return max;
}

/** Parses a request body that must be one JSON object. */
export function parseJsonObject(text: string): Decoding<JsonObject> {
  if (nestingDepth(text) > MAX_JSON_DEPTH) {
    return err({ code: "invalid_request", message: `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.` });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err({ code: "malformed_json", message: "The request body is not valid JSON." });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return err({ code: "invalid_request", message: "The request body must be a JSON object." });
  }
  return ok(value as JsonObject);
}

type FieldType = "string" | "string?" | "object";
type FieldValue<T extends FieldType> = T extends "string" ? string : T extends "string?" ? string | undefined : JsonObject;
export type Decoded<S extends Record<string, FieldType>> = { [K in keyof S]: FieldValue<S[K]> };

const described: Record<FieldType, string> = { string: "a string", "string?": "a string when present", object: "a JSON object" };

/**
 * Picks the fields of `spec` out of `body`, checking their JSON types. Unknown fields are ignored, so
 * that clients may send more than this version reads.
 */
export function decodeFields<S extends Record<string, FieldType>>(body: JsonObject, spec: S): Decoding<Decoded<S>> {
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(spec)) {
    const value = Object.hasOwn(body, name) ? body[name] : undefined;
    const fits =
      type === "string"
        ? typeof value === "string"
        : type === "string?"
          ? value === undefined || typeof value === "string"
          : value !== null && typeof value === "object" && !Array.isArray(value);
    if (!fits) {
      const problem = value === undefined ? "is missing" : `must be ${described[type]}`;
      return err({ code: "invalid_request", message: `${name} ${problem}${value === undefined ? `; it must be ${described[type]}` : ""}.` });
    }
    out[name] = value;
  }
  return ok(out as Decoded<S>);
}

/**
 * Exactly one of two fields, each a string when given: for a request that may name one thing in two
 * ways (`userId` or `username`). Which one came, and its value; both, neither, or a value that is not
 * a string is `invalid_request`, with a message naming the fields.
 */
export function decodeOneOf<A extends string, B extends string>(
  body: JsonObject,
  names: readonly [A, B],
): Decoding<{ readonly name: A; readonly value: string } | { readonly name: B; readonly value: string }> {
  const [a, b] = names;
  const hasA = Object.hasOwn(body, a);
  if (hasA === Object.hasOwn(body, b)) {
    return err({ code: "invalid_request", message: `Give exactly one of ${a} and ${b}, as a string.` });
  }
  const name = hasA ? a : b;
  const value = body[name];
  if (typeof value !== "string") return err({ code: "invalid_request", message: `${name} must be a string.` });
  return ok(hasA ? { name: a, value } : { name: b, value });
}
