/** Small, valid icons and a data file around given entries, for the catalog's tests. */

/** A square SVG, as the data set's passkey providers give them. */
export const SVG = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>').toString("base64")}`;

/** A 1×1 PNG, as the FIDO Metadata Service's icons are. */
export const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

/** A data file as scripts/update-authenticator-data.ts writes it; icon 0 is SVG, icon 1 is PNG unless `icons` says otherwise. */
export function dataFile(authenticators: Record<string, unknown>, icons: unknown[] = [SVG, PNG]): unknown {
  return { source: { dataSet: "test" }, authenticators, icons };
}
