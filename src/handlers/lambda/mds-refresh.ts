/**
 * The FIDO metadata refresh function's shell (ADR 0027): whatever event starts it (the stack's daily
 * schedule, or an operator's test invocation), it runs the one refresh operation it is given and writes
 * its outcome as one log line, which is the operator's record of what the metadata in force is and why.
 * A refresh that ends `kept` is a normal run (FIDO publishes about monthly), not a failure of the
 * function; a fault (S3 unreachable) is logged under a reference and rethrown, so the invocation fails
 * and the scheduler's retry runs it again.
 */
import type { Mds3RefreshOutcome } from "../../adapters/s3/s3-mds3-refresh.js";
import { reportFault } from "../http/fault.js";
import type { Log, LogLevel } from "../http/log.js";

/** The log line's `event`. */
export const MDS_REFRESH_LOG_EVENT = "mds3_refresh";

/** The handler over `refresh`; the event's content is not read. */
export function mdsRefreshHandler(refresh: () => Promise<Mds3RefreshOutcome>, log: Log): (event?: unknown) => Promise<Mds3RefreshOutcome> {
  return async () => {
    let outcome: Mds3RefreshOutcome;
    try {
      outcome = await refresh();
    } catch (fault) {
      reportFault(log, crypto.randomUUID(), fault, { function: "mds_refresh" });
      throw fault;
    }
    log({ ...outcome, level: levelOf(outcome), event: MDS_REFRESH_LOG_EVENT });
    return outcome;
  };
}

/**
 * A new BLOB, or none yet (the usual run): info. A download that failed or a BLOB past its nextUpdate:
 * warn, as the metadata in force is ageing. A BLOB that does not verify: error, someone should look.
 */
function levelOf(outcome: Mds3RefreshOutcome): LogLevel {
  if (outcome.outcome === "replaced") return "info";
  switch (outcome.reason) {
    case "blob_older_than_current":
      return "info";
    case "download_failed":
    case "blob_expired":
      return "warn";
    case "blob_malformed":
    case "blob_signature_invalid":
    case "blob_chain_invalid":
      return "error";
  }
}
