/**
 * `npm run bench`: how fast keyport verifies a sign-in, against @simplewebauthn/server and against the
 * floor (bare node:crypto key import + verify), for ES256, RS256 and EdDSA.
 *
 * A measurement, not a test: it prints figures and PASS/MISS against the targets and exits 0 either
 * way (it fails only if a verification that must succeed does not, since then the figures are wrong).
 *
 * - Every op uses a different credential (1,000 per algorithm, visited in turn), and every op imports
 *   its key: no key cache anywhere, as in a cold Lambda.
 * - (a) times only `AuthenticationCeremony.finish`; its session (startForUser) and the authenticator's
 *   signature are prepared beforehand, one fresh session per op.
 * - (b) and (c) run on the very responses and signatures (a) verified with node:crypto. Responses
 *   arrive as JSON.parse would give them to a server (see fixtures.ts).
 * - Rounds interleave every measurement finely, after a warm-up round: each round walks the 1,000
 *   credentials in chunks of 100, and every chunk runs each measurement in turn, in an order drawn
 *   afresh for each chunk (see orderOf), so that a burst of machine noise, or the garbage of the
 *   measurement before, lands on all of them alike. (d) runs in rounds of its own afterwards. The
 *   median round is reported, with the range over rounds; ratios are the median of the per-round ratios.
 */
import { createPublicKey, KeyObject, verify } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { decodePKIXECDSASignature, decodeSEC1PublicKey, p256, verifyECDSASignature } from "@oslojs/crypto/ecdsa";
import { sha256 as pureSha256 } from "@oslojs/crypto/sha2";
import { verifyAuthenticationResponse } from "@simplewebauthn/server";
import type { AuthenticationResponseJSON as SimpleAuthenticationResponseJSON } from "@simplewebauthn/server";
import { NodeCryptoSignatureVerifier } from "../src/adapters/node-crypto/node-crypto-signature-verifier.js";
import { derToP1363 } from "../src/adapters/webcrypto/ecdsa-der.js";
import { WebCryptoSignatureVerifier } from "../src/adapters/webcrypto/web-crypto-signature-verifier.js";
import { fromB64url, type TestAlgorithm } from "../test/support/index.js";
import {
  ALGORITHMS,
  buildAuthentication,
  generateKeys,
  makeCredentials,
  ORIGIN,
  prepareAssertions,
  registerAll,
  RP_ID,
  type BenchCredential,
  type BenchDomain,
  type PreparedAssertion,
} from "./fixtures.js";

const CREDENTIALS = 1000;
const ROUNDS = 5;
const CHUNKS = 10;
const WARMUP_OPS = 300;
/** Pure-JS ECDSA is ~100× slower than native: 40 ops a round, 200 in all, each on its own key. */
const OSLO_OPS_PER_ROUND = 40;
const OSLO_WARMUP_OPS = 10;

const TARGET_A_OVER_B = 3.0;
const TARGET_A_OVER_C = 0.85;

type MeasureId = "aNode" | "aWeb" | "b" | "cJwk" | "cSpki" | "cRaw" | "cWeb" | "cWebRaw" | "d";

const LABELS: Record<MeasureId, string> = {
  aNode: "a  keyport finish, node:crypto verifier",
  aWeb: "a' keyport finish, WebCrypto verifier",
  b: "b  @simplewebauthn/server 13 verify",
  cJwk: "c  node:crypto createPublicKey(JWK)+verify",
  cSpki: "c' node:crypto createPublicKey(SPKI)+verify",
  cRaw: "c° WebCrypto importKey(raw)→KeyObject+node verify",
  cWeb: "c\" WebCrypto importKey(JWK)+verify",
  cWebRaw: "c^ WebCrypto importKey(raw)+verify",
  d: "d  @oslojs/crypto pure-JS ECDSA",
};

const NODE_DIGEST: Record<TestAlgorithm, string | null> = { ES256: "sha256", RS256: "sha256", EdDSA: null };
const WEB_PARAMS: Record<TestAlgorithm, { importAlgorithm: EcKeyImportParams | RsaHashedImportParams | Algorithm; verifyAlgorithm: EcdsaParams | Algorithm }> = {
  ES256: { importAlgorithm: { name: "ECDSA", namedCurve: "P-256" }, verifyAlgorithm: { name: "ECDSA", hash: "SHA-256" } },
  RS256: { importAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verifyAlgorithm: { name: "RSASSA-PKCS1-v1_5" } },
  EdDSA: { importAlgorithm: { name: "Ed25519" }, verifyAlgorithm: { name: "Ed25519" } },
};

/** Everything one round of one algorithm needs, prepared before any timing. */
interface RoundInput {
  readonly node: PreparedAssertion[];
  readonly web: PreparedAssertion[];
  /** WebCrypto takes ECDSA signatures as r ‖ s; converted beforehand for the bare floor. */
  readonly webSignatures: Uint8Array[];
  /** For (d): SEC1 public keys and assertions of distinct credentials. */
  readonly oslo: { sec1: Uint8Array; assertion: PreparedAssertion }[];
}

function fail(what: string, ok: number, total: number): never {
  throw new Error(`${what}: only ${ok} of ${total} verifications succeeded; the figures would be meaningless`);
}

/** The part [from, to) of a list, for chunk `chunk` of CHUNKS. */
function chunkOf<T>(list: readonly T[], chunk: number): T[] {
  return list.slice(Math.floor((list.length * chunk) / CHUNKS), Math.floor((list.length * (chunk + 1)) / CHUNKS));
}

/** Ops done, and the wall-clock and CPU milliseconds (all threads of the process) they took. */
interface Timing {
  readonly ops: number;
  readonly ms: number;
  readonly cpuMs: number;
}

/** Runs one chunk of one measurement. */
async function measure(
  id: MeasureId,
  algorithm: TestAlgorithm,
  whole: RoundInput,
  chunk: number,
  domains: { node: BenchDomain; web: BenchDomain },
): Promise<Timing> {
  const input: RoundInput = {
    node: chunkOf(whole.node, chunk),
    web: chunkOf(whole.web, chunk),
    webSignatures: chunkOf(whole.webSignatures, chunk),
    oslo: chunkOf(whole.oslo, chunk),
  };
  let ok = 0;
  let total = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  switch (id) {
    case "aNode":
    case "aWeb": {
      const batch = id === "aNode" ? input.node : input.web;
      const { authentication } = id === "aNode" ? domains.node : domains.web;
      total = batch.length;
      for (const p of batch) {
        const result = await authentication.finish(p.response, { identityUserId: p.credential.identityUserId, challenge: p.challenge });
        if (result.ok) ok++;
      }
      break;
    }
    case "b": {
      total = input.node.length;
      for (const p of input.node) {
        const result = await verifyAuthenticationResponse({
          response: p.response as SimpleAuthenticationResponseJSON,
          expectedChallenge: p.challenge,
          expectedOrigin: ORIGIN,
          expectedRPID: RP_ID,
          credential: { id: p.credential.credentialId, publicKey: p.credential.cose as Uint8Array<ArrayBuffer>, counter: p.counter - 1 },
          requireUserVerification: true,
        });
        if (result.verified) ok++;
      }
      break;
    }
    case "cJwk":
    case "cSpki": {
      total = input.node.length;
      const digest = NODE_DIGEST[algorithm];
      for (const p of input.node) {
        const key =
          id === "cJwk"
            ? createPublicKey({ key: p.credential.jwk, format: "jwk" })
            : createPublicKey({ key: p.credential.spki, format: "der", type: "spki" });
        const valid = algorithm === "ES256" ? verify(digest, p.signed, { key, dsaEncoding: "der" }, p.signature) : verify(digest, p.signed, key, p.signature);
        if (valid) ok++;
      }
      break;
    }
    case "cRaw": {
      // What keyport's node:crypto verifier does for ES256 (node-crypto-signature-verifier.ts).
      total = input.node.length;
      for (const p of input.node) {
        const key = KeyObject.from(await crypto.subtle.importKey("raw", p.credential.raw!, WEB_PARAMS.ES256.importAlgorithm, true, ["verify"]));
        if (verify("sha256", p.signed, { key, dsaEncoding: "der" }, p.signature)) ok++;
      }
      break;
    }
    case "cWebRaw": {
      total = input.node.length;
      const { importAlgorithm, verifyAlgorithm } = WEB_PARAMS[algorithm];
      for (let i = 0; i < input.node.length; i++) {
        const p = input.node[i]!;
        const key = await crypto.subtle.importKey("raw", p.credential.raw!, importAlgorithm, false, ["verify"]);
        if (await crypto.subtle.verify(verifyAlgorithm, key, input.webSignatures[i]! as Uint8Array<ArrayBuffer>, p.signed as Uint8Array<ArrayBuffer>)) ok++;
      }
      break;
    }
    case "cWeb": {
      total = input.node.length;
      const { importAlgorithm, verifyAlgorithm } = WEB_PARAMS[algorithm];
      for (let i = 0; i < input.node.length; i++) {
        const p = input.node[i]!;
        const key = await crypto.subtle.importKey("jwk", p.credential.jwk as JsonWebKey, importAlgorithm, false, ["verify"]);
        if (await crypto.subtle.verify(verifyAlgorithm, key, input.webSignatures[i]! as Uint8Array<ArrayBuffer>, p.signed as Uint8Array<ArrayBuffer>)) ok++;
      }
      break;
    }
    case "d": {
      total = input.oslo.length;
      for (const { sec1, assertion } of input.oslo) {
        const publicKey = decodeSEC1PublicKey(p256, sec1);
        const signature = decodePKIXECDSASignature(assertion.signature);
        if (verifyECDSASignature(publicKey, pureSha256(assertion.signed), signature)) ok++;
      }
      break;
    }
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  if (ok !== total) fail(`${LABELS[id]} (${algorithm})`, ok, total);
  return { ops: total, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * The order in which chunk `n` runs the measurements: a permutation drawn afresh for every chunk
 * (seeded, so every run uses the same ones). Rotating one order would keep each measurement behind the
 * same neighbour every time, and a measurement pays for the garbage its predecessor left behind.
 */
function orderOf<T>(items: readonly T[], n: number): T[] {
  let seed = (n + 1) * 0x9e3779b9;
  const next = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = [...items];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function sec1Of(credential: BenchCredential): Uint8Array {
  const x = fromB64url(credential.jwk.x as string);
  const y = fromB64url(credential.jwk.y as string);
  const out = new Uint8Array(65);
  out[0] = 0x04;
  out.set(x, 1);
  out.set(y, 33);
  return out;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");

async function main(): Promise<void> {
  const began = performance.now();
  const loadAtStart = loadavg()[0]!.toFixed(2);
  const cpu = cpus();
  console.log("keyport ceremony bench");
  console.log(`Node ${process.version} (OpenSSL ${process.versions.openssl}, V8 ${process.versions.v8}), ${process.platform}/${process.arch}`);
  console.log(`CPU: ${cpu[0]?.model.trim() ?? "unknown"} × ${cpu.length} logical cores`);
  console.log("");

  // ----- setup: keys, credentials, domains, sessions and signed assertions (not timed) -----
  const node = buildAuthentication(new NodeCryptoSignatureVerifier());
  const web = buildAuthentication(new WebCryptoSignatureVerifier());
  const credentials = new Map<TestAlgorithm, BenchCredential[]>();
  const keyNotes: string[] = [];
  for (const algorithm of ALGORITHMS) {
    const t = performance.now();
    const keys = await generateKeys(algorithm, CREDENTIALS);
    const creds = makeCredentials(algorithm, keys.keys);
    if (new Set(creds.map((c) => c.cose.toString())).size !== CREDENTIALS) throw new Error(`${algorithm}: public keys are not distinct`);
    credentials.set(algorithm, creds);
    await registerAll(node, creds);
    await registerAll(web, creds);
    keyNotes.push(`${algorithm}: ${keys.note} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }

  // inputs[round][algorithm]; round 0 is the warm-up. Prepared in the order they will be finished.
  const inputs: Map<TestAlgorithm, RoundInput>[] = [];
  const nodeCounters = new Map<TestAlgorithm, number[]>(ALGORITHMS.map((a) => [a, []]));
  const webCounters = new Map<TestAlgorithm, number[]>(ALGORITHMS.map((a) => [a, []]));
  const tPrepare = performance.now();
  for (let round = 0; round <= ROUNDS; round++) {
    const byAlgorithm = new Map<TestAlgorithm, RoundInput>();
    for (const algorithm of ALGORITHMS) {
      const all = credentials.get(algorithm)!;
      const creds = round === 0 ? all.slice(0, WARMUP_OPS) : all;
      const nodeBatch = await prepareAssertions(node, creds, nodeCounters.get(algorithm)!);
      const webBatch = await prepareAssertions(web, creds, webCounters.get(algorithm)!);
      const webSignatures = nodeBatch.map((p) => (algorithm === "ES256" ? derToP1363(p.signature, 32)! : p.signature));
      const osloSlice =
        algorithm !== "ES256"
          ? []
          : round === 0
            ? nodeBatch.slice(0, OSLO_WARMUP_OPS)
            : nodeBatch.slice((round - 1) * OSLO_OPS_PER_ROUND, round * OSLO_OPS_PER_ROUND);
      byAlgorithm.set(algorithm, { node: nodeBatch, web: webBatch, webSignatures, oslo: osloSlice.map((assertion) => ({ sec1: sec1Of(assertion.credential), assertion })) });
    }
    inputs.push(byAlgorithm);
  }
  const setupSeconds = (performance.now() - began) / 1000;
  console.log(`Setup ${setupSeconds.toFixed(1)} s (sessions + signed assertions: ${((performance.now() - tPrepare) / 1000).toFixed(1)} s):`);
  for (const note of keyNotes) console.log(`  ${note}`);
  console.log("");

  // ----- timed rounds -----
  const measures: MeasureId[] = ["aNode", "b", "cJwk", "aWeb", "cSpki", "cRaw", "cWeb", "cWebRaw"];
  /** Raw keys exist for EC and OKP; c° is what the node:crypto verifier does for ES256 only. */
  const applies = (id: MeasureId, algorithm: TestAlgorithm): boolean =>
    !(id === "cRaw" && algorithm !== "ES256") && !(id === "cWebRaw" && algorithm === "RS256");
  /** ops/s per round, by "measure/algorithm": by wall-clock time, and by CPU time. */
  const results = new Map<string, number[]>();
  const cpuResults = new Map<string, number[]>();
  const record = (id: MeasureId, algorithm: TestAlgorithm, { ops, ms, cpuMs }: Timing): void => {
    const key = `${id}/${algorithm}`;
    results.set(key, [...(results.get(key) ?? []), (ops * 1000) / ms]);
    cpuResults.set(key, [...(cpuResults.get(key) ?? []), (ops * 1000) / cpuMs]);
  };
  for (let round = 0; round <= ROUNDS; round++) {
    for (const algorithm of ALGORITHMS) {
      const input = inputs[round]!.get(algorithm)!;
      const sums = new Map<MeasureId, Timing>();
      for (let chunk = 0; chunk < CHUNKS; chunk++) {
        for (const id of orderOf(measures, round * CHUNKS + chunk)) {
          if (!applies(id, algorithm)) continue;
          const { ops, ms, cpuMs } = await measure(id, algorithm, input, chunk, { node, web });
          const sum = sums.get(id) ?? { ops: 0, ms: 0, cpuMs: 0 };
          sums.set(id, { ops: sum.ops + ops, ms: sum.ms + ms, cpuMs: sum.cpuMs + cpuMs });
        }
      }
      if (round > 0) for (const [id, timing] of sums) record(id, algorithm, timing);
    }
    process.stdout.write(round === 0 ? "warm-up done; rounds:" : ` ${round}`);
  }
  // (d) in rounds of its own: its pure-JS BigInt arithmetic leaves garbage that the collector would
  // otherwise clear during whichever measurement ran next.
  for (let round = 0; round <= ROUNDS; round++) {
    const input = inputs[round]!.get("ES256")!;
    const sum = { ops: 0, ms: 0, cpuMs: 0 };
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      const { ops, ms, cpuMs } = await measure("d", "ES256", input, chunk, { node, web });
      sum.ops += ops;
      sum.ms += ms;
      sum.cpuMs += cpuMs;
    }
    if (round > 0) record("d", "ES256", sum);
  }
  process.stdout.write("\n\n");

  // ----- report -----
  const med = (id: MeasureId, algorithm: TestAlgorithm): number => median(results.get(`${id}/${algorithm}`)!);
  /** Median over rounds of the per-round ratio x/y (both measured in the same chunks of time). */
  const ratio = (x: MeasureId, y: MeasureId, algorithm: TestAlgorithm, source = results): number => {
    const xs = source.get(`${x}/${algorithm}`)!;
    const ys = source.get(`${y}/${algorithm}`)!;
    return median(xs.map((v, i) => v / ys[i]!));
  };
  const cell = (id: MeasureId, algorithm: TestAlgorithm): string => {
    const values = results.get(`${id}/${algorithm}`);
    if (values === undefined) return "—";
    const m = median(values);
    return `${fmt(m)}/s ${(1e6 / m).toFixed(0)}µs [${fmt(Math.min(...values))}–${fmt(Math.max(...values))}]`;
  };
  const labelWidth = Math.max(...Object.values(LABELS).map((l) => l.length)) + 2;
  const colWidth = 36;
  const row = (label: string, cells: string[]): string => label.padEnd(labelWidth) + cells.map((c) => c.padEnd(colWidth)).join("");

  console.log(
    `ops/s, median of ${ROUNDS} rounds (measurements interleaved in ${CHUNKS} chunks a round), µs/op, [min–max over rounds];\n` +
      `every op on a different one of ${fmt(CREDENTIALS)} credentials, every op imports its key (no key cache)`,
  );
  console.log(row("", ALGORITHMS.map((a) => a)));
  for (const id of [...measures, "d" as const]) {
    const label = id === "d" ? `${LABELS.d} (${ROUNDS}×${OSLO_OPS_PER_ROUND} ops)` : LABELS[id];
    console.log(row(label, ALGORITHMS.map((a) => cell(id, a))));
  }
  console.log("");

  // The floor is the faster of the two node:crypto key formats.
  const floorOf = (algorithm: TestAlgorithm): MeasureId => (med("cJwk", algorithm) >= med("cSpki", algorithm) ? "cJwk" : "cSpki");
  /** The bare calls each verifier makes: its own import path and verify, with nothing of keyport around them. */
  const nodePrimitives = (algorithm: TestAlgorithm): MeasureId => (algorithm === "ES256" ? "cRaw" : "cJwk");
  const webFloor = (algorithm: TestAlgorithm): MeasureId =>
    applies("cWebRaw", algorithm) && med("cWebRaw", algorithm) > med("cWeb", algorithm) ? "cWebRaw" : "cWeb";
  /** The wall-clock ratio (judged against the target), and the CPU-time ratio beside it. */
  const ratioCells = (x: MeasureId, y: (a: TestAlgorithm) => MeasureId, target?: number): string[] =>
    ALGORITHMS.map((algorithm) => {
      const wall = ratio(x, y(algorithm), algorithm);
      const cpu = ratio(x, y(algorithm), algorithm, cpuResults);
      const versus = { cSpki: " vs c'", cRaw: " vs c°", cWebRaw: " vs c^" }[y(algorithm) as string] ?? "";
      const verdict = target === undefined || algorithm !== "ES256" ? "" : `  ${wall >= target ? "PASS" : "MISS"} (≥ ${target.toFixed(2)})`;
      return `${wall.toFixed(2)} (cpu ${cpu.toFixed(2)})${versus}${verdict}`;
    });
  console.log(row("a/b  keyport vs @simplewebauthn", ratioCells("aNode", () => "b", TARGET_A_OVER_B)));
  console.log(row("a/c  keyport vs node:crypto floor", ratioCells("aNode", floorOf, TARGET_A_OVER_C)));
  console.log(row("a/c° keyport vs its verifier's calls", ratioCells("aNode", nodePrimitives)));
  console.log(row("a'/c\" keyport vs WebCrypto floor", ratioCells("aWeb", webFloor)));
  console.log("");
  console.log(`Ratios: median of per-round ratios, by wall-clock time (PASS/MISS) and, in brackets, by CPU time`);
  console.log(`(process.cpuUsage, all threads), which other load on the machine disturbs less.`);
  console.log(`Floor c is the faster of c and c' (JWK vs SPKI import); c, c' and c" get authData ‖ SHA-256(clientDataJSON)`);
  console.log(`ready-made (hashing it natively would add ~2 µs) and, for WebCrypto, ECDSA signatures already in r ‖ s form.`);
  console.log(`keyport's node:crypto verifier imports a P-256 key through WebCrypto's raw form (c°), which skips a second`);
  console.log(`scalar multiplication createPublicKey(JWK) does on OpenSSL 3.0; a/c judges it against the bare createPublicKey`);
  console.log(`floor all the same, and a/c° against the very calls it makes (c for RS256 and EdDSA). The WebCrypto floor is`);
  console.log(`the faster of JWK (c") and raw (c^) import. (d) shows why pure-JS ECDSA stays off the hot path.`);
  console.log(`Load average (1 min) ${loadAtStart} at start, ${loadavg()[0]!.toFixed(2)} at end; total run time ${((performance.now() - began) / 1000).toFixed(1)} s.`);
}

await main();
