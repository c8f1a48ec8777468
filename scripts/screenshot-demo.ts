/**
 * Screenshots of the demo page in its main states, for a person to look at after changing it:
 *   npx tsx scripts/screenshot-demo.ts [out-dir]      (default /tmp/keyport-screenshots)
 * Uses the e2e harness: keyport in-process, Debian's Chromium (bash scripts/ensure-chromium.sh), a
 * CDP virtual authenticator. Writes PNGs only; asserts nothing.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { launchChromium, settled, signUp, startKeyport, visit } from "../test/e2e/support.js";

const outDir = process.argv[2] ?? "/tmp/keyport-screenshots";
await mkdir(outDir, { recursive: true });

const keyport = await startKeyport();
const browser = await launchChromium();
try {
  for (const [label, viewport, colorScheme] of [
    ["desktop", { width: 1100, height: 900 }, "light"],
    ["phone", { width: 390, height: 844 }, "light"],
    ["dark", { width: 1100, height: 900 }, "dark"],
  ] as const) {
    const v = await visit(browser, keyport.origin);
    await v.page.setViewportSize(viewport);
    await v.page.emulateMedia({ colorScheme });
    const shot = async (name: string): Promise<void> => {
      const path = join(outDir, `${label}-${name}.png`);
      await v.page.screenshot({ path, fullPage: true });
      console.log(path);
    };

    await shot("1-signed-out");
    await signUp(v.page, `alice-${label}`, "Alice Example");
    await shot("2-signed-up");
    await v.page.locator("#sign-in-passkey").click();
    await settled(v.page);
    await shot("3-signed-in");
    await v.page.locator("#add-passkey").click();
    await settled(v.page);
    await shot("4-error");
    await v.close();
  }
} finally {
  await browser.close();
  await keyport.close();
}
