/**
 * The operator's counts as Powertools writes them: EMF lines on stdout, which CloudWatch Logs turns into
 * the `CeremonyCount` metric the stack's dashboard and alarm read (namespace, metric name and dimension
 * sets must match them exactly).
 */
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CEREMONY_COUNT_METRIC, keyportMetrics, METRICS_NAMESPACE, PowertoolsCeremonyMetrics } from "../../../src/adapters/powertools/powertools-ceremony-metrics.js";

type EmfLine = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- EMF lines are checked field by field

/** What is written while `run` runs: the EMF lines on stdout, parsed, and any warning (stderr or the console). */
function captured(run: () => void): { emf: EmfLine[]; warnings: string[] } {
  const out: string[] = [];
  const warnings: string[] = [];
  const spies = [
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => out.push(String(chunk)) > 0),
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => warnings.push(String(chunk)) > 0),
    vi.spyOn(console, "warn").mockImplementation((...content) => void warnings.push(content.join(" "))),
  ];
  try {
    run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return { emf: out.join("").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as EmfLine), warnings };
}

/** The count of a line: Powertools writes repeated values of one metric as an array, which CloudWatch sums. */
const total = (line: EmfLine): number => {
  const value: unknown = line[CEREMONY_COUNT_METRIC];
  return Array.isArray(value) ? value.reduce((sum: number, v: number) => sum + v, 0) : Number(value);
};

/** Each line as [its dimension sets, its dimension values, its count]. */
const series = (emf: readonly EmfLine[]) =>
  emf.map((line) => {
    const [definition] = line._aws.CloudWatchMetrics;
    const names: string[] = definition.Dimensions.flat();
    return { dimensions: definition.Dimensions, values: Object.fromEntries(names.map((name) => [name, line[name]])), count: total(line) };
  });

afterEach(() => vi.restoreAllMocks());

describe("PowertoolsCeremonyMetrics", () => {
  it("writes nothing until published, then EMF in namespace keyport: CeremonyCount (Count) under [service, ceremony, outcome]", () => {
    const metrics = new PowertoolsCeremonyMetrics();
    expect(captured(() => metrics.count({ ceremony: "registration", outcome: "succeeded" }))).toEqual({ emf: [], warnings: [] });

    const { emf, warnings } = captured(() => metrics.publish());
    expect(warnings).toEqual([]);
    expect(emf).toHaveLength(1);
    expect(emf[0]?._aws.CloudWatchMetrics).toEqual([
      { Namespace: "keyport", Dimensions: [["service", "ceremony", "outcome"]], Metrics: [{ Name: "CeremonyCount", Unit: "Count" }] },
    ]);
    expect(emf[0]).toMatchObject({ service: "keyport", ceremony: "registration", outcome: "succeeded", CeremonyCount: 1 });
    expect(METRICS_NAMESPACE).toBe("keyport");
  });

  it("counts a failure in both series: by outcome, and by outcome and code", () => {
    const metrics = new PowertoolsCeremonyMetrics();
    metrics.count({ ceremony: "sign_in", outcome: "failed", code: "credential_disabled" });
    const { emf, warnings } = captured(() => metrics.publish());
    expect(warnings).toEqual([]);
    expect(series(emf)).toEqual([
      { dimensions: [["service", "ceremony", "outcome"]], values: { service: "keyport", ceremony: "sign_in", outcome: "failed" }, count: 1 },
      {
        dimensions: [["service", "ceremony", "outcome", "code"]],
        values: { service: "keyport", ceremony: "sign_in", outcome: "failed", code: "credential_disabled" },
        count: 1,
      },
    ]);
  });

  it("adds up repeated outcomes in one line, and writes each other outcome in a line of its own", () => {
    const metrics = new PowertoolsCeremonyMetrics();
    const { emf, warnings } = captured(() => {
      metrics.count({ ceremony: "sign_in", outcome: "failed", code: "sign_in_failed" });
      metrics.count({ ceremony: "sign_in", outcome: "failed", code: "sign_in_failed" });
      metrics.count({ ceremony: "sign_in", outcome: "succeeded" });
      metrics.count({ ceremony: "sign_in", outcome: "failed", code: "credential_disabled" });
      metrics.publish();
    });
    expect(warnings).toEqual([]);
    const counts = series(emf).map(({ values, count }) => [values.outcome, values.code, count]);
    expect(counts).toEqual(
      expect.arrayContaining([
        ["failed", undefined, 2],
        ["succeeded", undefined, 1],
        ["failed", undefined, 1],
        ["failed", "sign_in_failed", 2],
        ["failed", "credential_disabled", 1],
      ]),
    );
    // By outcome, 3 failures and 1 success in all; by code, the 3 failures again.
    const sum = (filter: (values: Record<string, string>) => boolean) =>
      series(emf)
        .filter(({ values }) => filter(values))
        .reduce((all, { count }) => all + count, 0);
    expect(sum((values) => values.outcome === "failed" && values.code === undefined)).toBe(3);
    expect(sum((values) => values.code !== undefined)).toBe(3);
    expect(emf).toHaveLength(5);
  });

  it("keeps the dimensions across Powertools' own flush after 100 values", () => {
    const metrics = new PowertoolsCeremonyMetrics();
    const { emf, warnings } = captured(() => {
      for (let i = 0; i < 150; i++) metrics.count({ ceremony: "refresh", outcome: "succeeded" });
      metrics.publish();
    });
    expect(warnings).toEqual([]);
    expect(series(emf).map(({ values, count }) => [values.ceremony, values.outcome, count])).toEqual([
      ["refresh", "succeeded", 100],
      ["refresh", "succeeded", 50],
    ]);
  });

  it("publishes nothing, and warns of nothing, when nothing was counted (an invocation without a ceremony)", () => {
    const metrics = new PowertoolsCeremonyMetrics();
    expect(captured(() => metrics.publish())).toEqual({ emf: [], warnings: [] });
    metrics.count({ ceremony: "sign_out", outcome: "succeeded" });
    expect(captured(() => metrics.publish()).emf).toHaveLength(1);
    expect(captured(() => metrics.publish())).toEqual({ emf: [], warnings: [] });
  });

  it("never throws, even when Powertools does", () => {
    const broken = (): Metrics => {
      const instance = keyportMetrics();
      vi.spyOn(instance, "addMetric").mockImplementation(() => {
        throw new RangeError("refused");
      });
      vi.spyOn(instance, "hasStoredMetrics").mockReturnValue(true);
      vi.spyOn(instance, "publishStoredMetrics").mockImplementation(() => {
        throw new Error("stdout closed");
      });
      return instance;
    };
    const metrics = new PowertoolsCeremonyMetrics(broken);
    expect(() => metrics.count({ ceremony: "sign_in", outcome: "failed", code: "sign_in_failed" })).not.toThrow();
    expect(() => metrics.publish()).not.toThrow();
  });
});
