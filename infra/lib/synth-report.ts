/**
 * What the CDK app (infra/bin/keyport.ts) tells the person who ran `npm run synth` or `npm run deploy`:
 * where the template went and which outputs the stack will have, a warning when the relying party is
 * still the placeholder, and a bad setting as one line. The lines go to stderr, as the CDK CLI's own
 * do: stdout of `cdk synth` (without -q) is the template itself.
 */
import { isAbsolute, relative } from "node:path";
import { Errors } from "aws-cdk-lib";
import { CONTEXT_DEFAULTS } from "./context.js";
import { KeyportSettingError } from "./setting-error.js";

/** The documentation domain the app falls back to without `-c rpId=…`: never anyone's real site. */
export const PLACEHOLDER_RP_ID: string = CONTEXT_DEFAULTS.rpId;

export interface SynthSummary {
  readonly stackName: string;
  /** The template file, absolute. */
  readonly templateFile: string;
  /** The template's `Outputs` section. */
  readonly outputs: Readonly<Record<string, { readonly Description?: string }>>;
  readonly rpId: string;
  readonly origins: readonly string[];
  /** The directory the CDK CLI runs the app in: paths inside it are shown relative to it. */
  readonly cwd: string;
}

/** A path as a person would type it from `cwd`: relative inside it, absolute elsewhere. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

/** The lines printed after a successful synth: the template's place, the outputs, and any warning. */
export function synthReport(summary: SynthSummary): string[] {
  const lines = [
    `keyport: template ${displayPath(summary.templateFile, summary.cwd)} (stack ${summary.stackName}, rpId ${summary.rpId}, origins ${summary.origins.join(", ")})`,
    "keyport: outputs, once deployed (npm run deploy):",
  ];
  const names = Object.keys(summary.outputs);
  const width = Math.max(0, ...names.map((name) => name.length));
  for (const name of names) {
    const description = summary.outputs[name]?.Description;
    lines.push(`  ${description === undefined ? name : `${name.padEnd(width)}  ${oneLine(description)}`}`);
  }
  const warning = placeholderWarning(summary.rpId);
  if (warning !== null) lines.push(warning);
  return lines;
}

/**
 * One line when `rpId` is the placeholder: a stack deployed with it would work, but passkeys made on
 * it belong to example.com, so no page of the deployer's could use them. A warning, not an error:
 * synthesising the default stack to read its template is a fine thing to do.
 */
export function placeholderWarning(rpId: string): string | null {
  if (rpId !== PLACEHOLDER_RP_ID) return null;
  return `keyport: warning: rpId is still the placeholder ${PLACEHOLDER_RP_ID}, so no page of yours could use the passkeys; deploy with -c rpId=<your domain> -c origins=https://<your site>`;
}

/**
 * The one line for a bad setting: keyport's own checks (context values, the construct's props) and
 * aws-cdk-lib's validation of construct props (e.g. a token lifetime Cognito does not allow). `null`
 * for anything else, which is a fault and keeps its stack trace.
 */
export function badSettingLine(error: unknown): string | null {
  if (error instanceof KeyportSettingError) return `keyport: bad setting: ${oneLine(error.message.replace(/^keyport: /, ""))}`;
  if (Errors.isValidationError(error)) {
    const where = error.constructPath === undefined ? "" : ` (${error.constructPath})`;
    return `keyport: bad setting: ${oneLine(error.message)}${where}`;
  }
  return null;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
