/**
 * What the Lambda shells share: the mask over unexpected failures, and the log lines of a failed
 * initialisation and of the triggers' outcomes. A trigger that throws makes Cognito fail the sign-in
 * and pass the error's message on to the client, so the message carries nothing but a reference; what
 * happened goes to the log line under that reference, classified and written as the HTTP API's faults
 * are (../http/fault.ts).
 *
 * Kept free of the composition and the AWS SDK: DefineAuthChallenge's bundle is built from this.
 */
import type { TriggerLog } from "../cognito/triggers.js";
import { reportFault } from "../http/fault.js";
import { redact, type Log } from "../http/log.js";

/**
 * The trigger, answering only its own trigger source (a function wired to the wrong trigger fails
 * every sign-in at once instead of answering a question it does not understand).
 */
export function maskTriggerFaults<E extends { readonly triggerSource: string }>(
  trigger: string,
  source: E["triggerSource"],
  run: (event: E) => Promise<E>,
  log: Log,
): (event: E) => Promise<E> {
  return async (event) => {
    try {
      const received = (event as { triggerSource?: unknown } | null)?.triggerSource;
      if (received !== source) throw new TypeError(`expected trigger source ${source}, got ${redact(JSON.stringify(received) ?? "nothing", 80)}`);
      return await run(event);
    } catch (fault) {
      const correlationId = crypto.randomUUID();
      reportFault(log, correlationId, fault, { trigger });
      throw new Error(`keyport could not complete this sign-in step (reference ${correlationId})`);
    }
  };
}

/**
 * `handler`, followed at the end of every invocation, whatever its outcome, by `atEnd`: what a function
 * buffers during an invocation (the operator's metrics) is written before Lambda may freeze the
 * environment, which it does as soon as the handler returns. `atEnd` must not throw.
 */
export function endingEachInvocationWith<A extends unknown[], R>(handler: (...args: A) => Promise<R>, atEnd: () => void): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handler(...args);
    } finally {
      atEnd();
    }
  };
}

/**
 * Runs a function's composition; a failure is logged as one line and rethrown, so the init phase
 * fails loudly (and Lambda starts a fresh environment for the next event) instead of serving half a setup.
 */
export async function composeOrReport<T>(fn: string, log: Log, compose: () => T | Promise<T>): Promise<T> {
  try {
    return await compose();
  } catch (fault) {
    logInitFailure(fn, log, fault);
    throw fault;
  }
}

/** {@link composeOrReport} for a composition with nothing to wait for. */
export function composeOrReportSync<T>(fn: string, log: Log, compose: () => T): T {
  try {
    return compose();
  } catch (fault) {
    logInitFailure(fn, log, fault);
    throw fault;
  }
}

function logInitFailure(fn: string, log: Log, fault: unknown): void {
  const variable = (fault as { variable?: unknown } | null)?.variable;
  log({
    level: "error",
    event: "lambda_init_failed",
    function: fn,
    error: fault instanceof Error ? fault.name : typeof fault,
    // A ConfigError names its variable and never quotes a secret; SDK errors name an ARN at most.
    ...(typeof variable === "string" ? { variable } : {}),
    message: redact(fault instanceof Error ? fault.message : String(fault)),
  });
}

/** The triggers' outcome entries as log lines; rejected answers and failed sign-ins are warnings. */
export function triggerLog(log: Log): TriggerLog {
  return (entry) => log({ ...entry, level: entry.outcome === "fail" || entry.outcome === "rejected" ? "warn" : "info", event: "cognito_trigger" });
}
