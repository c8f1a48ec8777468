/** Times in responses: ISO 8601 in UTC with milliseconds (`2026-05-01T09:30:00.000Z`), as JavaScript's Date writes them. */
import type { EpochMillis } from "../../../domain/model.js";

export const isoTime = (at: EpochMillis): string => new Date(at).toISOString();
