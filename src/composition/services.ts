/**
 * keyport's wiring, written once (ADR 0011, ADR 0013): which adapter each port gets and how every
 * domain service is built from them. `KeyportServices` is the one table of services: each getter is one
 * service, built the first time it is read and shared after that, so a function that needs only the
 * triggers never builds the HTTP side, and a deployment never builds the adapters it did not choose.
 * Adding a service is adding one getter; `Services`, `SERVICE_NAMES` and the container's tokens
 * (container.ts) are derived from this class.
 *
 * No inversify here, on purpose: the Lambda functions compose with this directly, and their bundles
 * stay free of the container (~90 KB minified). The local server's container binds a token per
 * service name to the getter of that name, so both compositions are this one.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoDbClient } from "../adapters/dynamodb/dynamodb-client.js";
import { DynamoDbCredentialStore } from "../adapters/dynamodb/dynamodb-credential-store.js";
import { DynamoDbSecurityEventLog } from "../adapters/dynamodb/dynamodb-security-event-log.js";
import { DynamoDbSessionStore } from "../adapters/dynamodb/dynamodb-session-store.js";
import { InMemoryCredentialStore } from "../adapters/in-memory/in-memory-credential-store.js";
import { InMemorySecurityEventLog } from "../adapters/in-memory/in-memory-security-event-log.js";
import { InMemorySessionStore } from "../adapters/in-memory/in-memory-session-store.js";
import { NodeCryptoSignatureVerifier } from "../adapters/node-crypto/node-crypto-signature-verifier.js";
import { InMemoryCeremonyMetrics } from "../adapters/system/in-memory-ceremony-metrics.js";
import { LogLostEventReporter } from "../adapters/system/log-lost-event-reporter.js";
import { SystemClock } from "../adapters/system/system-clock.js";
import { WebCryptoRandomSource } from "../adapters/system/web-crypto-random-source.js";
import { WebCryptoSignatureVerifier } from "../adapters/webcrypto/web-crypto-signature-verifier.js";
import { SecurityActivity } from "../domain/activity/security-activity.js";
import { AuthenticationCeremony } from "../domain/ceremonies/authentication-ceremony.js";
import type { RegistrationCeremony } from "../domain/ceremonies/registration-ceremony.js";
import { RelyingParty } from "../domain/ceremonies/relying-party.js";
import { ChallengeStateMachine } from "../domain/custom-challenge/challenge-state-machine.js";
import { PasskeyCustomChallenge } from "../domain/custom-challenge/passkey-custom-challenge.js";
import type { PasskeySignIn } from "../domain/custom-challenge/passkey-sign-in.js";
import type { PasskeyManagement } from "../domain/management/passkey-management.js";
import { jsonLineLog, type Log } from "../handlers/http/log.js";
import type { AuthenticatorCatalog } from "../ports/authenticator-catalog.js";
import type { CeremonyMetrics } from "../ports/ceremony-metrics.js";
import type { CertificateVerifier } from "../ports/certificate-verifier.js";
import type { Clock } from "../ports/clock.js";
import type { CredentialStore } from "../ports/credential-store.js";
import type { IdentityProvider } from "../ports/identity-provider.js";
import type { IdentityUserDirectory } from "../ports/identity-user-directory.js";
import type { LostEventReporter } from "../ports/lost-event-reporter.js";
import type { RandomSource } from "../ports/random-source.js";
import type { RefreshGrantStore } from "../ports/refresh-grant-store.js";
import type { SecurityEventLog } from "../ports/security-event-log.js";
import type { SessionStore } from "../ports/session-store.js";
import type { SignatureVerifier } from "../ports/signature-verifier.js";
import type { TrustAnchors } from "../ports/trust-anchors.js";
import { readPemCertificateFile, StaticTrustAnchors } from "../adapters/attestation/pem-trust-anchors.js";
import { CombinedTrustAnchors, Mds3AuthenticatorMetadata } from "../adapters/attestation/mds3-authenticator-metadata.js";
import type { Mds3Source } from "../adapters/attestation/mds3-source.js";
import type { UserPool } from "../ports/user-pool.js";
import type { ApiServiceClasses } from "./api-services.js";
import { ConfigError, type KeyportConfig, type MetadataConfig } from "./config.js";

/**
 * Adapters chosen outside the table: the identity provider (which one depends on where keyport runs,
 * and its construction may need the services it calls back, so it is given the composition), the
 * local identity provider's user directory, the authenticator catalog, and test doubles.
 */
export interface AdapterOverrides {
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly sessionStore?: SessionStore;
  readonly credentialStore?: CredentialStore;
  readonly securityEventLog?: SecurityEventLog;
  /**
   * The operator's counts. In memory by default (the local server, tests); the Lambda compositions give
   * Powertools' (CloudWatch metrics through EMF), which their shells publish after every invocation.
   */
  readonly ceremonyMetrics?: CeremonyMetrics;
  readonly lostEventReporter?: LostEventReporter;
  /**
   * Where the composition's own log lines go (a security event the store could not keep): give the log
   * the requests' lines go to, so that both are found in one place. JSON lines on stdout by default.
   */
  readonly log?: Log;
  readonly identityProvider?: (services: Services) => IdentityProvider;
  /**
   * Makes the local identity provider's user directory on the storage the table chose: `null` for
   * memory, else DynamoDB's shared client and the credential table. Given by the local composition
   * (identity-providers.ts), so that the compositions without the local provider (the Lambda
   * functions) do not carry its adapters.
   */
  readonly identityUserDirectory?: (dynamoDb: DynamoDbTable | null) => IdentityUserDirectory;
  /**
   * Makes the local identity provider's refresh-grant store on the storage the table chose, as
   * `identityUserDirectory` (the same table), with the composition's clock.
   */
  readonly refreshGrantStore?: (dynamoDb: DynamoDbTable | null, clock: Clock) => RefreshGrantStore;
  /**
   * Makes the local Cognito API (the UserPool port) over the composition's identity provider: given by
   * the local composition (identity-providers.ts); on AWS, Cognito answers its own API.
   */
  readonly userPool?: (services: Services) => UserPool;
  /**
   * Makes the authenticator catalog (authenticator-catalogs.ts). Given by the compositions that register
   * passkeys or list them (the local server's, the HTTP API's), so that the trigger bundles do not
   * carry its data set: esbuild cannot drop an unused class getter, but it drops an unused factory.
   */
  readonly authenticatorCatalog?: () => AuthenticatorCatalog;
  /**
   * Makes the X.509 verifier that attestation statements are checked with (certificate-verifiers.ts).
   * Given by the compositions that register passkeys, for the same reason as `authenticatorCatalog`: the
   * trigger bundles then carry neither the adapter nor its DER library (ADR 0026).
   */
  readonly certificateVerifier?: () => CertificateVerifier;
  /**
   * Makes the source of FIDO metadata (MDS3) that MDS_BLOB or MDS_S3_URI names (metadata-sources.ts).
   * Given by the compositions, each with the sources it can carry: the local server's reads a BLOB file
   * (X.509) or S3, the Lambda functions' only the verified metadata in S3, so that the trigger bundles
   * stay free of X.509 (ADR 0027).
   */
  readonly metadataSource?: (metadata: MetadataConfig, services: Services, log: Log) => Mds3Source;
  /**
   * The classes of the API's own services (api-services.ts): registration, API sign-in, passkey
   * management. Given by the compositions that serve the API, for the same reason as
   * `authenticatorCatalog`: the trigger bundles then carry none of them.
   */
  readonly apiServices?: ApiServiceClasses;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** One table on the composition's shared DynamoDB client. */
export interface DynamoDbTable {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** The one table of services. Read the members you need; spreading the object would build all of them. */
class KeyportServices {
  readonly #config: KeyportConfig;
  readonly #overrides: AdapterOverrides;
  readonly #built = new Map<string, { readonly value: unknown }>();
  readonly #building = new Set<string>();

  constructor(config: KeyportConfig, overrides: AdapterOverrides) {
    this.#config = config;
    this.#overrides = overrides;
  }

  get config(): KeyportConfig {
    return this.#config;
  }

  get clock(): Clock {
    return this.#once("clock", () => this.#overrides.clock ?? new SystemClock());
  }

  get random(): RandomSource {
    return this.#once("random", () => this.#overrides.random ?? new WebCryptoRandomSource());
  }

  get signatureVerifier(): SignatureVerifier {
    return this.#once("signatureVerifier", () =>
      this.#config.signatureVerifier === "node" ? new NodeCryptoSignatureVerifier() : new WebCryptoSignatureVerifier(),
    );
  }

  /** The store STORAGE names (DynamoDB when its settings are present), unless overridden. */
  get sessionStore(): SessionStore {
    return this.#once("sessionStore", () => {
      if (this.#overrides.sessionStore !== undefined) return this.#overrides.sessionStore;
      const dynamoDb = this.#config.dynamoDb;
      if (dynamoDb === null) return new InMemorySessionStore(this.clock);
      return new DynamoDbSessionStore({ client: this.#dynamoDbClient(dynamoDb.endpoint), tableName: dynamoDb.sessionTable });
    });
  }

  get credentialStore(): CredentialStore {
    return this.#once("credentialStore", () => {
      if (this.#overrides.credentialStore !== undefined) return this.#overrides.credentialStore;
      const dynamoDb = this.#config.dynamoDb;
      if (dynamoDb === null) return new InMemoryCredentialStore();
      return new DynamoDbCredentialStore({ client: this.#dynamoDbClient(dynamoDb.endpoint), tableName: dynamoDb.credentialTable });
    });
  }

  /**
   * Users' security activity, in the storage STORAGE names (with DynamoDB: the event table, on the
   * stores' client), kept EVENT_RETENTION_DAYS.
   */
  get securityEventLog(): SecurityEventLog {
    return this.#once("securityEventLog", () => {
      if (this.#overrides.securityEventLog !== undefined) return this.#overrides.securityEventLog;
      const retentionMs = this.#config.eventRetentionDays * DAY_MS;
      const dynamoDb = this.#config.dynamoDb;
      if (dynamoDb === null) return new InMemorySecurityEventLog({ clock: this.clock, retentionMs });
      return new DynamoDbSecurityEventLog({ client: this.#dynamoDbClient(dynamoDb.endpoint), tableName: dynamoDb.eventTable, retentionMs });
    });
  }

  get ceremonyMetrics(): CeremonyMetrics {
    return this.#once("ceremonyMetrics", () => this.#overrides.ceremonyMetrics ?? new InMemoryCeremonyMetrics());
  }

  /** A security event the store could not keep: one error line, with the whole event, in the composition's log. */
  get lostEventReporter(): LostEventReporter {
    return this.#once("lostEventReporter", () => this.#overrides.lostEventReporter ?? new LogLostEventReporter(this.#overrides.log ?? jsonLineLog()));
  }

  /**
   * Records what happens to accounts, for the users' trails and the operator's counts. Names passkeys
   * with the authenticator catalog, so that a composition recording events must have one.
   */
  get securityActivity(): SecurityActivity {
    return this.#once(
      "securityActivity",
      () =>
        new SecurityActivity({
          log: this.securityEventLog,
          metrics: this.ceremonyMetrics,
          lost: this.lostEventReporter,
          authenticators: this.authenticatorCatalog,
          clock: this.clock,
          random: this.random,
        }),
    );
  }

  /**
   * The local identity provider's users, in the storage STORAGE names (with DynamoDB: items of the
   * credential table, on the stores' client), so that they outlive the process. Only the local
   * provider reads it; a composition not given the factory (a Lambda function's) reports its absence
   * here, when it is first needed.
   */
  get identityUserDirectory(): IdentityUserDirectory {
    return this.#once("identityUserDirectory", () => {
      const make = this.#overrides.identityUserDirectory;
      if (make === undefined) throw new ConfigError("IDENTITY_PROVIDER", "local has no user directory in this composition");
      const dynamoDb = this.#config.dynamoDb;
      return make(dynamoDb === null ? null : { client: this.#dynamoDbClient(dynamoDb.endpoint), tableName: dynamoDb.credentialTable });
    });
  }

  /**
   * The local identity provider's refresh grants, in the storage STORAGE names (with DynamoDB: items of
   * the credential table, beside its users), so that a refresh token outlives the process. Only the
   * local provider reads it; a composition not given the factory reports its absence when it is first read.
   */
  get refreshGrantStore(): RefreshGrantStore {
    return this.#once("refreshGrantStore", () => {
      const make = this.#overrides.refreshGrantStore;
      if (make === undefined) throw new ConfigError("IDENTITY_PROVIDER", "local has no refresh grant store in this composition");
      const dynamoDb = this.#config.dynamoDb;
      return make(dynamoDb === null ? null : { client: this.#dynamoDbClient(dynamoDb.endpoint), tableName: dynamoDb.credentialTable }, this.clock);
    });
  }

  /**
   * Amazon Cognito's user-pool API as the local server answers it (LocalUserPool), over the same local
   * identity provider as everything else, so that its users, sessions and tokens are shared. Only the
   * local composition has one (with IDENTITY_PROVIDER=cognito, Cognito answers its own API, and the
   * Lambda functions never serve it); its absence is reported when it is first read.
   */
  get userPool(): UserPool {
    return this.#once("userPool", () => {
      const make = this.#overrides.userPool;
      if (make === undefined) throw new ConfigError("IDENTITY_PROVIDER", `${this.#config.identityProvider} has no local user pool in this composition`);
      return make(this);
    });
  }

  /**
   * The identity provider the caller chose (identity-providers.ts). A composition without one is
   * complete for everything that does not call it (the Cognito triggers are what it calls), so its
   * absence is reported here, when it is first needed.
   */
  get identityProvider(): IdentityProvider {
    return this.#once("identityProvider", () => {
      const make = this.#overrides.identityProvider;
      if (make === undefined) throw new ConfigError("IDENTITY_PROVIDER", `${this.#config.identityProvider} has no adapter in this composition`);
      return make(this);
    });
  }

  /**
   * Names and icons of authenticators, from the factory the caller gave. A composition without one (a
   * trigger's) is complete for everything but registering and listing passkeys, so its absence is
   * reported here, when it is first needed.
   */
  get authenticatorCatalog(): AuthenticatorCatalog {
    return this.#once("authenticatorCatalog", () => {
      const make = this.#overrides.authenticatorCatalog;
      if (make === undefined) throw new Error("keyport: this composition has no authenticator catalog");
      return make();
    });
  }

  /**
   * X.509 for attestation statements, from the factory the caller gave. A composition without one (a
   * trigger's) never registers a passkey, so its absence is reported here, when it is first needed.
   */
  get certificateVerifier(): CertificateVerifier {
    return this.#once("certificateVerifier", () => {
      const make = this.#overrides.certificateVerifier;
      if (make === undefined) throw new Error("keyport: this composition has no certificate verifier");
      return make();
    });
  }

  get relyingParty(): RelyingParty {
    return this.#once("relyingParty", () => new RelyingParty(this.#config.relyingParty));
  }

  get challengeStateMachine(): ChallengeStateMachine {
    return this.#once("challengeStateMachine", () => new ChallengeStateMachine({ maxAttempts: this.#config.maxPasskeyAttempts, secondFactor: this.#config.secondFactor }));
  }

  get registrationCeremony(): RegistrationCeremony {
    return this.#once(
      "registrationCeremony",
      () =>
        new (this.#api("registrationCeremony").RegistrationCeremony)({
          relyingParty: this.relyingParty,
          sessions: this.sessionStore,
          credentials: this.credentialStore,
          identityProvider: this.identityProvider,
          signatureVerifier: this.signatureVerifier,
          // Without a verifier (an embedder's composition), only none and packed self attestation are accepted.
          certificateVerifier: this.#overrides.certificateVerifier === undefined ? undefined : this.certificateVerifier,
          trustAnchors: this.#trustAnchors(),
          authenticatorPolicy: this.#config.authenticatorPolicy,
          ...this.#metadata(),
          authenticators: this.authenticatorCatalog,
          clock: this.clock,
          random: this.random,
          activity: this.securityActivity,
        }),
    );
  }

  /**
   * The roots of ATTESTATION_ROOTS (ADR 0027), read when the registration ceremony is built: every PEM
   * certificate of the file must be one the certificate verifier reads. Unset: no statement is trusted.
   */
  #trustAnchors(): TrustAnchors | undefined {
    const configured = this.#configuredTrustAnchors();
    const metadata = this.authenticatorMetadata;
    if (metadata === null) return configured;
    return configured === undefined ? metadata : new CombinedTrustAnchors([configured, metadata]);
  }

  /**
   * FIDO metadata (MDS3), when MDS_BLOB or MDS_S3_URI names it: each authenticator model's roots (trust
   * anchors for its attestation) and status reports (what AUTHENTICATOR_POLICY=certified judges). Null
   * when none is configured. Read lazily: the source is asked the first time a ceremony needs it.
   */
  get authenticatorMetadata(): Mds3AuthenticatorMetadata | null {
    return this.#once("authenticatorMetadata", () => {
      const metadata = this.#config.metadata;
      if (metadata === null) return null;
      const make = this.#overrides.metadataSource;
      if (make === undefined) throw new ConfigError(metadata.source === "file" ? "MDS_BLOB" : "MDS_S3_URI", "this composition cannot read FIDO metadata from there");
      return new Mds3AuthenticatorMetadata(make(metadata, this, this.#overrides.log ?? jsonLineLog()));
    });
  }

  /** The policy's dependencies for a ceremony: the metadata only when there is some. */
  #metadata(): { readonly metadata?: Mds3AuthenticatorMetadata } {
    const metadata = this.authenticatorMetadata;
    return metadata === null ? {} : { metadata };
  }

  #configuredTrustAnchors(): TrustAnchors | undefined {
    const path = this.#config.attestationRoots;
    if (path === null) return undefined;
    let anchors: Uint8Array[];
    try {
      anchors = readPemCertificateFile(path);
    } catch (fault) {
      throw new ConfigError("ATTESTATION_ROOTS", `cannot read ${JSON.stringify(path)}: ${fault instanceof Error ? fault.message : String(fault)}`);
    }
    if (anchors.length === 0) throw new ConfigError("ATTESTATION_ROOTS", `${JSON.stringify(path)} holds no PEM certificate`);
    if (anchors.some((der) => this.certificateVerifier.parse(der) === null)) {
      throw new ConfigError("ATTESTATION_ROOTS", `${JSON.stringify(path)} holds a certificate that cannot be read`);
    }
    return new StaticTrustAnchors(anchors);
  }

  get authenticationCeremony(): AuthenticationCeremony {
    return this.#once(
      "authenticationCeremony",
      () =>
        new AuthenticationCeremony({
          relyingParty: this.relyingParty,
          sessions: this.sessionStore,
          credentials: this.credentialStore,
          signatureVerifier: this.signatureVerifier,
          clock: this.clock,
          random: this.random,
          // Without a configured secret, fake lists are stable only for this process's lifetime.
          unknownUserSecret: this.#config.unknownUserSecret ?? this.random.bytes(32),
          authenticatorPolicy: this.#config.authenticatorPolicy,
          ...this.#metadata(),
        }),
    );
  }

  get passkeyCustomChallenge(): PasskeyCustomChallenge {
    return this.#once(
      "passkeyCustomChallenge",
      () => new PasskeyCustomChallenge({ credentials: this.credentialStore, authentication: this.authenticationCeremony, activity: this.securityActivity }),
    );
  }

  get passkeySignIn(): PasskeySignIn {
    return this.#once(
      "passkeySignIn",
      () =>
        new (this.#api("passkeySignIn").PasskeySignIn)({
          relyingParty: this.relyingParty,
          credentials: this.credentialStore,
          identityProvider: this.identityProvider,
          authentication: this.authenticationCeremony,
          activity: this.securityActivity,
        }),
    );
  }

  get passkeyManagement(): PasskeyManagement {
    return this.#once(
      "passkeyManagement",
      () =>
        new (this.#api("passkeyManagement").PasskeyManagement)({
          relyingParty: this.relyingParty,
          credentials: this.credentialStore,
          identityProvider: this.identityProvider,
          authenticators: this.authenticatorCatalog,
          clock: this.clock,
          activity: this.securityActivity,
        }),
    );
  }

  /** The API's service classes, or the report that this composition (a trigger's) has none. */
  #api(service: string): ApiServiceClasses {
    const classes = this.#overrides.apiServices;
    if (classes === undefined) throw new Error(`keyport: this composition has no ${service} (it serves no HTTP API)`);
    return classes;
  }

  /** One client (one connection pool) for every DynamoDB store, made when a store is first built. */
  #dynamoDbClient(endpoint: string | null): DynamoDBClient {
    return this.#once("dynamoDbClient", () => createDynamoDbClient({ endpoint }));
  }

  /**
   * A singleton: `make` runs on the first read and its value is kept. A factory that fails is not kept
   * (the next read tries again, and fails the same way), and one that needs itself is reported by name
   * instead of overflowing the stack.
   */
  #once<T>(name: string, make: () => T): T {
    const built = this.#built.get(name);
    // Each name is only ever stored by this method with the `make` of the getter of that name.
    if (built !== undefined) return built.value as T;
    if (this.#building.has(name)) throw new Error(`keyport: ${name} depends on itself`);
    this.#building.add(name);
    try {
      const value = make();
      this.#built.set(name, { value });
      return value;
    } finally {
      this.#building.delete(name);
    }
  }
}

/** Every service of one composition, by name: the public getters of the table. */
export type Services = Pick<KeyportServices, keyof KeyportServices>;
export type ServiceName = keyof Services;

/** The names of the services, read off the table itself, so no second list can fall out of step. */
export const SERVICE_NAMES: readonly ServiceName[] = Object.entries(Object.getOwnPropertyDescriptors(KeyportServices.prototype))
  .filter(([, descriptor]) => descriptor.get !== undefined)
  // The prototype's getters are exactly the public members (the rest are #private), i.e. keyof Services.
  .map(([name]) => name as ServiceName);

/** Composes keyport from its configuration. Builds nothing until a service is read. */
export function composeServices(config: KeyportConfig, overrides: AdapterOverrides = {}): Services {
  return new KeyportServices(config, overrides);
}
