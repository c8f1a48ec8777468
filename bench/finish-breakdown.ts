/**
 * Where `AuthenticationCeremony.finish` spends its time, stage by stage, next to the node:crypto floor.
 *
 *   npx tsx bench/finish-breakdown.ts [ES256|RS256|EdDSA]     (default ES256)
 *
 * The stages are timed in place: a "pipeline" calls, per sign-in and in finish's order, the very
 * functions finish calls (parse, session consume, credential lookup, COSE key parse, SHA-256, the
 * verifier, the counter update), with a clock read between stages. Timing each stage in its own loop
 * would flatter the JS stages: right after OpenSSL has run, the same JS code runs ~2–3× slower than in
 * a tight loop of itself (cold caches), and that is the situation in a real request. The whole finish
 * (on its own sessions) and the floor run interleaved with the pipeline, in chunks, over 1,000
 * distinct credentials; the median round is shown, and the best round beside it.
 */
import { createPublicKey, verify } from "node:crypto";
import { loadavg } from "node:os";
import { sha256 } from "@oslojs/crypto/sha2";
import { NodeCryptoSignatureVerifier } from "../src/adapters/node-crypto/node-crypto-signature-verifier.js";
import { concatBytes } from "../src/domain/encoding/bytes.js";
import { parsePublicKey } from "../src/domain/encoding/cose.js";
import { parseAuthenticationResponse } from "../src/domain/encoding/parse-response.js";
import type { TestAlgorithm } from "../test/support/index.js";
import { buildAuthentication, generateKeys, makeCredentials, prepareAssertions, registerAll, type BenchDomain, type PreparedAssertion } from "./fixtures.js";

const algorithm = (process.argv[2] ?? "ES256") as TestAlgorithm;
if (!["ES256", "RS256", "EdDSA"].includes(algorithm)) throw new Error(`unknown algorithm ${algorithm}`);
const N = 1000;
const ROUNDS = 7;
const CHUNKS = 20;

const STAGES = [
  "parseAuthenticationResponse (base64url, client data JSON, authData)",
  "sessions.consume",
  "credentials.findCredential",
  "parsePublicKey (COSE CBOR → JWK)",
  "SHA-256(clientDataJSON), pure-JS @oslojs, + concat",
  "NodeCryptoSignatureVerifier.verify (JWK import + verify)",
  "credentials.recordAuthentication",
] as const;

const verifier = new NodeCryptoSignatureVerifier();
const credentials = makeCredentials(algorithm, (await generateKeys(algorithm, N)).keys);

/** A domain with its own sessions and counters; round 0 of its batches is the warm-up. */
async function domainWithBatches(): Promise<{ domain: BenchDomain; batches: PreparedAssertion[][] }> {
  const domain = buildAuthentication(verifier);
  await registerAll(domain, credentials);
  const counters: number[] = [];
  const batches: PreparedAssertion[][] = [];
  for (let round = 0; round <= ROUNDS; round++) batches.push(await prepareAssertions(domain, credentials, counters));
  return { domain, batches };
}
const whole = await domainWithBatches();
const staged = await domainWithBatches();

/** finish's steps, one clock read between each; adds the µs of each stage to `into`. */
async function pipeline(p: PreparedAssertion, into: number[]): Promise<void> {
  const { sessions, credentials: store } = staged.domain;
  const t0 = performance.now();
  const parsed = parseAuthenticationResponse(p.response);
  if (!parsed.ok) throw new Error(parsed.error);
  const assertion = parsed.value;
  const t1 = performance.now();
  if ((await sessions.consume(assertion.clientData.challenge)) === null) throw new Error("no session");
  const t2 = performance.now();
  const stored = await store.findCredential(assertion.rawIdText);
  if (stored === null) throw new Error("no credential");
  const t3 = performance.now();
  const key = parsePublicKey(stored.publicKey);
  if (key === null) throw new Error("bad key");
  const t4 = performance.now();
  const signed = concatBytes(assertion.authenticatorData.bytes, sha256(assertion.clientDataJSON));
  const t5 = performance.now();
  if (!(await verifier.verify(key, assertion.signature, signed))) throw new Error("signature");
  const t6 = performance.now();
  const { counter, backupState } = assertion.authenticatorData;
  if ((await store.recordAuthentication(stored.credentialId, stored.counter, { counter, backupState, lastUsedAt: 0 })) !== "recorded") throw new Error("record");
  const t7 = performance.now();
  const marks = [t0, t1, t2, t3, t4, t5, t6, t7];
  for (let i = 0; i < STAGES.length; i++) into[i]! += (marks[i + 1]! - marks[i]!) * 1000;
}

const digest = algorithm === "EdDSA" ? null : "sha256";
type Job = { name: string; run: (round: number, from: number, to: number) => Promise<void> | void };
const stageMicros: number[][] = STAGES.map(() => []);
let roundStages: number[] = [];
const jobs: Job[] = [
  {
    name: "finish",
    run: async (round, from, to) => {
      for (const p of whole.batches[round]!.slice(from, to)) {
        const result = await whole.domain.authentication.finish(p.response, { identityUserId: p.credential.identityUserId, challenge: p.challenge });
        if (!result.ok) throw new Error(result.error);
      }
    },
  },
  {
    name: "pipeline",
    run: async (round, from, to) => {
      for (const p of staged.batches[round]!.slice(from, to)) await pipeline(p, roundStages);
    },
  },
  {
    name: "floor",
    run: (round, from, to) => {
      for (const p of whole.batches[round]!.slice(from, to)) {
        const key = createPublicKey({ key: p.credential.jwk, format: "jwk" });
        const ok = algorithm === "ES256" ? verify(digest, p.signed, { key, dsaEncoding: "der" }, p.signature) : verify(digest, p.signed, key, p.signature);
        if (!ok) throw new Error("floor");
      }
    },
  },
];

const totals = new Map<string, number[]>();
const loadAtStart = loadavg()[0]!;
for (let round = 0; round <= ROUNDS; round++) {
  roundStages = STAGES.map(() => 0);
  const elapsed = new Map<string, number>();
  for (let chunk = 0; chunk < CHUNKS; chunk++) {
    const from = (chunk * N) / CHUNKS;
    const to = ((chunk + 1) * N) / CHUNKS;
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[(i + chunk + round) % jobs.length]!;
      const start = performance.now();
      await job.run(round, from, to);
      elapsed.set(job.name, (elapsed.get(job.name) ?? 0) + performance.now() - start);
    }
  }
  if (round === 0) continue;
  for (const [name, ms] of elapsed) totals.set(name, [...(totals.get(name) ?? []), (ms * 1000) / N]);
  roundStages.forEach((micros, i) => stageMicros[i]!.push(micros / N));
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const best = (values: readonly number[]): number => Math.min(...values);
const finish = median(totals.get("finish")!);
const WIDTH = 80;
const share = (micros: number): string => `${((100 * micros) / finish).toFixed(1).padStart(5)}% of finish`;
const line = (label: string, values: readonly number[]): void =>
  console.log(`  ${label.padEnd(WIDTH)} ${median(values).toFixed(1).padStart(7)} µs ${best(values).toFixed(1).padStart(8)} µs  ${share(median(values))}`);
/** A difference of two medians (a best round means nothing for a difference). */
const difference = (label: string, micros: number): void => console.log(`  ${label.padEnd(WIDTH)} ${micros.toFixed(1).padStart(7)} µs ${"".padStart(11)}  ${share(micros)}`);

console.log(`finish breakdown, ${algorithm}, Node ${process.version}: µs per op over ${N} credentials, ${ROUNDS} rounds`);
console.log(`  ${"".padEnd(WIDTH)} ${"median".padStart(10)} ${"best".padStart(11)}`);
line("finish, whole (node:crypto verifier)", totals.get("finish")!);
line("floor: createPublicKey(JWK) + verify, tight loop", totals.get("floor")!);
console.log("  stages, timed in place:");
STAGES.forEach((name, i) => line(`  ${i + 1} ${name}`, stageMicros[i]!));
const pipelineTotal = totals.get("pipeline")!;
const stageSum = stageMicros[0]!.map((_, r) => stageMicros.reduce((sum, stage) => sum + stage[r]!, 0));
line("  stages together", stageSum);
line("  pipeline, whole (stages + their clock reads)", pipelineTotal);
const floor = median(totals.get("floor")!);
difference("finish − pipeline (checks, result objects, awaits; clock reads count against)", finish - median(pipelineTotal));
difference("stage 6 − floor (the same crypto calls, slower in place than in a tight loop)", median(stageMicros[5]!) - floor);
difference("finish − floor", finish - floor);
const ratios = totals.get("finish")!.map((v, r) => totals.get("floor")![r]! / v);
console.log(`  a/c (floor ÷ finish) = ${median(ratios).toFixed(2)} (median round), ${Math.max(...ratios).toFixed(2)} (best round)`);
console.log(`  load average ${loadAtStart.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`);
