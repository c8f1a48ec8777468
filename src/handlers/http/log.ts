/**
 * Structured logs: one JSON object per line. Entries carry what happened (route, status, code, timing,
 * correlation id), never request bodies, headers, tokens, keys or challenges.
 */

export type LogLevel = "info" | "warn" | "error";
export type LogEntry = { readonly level: LogLevel; readonly event: string } & Readonly<Record<string, unknown>>;
export type Log = (entry: LogEntry) => void;

/** Writes each entry as one JSON line, stamped with the time. */
export function jsonLineLog(write: (line: string) => void = (line) => console.log(line)): Log {
  return (entry) => write(JSON.stringify({ time: new Date().toISOString(), ...entry }));
}

/** For tests: drops everything. */
export const silentLog: Log = () => {};

const JWT_LIKE = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const MAX_LOGGED_TEXT = 500;

/**
 * Text from an exception, made fit for a log line: anything shaped like a JWT is blanked out (in case
 * some library quoted a token in its message), and the length is capped.
 */
export function redact(text: string, maxLength = MAX_LOGGED_TEXT): string {
  const cleaned = text.replace(JWT_LIKE, "[redacted-jwt]");
  return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength)}…` : cleaned;
}
