import { ok, err } from "../../result.js";
import type { StatementInput, StatementResult } from "./statement.js";

/** §8.7 `none`: the statement is the empty map; nothing is attested. */
export function verifyNone(input: StatementInput): StatementResult {
  return Object.keys(input.statement).length === 0 ? ok({ type: "none" }) : err("statement_not_empty");
}
