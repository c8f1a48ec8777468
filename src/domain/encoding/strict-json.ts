/**
 * Duplicate member names in JSON. RFC 8259 §4 says names "SHOULD be unique" and leaves what happens
 * otherwise to each parser; JSON.parse keeps the last. Client data that names a member twice could be
 * read one way by keyport and another way by whatever else looks at the same signed bytes, so keyport
 * refuses it (ADR 0014).
 */

/** The index of the quote that closes the string opening at `start` (text already known to be JSON). */
function endOfString(json: string, start: number): number {
  let i = start + 1;
  while (i < json.length && json[i] !== '"') i += json[i] === "\\" ? 2 : 1;
  return i;
}

/**
 * True when some object in `json` names a member twice, comparing names after unescaping ("type" and
 * "t\u0079pe" are the same name). `json` must be valid JSON (JSON.parse has accepted it): the scan
 * only follows strings, brackets, colons and commas.
 */
/** A JSON object as JSON.parse gives it (not an array, not null): the one test for untrusted JSON's objects. */
export function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function hasDuplicateObjectKeys(json: string): boolean {
  // One entry per open bracket: the names seen so far for an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let expectingName = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      const end = endOfString(json, i);
      const names = open.at(-1);
      if (expectingName && names) {
        const name: unknown = JSON.parse(json.slice(i, end + 1));
        if (typeof name !== "string" || names.has(name)) return true;
        names.add(name);
      }
      i = end;
    } else if (c === "{") {
      open.push(new Set());
      expectingName = true;
    } else if (c === "[") {
      open.push(null);
      expectingName = false;
    } else if (c === "}" || c === "]") {
      open.pop();
      expectingName = false;
    } else if (c === ",") {
      expectingName = open.at(-1) instanceof Set;
    } else if (c === ":") {
      expectingName = false;
    }
  }
  return false;
}
