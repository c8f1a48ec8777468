/**
 * Where `AuthenticationCeremony.finish` spends its time, stage by stage, next to the node:crypto floor.
 *
 *   npx tsx bench/finish-breakdown.ts [ES256|RS256|EdDSA] [node|webcrypto]     (default ES256 node)
 *
 * The stages are timed in place: a "pipeline" calls, per sign-in and in finish's order, the very
 * functions finish calls (parse, session consume, credential lookup, COSE key parse and judgement,
 * SHA-256, the verifier, the counter update), with a clock read between stages. Timing each stage in
 * its own loop would flatter the JS stages: right after OpenSSL has run, the same JS code runs ~2–3×
 * slower than in a tight loop of itself (cold caches), and that is the situation in a real request.
 *
 * The whole finish (on its own sessions), the pipeline and the floor run interleaved, in chunks of
 * CHUNK sign-ins, over 1,000 distinct credentials, the order rotating chunk by chunk. Each figure is
 * the median over all chunks of all rounds, which a burst of other load on the machine moves less than
 * a total would; a/c is the median of the per-chunk ratios of neighbouring chunks, by wall-clock time
 * and by the process's CPU time.
 */
import { createPublicKey, verify } from "node:crypto";
import { loadavg } from "node:os";
import { NodeCryptoSignatureVerifier } from "../src/adapters/node-crypto/node-crypto-signature-verifier.js";
import { WebCryptoSignatureVerifier } from "../src/adapters/webcrypto/web-crypto-signature-verifier.js";
import { parsePublicKey } from "../src/domain/encoding/cose.js";
import { parseAuthenticationResponse } from "../src/domain/encoding/parse-response.js";
import { concatDigest } from "../src/domain/encoding/sha256.js";
import type { TestAlgorithm } from "../test/support/index.js";
import { buildAuthentication, generateKeys, makeCredentials, prepareAssertions, registerAll, type BenchDomain, type PreparedAssertion } from "./fixtures.js";

const algorithm = (process.argv[2] ?? "ES256") as TestAlgorithm;
if (!["ES256", "RS256", "EdDSA"].includes(algorithm)) throw new Error(`unknown algorithm ${algorithm}`);
const verifierName = process.argv[3] ?? "node";
if (!["node", "webcrypto"].includes(verifierName)) throw new Error(`unknown verifier ${verifierName}`);
const N = 1000;
const ROUNDS = 7;
const CHUNK = 50;
const CHUNKS = N / CHUNK;

const verifier = verifierName === "node" ? new NodeCryptoSignatureVerifier() : new WebCryptoSignatureVerifier();
const VERIFIER_LABEL = verifierName === "node" ? "NodeCryptoSignatureVerifier" : "WebCryptoSignatureVerifier";

const STAGES = [
  "parseAuthenticationResponse (base64url, client data, authData)",
  "sessions.consume",
  "credentials.findCredential",
  "parsePublicKey (COSE → JWK, the key judged)",
  "authenticatorData ‖ SHA-256(clientDataJSON) (concatDigest, pure JS)",
  `${VERIFIER_LABEL}.verify (key import + verify)`,
  "credentials.recordAuthentication",
] as const;

const loadAtStart = loadavg()[0]!;
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
  const signed = concatDigest(assertion.authenticatorData.bytes, assertion.clientDataJSON);
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
let chunkStages: number[] = [];
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
      for (const p of staged.batches[round]!.slice(from, to)) await pipeline(p, chunkStages);
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

/** µs per op of each chunk, by job: wall-clock and CPU time; and of each stage, per chunk. */
const wall = new Map<string, number[]>(jobs.map((job) => [job.name, []]));
const cpu = new Map<string, number[]>(jobs.map((job) => [job.name, []]));
const stageMicros: number[][] = STAGES.map(() => []);
for (let round = 0; round <= ROUNDS; round++) {
  for (let chunk = 0; chunk < CHUNKS; chunk++) {
    const from = chunk * CHUNK;
    const to = from + CHUNK;
    chunkStages = STAGES.map(() => 0);
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[(i + chunk + round) % jobs.length]!;
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      await job.run(round, from, to);
      const ms = performance.now() - start;
      const cpuUsed = process.cpuUsage(cpuStart);
      if (round === 0) continue;
      wall.get(job.name)!.push((ms * 1000) / CHUNK);
      cpu.get(job.name)!.push((cpuUsed.user + cpuUsed.system) / CHUNK);
    }
    if (round > 0) chunkStages.forEach((micros, i) => stageMicros[i]!.push(micros / CHUNK));
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const best = (values: readonly number[]): number => Math.min(...values);
const finish = median(wall.get("finish")!);
const WIDTH = 80;
const share = (micros: number): string => `${((100 * micros) / finish).toFixed(1).padStart(5)}% of finish`;
const line = (label: string, values: readonly number[], cpuValues?: readonly number[]): void =>
  console.log(
    `  ${label.padEnd(WIDTH)} ${median(values).toFixed(1).padStart(7)} µs ${best(values).toFixed(1).padStart(8)} µs  ${share(median(values))}` +
      (cpuValues === undefined ? "" : `   cpu ${median(cpuValues).toFixed(1)} µs`),
  );
/** A difference of two medians (a best chunk means nothing for a difference). */
const difference = (label: string, micros: number): void => console.log(`  ${label.padEnd(WIDTH)} ${micros.toFixed(1).padStart(7)} µs ${"".padStart(11)}  ${share(micros)}`);
const ratios = (source: Map<string, number[]>): number[] => source.get("finish")!.map((v, i) => source.get("floor")![i]! / v);

console.log(`finish breakdown, ${algorithm}, ${VERIFIER_LABEL}, Node ${process.version}: µs per op, ${N} credentials, ${ROUNDS} rounds of ${CHUNKS} chunks`);
console.log(`  ${"".padEnd(WIDTH)} ${"median".padStart(10)} ${"best".padStart(11)}`);
line(`finish, whole (${VERIFIER_LABEL})`, wall.get("finish")!, cpu.get("finish"));
line("floor: createPublicKey(JWK) + verify, tight loop", wall.get("floor")!, cpu.get("floor"));
console.log("  stages, timed in place:");
STAGES.forEach((name, i) => line(`  ${i + 1} ${name}`, stageMicros[i]!));
const stageSum = stageMicros[0]!.map((_, c) => stageMicros.reduce((sum, stage) => sum + stage[c]!, 0));
line("  stages together", stageSum);
line("  pipeline, whole (stages + their clock reads)", wall.get("pipeline")!, cpu.get("pipeline"));
const floor = median(wall.get("floor")!);
difference("finish − pipeline (checks, result objects, awaits; clock reads count against)", finish - median(wall.get("pipeline")!));
difference(`stage 6 − floor (the verifier in place against the bare JWK import + verify)`, median(stageMicros[5]!) - floor);
difference("finish − floor", finish - floor);
console.log(`  a/c (floor ÷ finish, per chunk) = ${median(ratios(wall)).toFixed(2)} by wall-clock time, ${median(ratios(cpu)).toFixed(2)} by CPU time (medians)`);
console.log(`  load average ${loadAtStart.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`);
