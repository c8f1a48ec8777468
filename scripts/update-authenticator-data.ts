/**
 * `npx tsx scripts/update-authenticator-data.ts`: regenerates src/adapters/authenticators/authenticators.json
 * from the passkey-authenticator-aaguids data set (ADR 0019). Run it by hand, review the diff, commit it;
 * no test or build runs it.
 *
 * Options:
 *   --combined=<url or file>   the data set's combined_aaguid.json (its own entries over the FIDO
 *                              Metadata Service's); default: the file on the data set's main branch
 *   --community=<url or file>  optional: an aaguid.json newer than the combined file, laid over it as
 *                              the data set's own workflow does (`{ ...mds, ...community }`)
 *   --note=<text>              optional: what the inputs were, recorded in the file's `source`
 *   --out=<file>               default: src/adapters/authenticators/authenticators.json
 *
 * Each entry passes the adapter's own rules (authenticator-data.ts) or is left out: a bad name drops the
 * entry, a bad or oversized icon drops that icon only (base64 missing its padding is re-encoded first).
 * Every icon is stored once. The upstream README says the list will be retired by emptying it; an empty
 * input is refused, not written.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import {
  isAaguidKey,
  isIconDataUri,
  MAX_ICON_LENGTH,
  parseAuthenticatorData,
  prepareAuthenticatorName,
} from "../src/adapters/authenticators/authenticator-data.js";
import { AUTHENTICATOR_DATA_FILE } from "../src/adapters/authenticators/community-authenticator-catalog.js";

const DATA_SET = "https://github.com/passkeydeveloper/passkey-authenticator-aaguids";
const COMBINED = "https://raw.githubusercontent.com/passkeydeveloper/passkey-authenticator-aaguids/main/combined_aaguid.json";

const option = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

async function readJson(where: string): Promise<unknown> {
  if (!/^https:\/\//.test(where)) return JSON.parse(readFileSync(where, "utf8"));
  const response = await fetch(where);
  if (!response.ok) throw new Error(`${where}: HTTP ${response.status}`);
  return response.json();
}

function asEntries(raw: unknown, what: string): Record<string, unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error(`${what} is not a JSON object`);
  if (Object.keys(raw).length === 0) throw new Error(`${what} is empty: the data set says it retires the list this way; keep the current file and read its README`);
  // Keys in lower case, so that the later file's entry replaces the earlier one whatever their case.
  return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key.toLowerCase(), value]));
}

/**
 * The same icon with its base64 re-encoded, when it is base64 at all: a few upstream PNGs lack their
 * `=` padding, which browsers forgive and the adapter's check (canonical base64 only) does not.
 */
function canonical(icon: unknown): unknown {
  if (typeof icon !== "string") return icon;
  const match = /^(data:image\/(?:svg\+xml|png);base64,)([A-Za-z0-9+/]+={0,2})$/.exec(icon);
  return match === null ? icon : `${match[1]}${Buffer.from(match[2] ?? "", "base64").toString("base64")}`;
}

async function main(): Promise<void> {
  const combinedFrom = option("combined") ?? COMBINED;
  const communityFrom = option("community");
  const out = option("out") ?? fileURLToPath(AUTHENTICATOR_DATA_FILE);
  const merged = {
    ...asEntries(await readJson(combinedFrom), combinedFrom),
    ...(communityFrom === undefined ? {} : asEntries(await readJson(communityFrom), communityFrom)),
  };

  const icons: string[] = [];
  const iconIndex = new Map<string, number>();
  const indexOf = (icon: string): number => {
    const known = iconIndex.get(icon);
    if (known !== undefined) return known;
    iconIndex.set(icon, icons.length);
    return icons.push(icon) - 1;
  };
  const authenticators: Record<string, { name: string; icon?: [number, number] }> = {};
  const notes: string[] = [];
  for (const key of Object.keys(merged).sort()) {
    const aaguid = key.toLowerCase();
    const entry = merged[key];
    const fields = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
    const name = prepareAuthenticatorName(fields.name);
    if (!isAaguidKey(aaguid) || name === null || aaguid in authenticators) {
      notes.push(`left out ${key}: ${JSON.stringify(fields.name)}`);
      continue;
    }
    const usable = (field: "icon_light" | "icon_dark"): string | null => {
      const icon = canonical(fields[field]);
      if (icon === undefined || icon === null) return null;
      if (isIconDataUri(icon)) return icon;
      const why = typeof icon === "string" && icon.length > MAX_ICON_LENGTH ? `over ${MAX_ICON_LENGTH} characters` : "not an SVG or PNG data URI";
      notes.push(`no ${field} for ${aaguid} (${name}): ${why}`);
      return null;
    };
    const light = usable("icon_light");
    const dark = usable("icon_dark");
    // One icon serves both backgrounds when the other is missing: upstream's MDS entries have one picture.
    const pair = light ?? dark;
    authenticators[aaguid] = pair === null ? { name } : { name, icon: [indexOf(light ?? pair), indexOf(dark ?? pair)] };
  }

  const source = {
    dataSet: `passkey-authenticator-aaguids, ${DATA_SET}: community-maintained names and icons of passkey providers, merged by the data set with the FIDO Alliance Metadata Service's authenticators (descriptions and icons). The data set carries no licence file; see docs/adr/0019-authenticator-names.md.`,
    // A local file is named without its folder: where it lay on someone's machine is noise in a diff.
    inputs: [combinedFrom, ...(communityFrom === undefined ? [] : [communityFrom])].map((where) => (/^https:\/\//.test(where) ? where : `file ${basename(where)}`)).join(" + "),
    note: option("note") ?? "",
    generated: new Date().toISOString().slice(0, 10),
  };
  const file = { source, authenticators, icons };
  const { skipped } = parseAuthenticatorData(file);
  if (skipped.length > 0) throw new Error(`the written file would fail its own check: ${skipped.join(", ")}`);

  // One entry per line, so that a refresh reads as a reviewable diff.
  const lines = (items: string[]): string => items.map((item, i) => `    ${item}${i < items.length - 1 ? "," : ""}`).join("\n");
  const json = [
    "{",
    `  "source": ${JSON.stringify(source)},`,
    `  "authenticators": {\n${lines(Object.entries(authenticators).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`))}\n  },`,
    `  "icons": [\n${lines(icons.map((icon) => JSON.stringify(icon)))}\n  ]`,
    "}",
    "",
  ].join("\n");
  writeFileSync(out, json);
  for (const note of notes) console.log(note);
  console.log(`wrote ${out}: ${Object.keys(authenticators).length} authenticators, ${icons.length} icons, ${(json.length / 1024).toFixed(1)} KB`);
}

await main();
