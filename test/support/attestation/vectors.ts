/**
 * Real attestation objects, one or more per statement format, as data (issue 15, point 5).
 *
 * Every vector is a registration response captured from a real authenticator (or from the FIDO
 * conformance tools) that a public WebAuthn library keeps in its own test suite; only the base64
 * strings were copied, never code. `source` names the repository, commit, file and test each one
 * comes from, so it can be re-checked. The library verifies each of them the way `expected` says.
 * keyport's statement verifiers do too; two vectors (`packed-self-ps256`, `tpm-rsa-rs1-conformance`)
 * never reach them in keyport's registration, whose credential algorithms are ES256, EdDSA and RS256
 * only (§7.1 step 20 refuses them first: `algorithm_not_allowed`); vectors.test.ts says so.
 *
 * Real certificates expire, so every vector carries `verifyAt`: a time at which every certificate
 * in its x5c (and its trust anchors) is valid. Verify at that time, never at the wall clock.
 *
 * `trustAnchors` names the roots in {@link ATTESTATION_ROOTS} that the vector's chain ends at; a
 * vector without anchors verifies (its signature and certificate requirements hold) but is not
 * trusted unless a test supplies a root. The FIDO conformance vectors' roots were not published
 * with them.
 *
 * Checked by test/support/attestation/vectors.test.ts with node:crypto alone (signatures, rpIdHash,
 * client data, certificate validity at `verifyAt`, anchors signing the chain).
 */

export type VectorFormat = "packed" | "fido-u2f" | "tpm" | "android-key" | "apple" | "none" | "android-safetynet";

export type VectorExpectation =
  | { readonly outcome: "verified"; readonly type: "none" | "self" | "basic" | "attca" | "anonca" }
  /** `reason` is descriptive (the verifier's own error code may be spelled differently). */
  | { readonly outcome: "refused"; readonly reason: "aaguid_mismatch" | "format_unsupported" };

export type RootName = "APPLE_WEBAUTHN_ROOT_CA" | "GOOGLE_HARDWARE_ATTESTATION_ROOT_1" | "GOOGLE_HARDWARE_ATTESTATION_ROOT_2" | "YUBICO_U2F_ROOT_CA_457200631";

export interface AttestationVector {
  /** Stable, unique name for test titles. */
  readonly name: string;
  readonly format: VectorFormat;
  /** What the vector is and what is special about it. */
  readonly description: string;
  readonly source: { readonly repository: string; readonly commit: string; readonly path: string; readonly test: string };
  /** base64url, as in RegistrationResponseJSON.response. */
  readonly attestationObject: string;
  /** base64url of the exact clientDataJSON bytes the authenticator signed (its hash is in the signature). */
  readonly clientDataJSON: string;
  /** The challenge, origin and RP ID the registration must be checked against. */
  readonly expectedChallenge: string;
  readonly expectedOrigin: string;
  readonly rpId: string;
  /** ISO 8601; every certificate of the vector (and of its anchors) is valid then. */
  readonly verifyAt: string;
  /** The intersection of the x5c certificates' validity periods, for information. */
  readonly certificatesValid?: string;
  readonly expected: VectorExpectation;
  readonly trustAnchors: readonly RootName[];
}

/** Root certificates (base64 DER, not base64url) the vectors chain to. */
export const ATTESTATION_ROOTS: Readonly<Record<RootName, { readonly der: string; readonly source: string }>> = {
  APPLE_WEBAUTHN_ROOT_CA: {
    source: "MasterKale/SimpleWebAuthn packages/server/src/services/defaultRootCerts/apple.ts (Apple_WebAuthn_Root_CA)",
    der: "MIICEjCCAZmgAwIBAgIQaB0BbHo84wIlpQGUKEdXcTAKBggqhkjOPQQDAzBLMR8wHQYDVQQDDBZBcHBsZSBXZWJBdXRobiBSb290IENBMRMwEQYDVQQKDApBcHBsZSBJbmMuMRMwEQYDVQQIDApDYWxpZm9ybmlhMB4XDTIwMDMxODE4MjEzMloXDTQ1MDMxNTAwMDAwMFowSzEfMB0GA1UEAwwWQXBwbGUgV2ViQXV0aG4gUm9vdCBDQTETMBEGA1UECgwKQXBwbGUgSW5jLjETMBEGA1UECAwKQ2FsaWZvcm5pYTB2MBAGByqGSM49AgEGBSuBBAAiA2IABCJCQ2pTVhzjl4Wo6IhHtMSAzO2cv+H9DQKev3//fG59G11kxu9eI0/7o6V5uShBpe1u6l6mS19S1FEh6yGljnZAJ+2GNP1mi/YK2kSXIuTHjxA/pcoRf7XkOtO4o1qlcaNCMEAwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQUJtdk2cV4wlpn0afeaxLQG2PxxtcwDgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMDA2cAMGQCMFrZ+9DsJ1PW9hfNdBywZDsWDbWFp28it1d/5w2RPkRX3Bbn/UbDTNLx7Jr3jAGGiQIwHFj+dJZYUJR786osByBelJYsVZd2GbHQu209b5RCmGQ21gpSAk9QZW4B1bWeT0vT",
  },
  GOOGLE_HARDWARE_ATTESTATION_ROOT_1: {
    source: "MasterKale/SimpleWebAuthn packages/server/src/services/defaultRootCerts/android-key.ts (Google_Hardware_Attestation_Root_1)",
    der: "MIIFYDCCA0igAwIBAgIJAOj6GWMU0voYMA0GCSqGSIb3DQEBCwUAMBsxGTAXBgNVBAUTEGY5MjAwOWU4NTNiNmIwNDUwHhcNMTYwNTI2MTYyODUyWhcNMjYwNTI0MTYyODUyWjAbMRkwFwYDVQQFExBmOTIwMDllODUzYjZiMDQ1MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAr7bHgiuxpwHsK7Qui8xUFmOr75gvMsd/dTEDDJdSSxtf6An7xyqpRR90PL2abxM1dEqlXnf2tqw1Ne4Xwl5jlRfdnJLmN0pTy/4lj4/7tv0Sk3iiKkypnEUtR6WfMgH0QZfKHM1+di+y9TFRtv6y//0rb+T+W8a9nsNL/ggjnar86461qO0rOs2cXjp3kOG1FEJ5MVmFmBGtnrKpa73XpXyTqRxB/M0n1n/W9nGqC4FSYa04T6N5RIZGBN2z2MT5IKGbFlbC8UrW0DxW7AYImQQcHtGl/m00QLVWutHQoVJYnFPlXTcHYvASLu+RhhsbDmxMgJJ0mcDpvsC4PjvB+TxywElgS70vE0XmLD+OJtvsBslHZvPBKCOdT0MS+tgSOIfga+z1Z1g7+DVagf7quvmag8jfPioyKvxnK/EgsTUVi2ghzq8wm27ud/mIM7AY2qEORR8Go3TVB4HzWQgpZrt3i5MIlCaY504LzSRiigHCzAPlHws+W0rB5N+er5/2pJKnfBSDiCiFAVtCLOZ7gLiMm0jhO2B6tUXHI/+MRPjy02i59lINMRRev56GKtcd9qO/0kUJWdZTdA2XoS82ixPvZtXQpUpuL12ab+9EaDK8Z4RHJYYfCT3Q5vNAXaiWQ+8PTWm2QgBR/bkwSWc+NpUFgNPN9PvQi8WEg5UmAGMCAwEAAaOBpjCBozAdBgNVHQ4EFgQUNmHhAHyIBQlRi0RsR/8aTMnqTxIwHwYDVR0jBBgwFoAUNmHhAHyIBQlRi0RsR/8aTMnqTxIwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAYYwQAYDVR0fBDkwNzA1oDOgMYYvaHR0cHM6Ly9hbmRyb2lkLmdvb2dsZWFwaXMuY29tL2F0dGVzdGF0aW9uL2NybC8wDQYJKoZIhvcNAQELBQADggIBACDIw41L3KlXG0aMiS//cqrG+EShHUGo8HNsw30W1kJtjn6UBwRM6jnmiwfBPb8VA91chb2vssAtX2zbTvqBJ9+LBPGCdw/E53Rbf86qhxKaiAHOjpvAy5Y3m00mqC0w/Zwvju1twb4vhLaJ5NkUJYsUS7rmJKHHBnETLi8GFqiEsqTWpG/6ibYCv7rYDBJDcR9W62BW9jfIoBQcxUCUJouMPH25lLNcDc1ssqvC2v7iUgI9LeoM1sNovqPmQUiG9rHli1vXxzCyaMTjwftkJLkf6724DFhuKug2jITV0QkXvaJWF4nUaHOTNA4uJU9WDvZLI1j83A+/xnAJUucIv/zGJ1AMH2boHqF8CY16LpsYgBt6tKxxWH00XcyDCdW2KlBCeqbQPcsFmWyWugxdcekhYsAWyoSf818NUsZdBWBaR/OukXrNLfkQ79IyZohZbvabO/X+MVT3rriAoKc8oE2Uws6DF+60PV7/WIPjNvXySdqspImSN78mflxDqwLqRBYkA3I75qppLGG9rp7UCdRjxMl8ZDBld+7yvHVgt1cVzJx9xnyGCC23UaicMDSXYrB4I4WHXPGjxhZuCuPBLTdOLU8YRvMYdEvYebWHMpvwGCF6bAx3JBpIeOQ1wDB5y0USicV3YgYGmi+NZfhA4URSh77Yd6uuJOJENRaNVTzk",
  },
  GOOGLE_HARDWARE_ATTESTATION_ROOT_2: {
    source: "MasterKale/SimpleWebAuthn packages/server/src/services/defaultRootCerts/android-key.ts (Google_Hardware_Attestation_Root_2)",
    der: "MIIFHDCCAwSgAwIBAgIJANUP8luj8tazMA0GCSqGSIb3DQEBCwUAMBsxGTAXBgNVBAUTEGY5MjAwOWU4NTNiNmIwNDUwHhcNMTkxMTIyMjAzNzU4WhcNMzQxMTE4MjAzNzU4WjAbMRkwFwYDVQQFExBmOTIwMDllODUzYjZiMDQ1MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAr7bHgiuxpwHsK7Qui8xUFmOr75gvMsd/dTEDDJdSSxtf6An7xyqpRR90PL2abxM1dEqlXnf2tqw1Ne4Xwl5jlRfdnJLmN0pTy/4lj4/7tv0Sk3iiKkypnEUtR6WfMgH0QZfKHM1+di+y9TFRtv6y//0rb+T+W8a9nsNL/ggjnar86461qO0rOs2cXjp3kOG1FEJ5MVmFmBGtnrKpa73XpXyTqRxB/M0n1n/W9nGqC4FSYa04T6N5RIZGBN2z2MT5IKGbFlbC8UrW0DxW7AYImQQcHtGl/m00QLVWutHQoVJYnFPlXTcHYvASLu+RhhsbDmxMgJJ0mcDpvsC4PjvB+TxywElgS70vE0XmLD+OJtvsBslHZvPBKCOdT0MS+tgSOIfga+z1Z1g7+DVagf7quvmag8jfPioyKvxnK/EgsTUVi2ghzq8wm27ud/mIM7AY2qEORR8Go3TVB4HzWQgpZrt3i5MIlCaY504LzSRiigHCzAPlHws+W0rB5N+er5/2pJKnfBSDiCiFAVtCLOZ7gLiMm0jhO2B6tUXHI/+MRPjy02i59lINMRRev56GKtcd9qO/0kUJWdZTdA2XoS82ixPvZtXQpUpuL12ab+9EaDK8Z4RHJYYfCT3Q5vNAXaiWQ+8PTWm2QgBR/bkwSWc+NpUFgNPN9PvQi8WEg5UmAGMCAwEAAaNjMGEwHQYDVR0OBBYEFDZh4QB8iAUJUYtEbEf/GkzJ6k8SMB8GA1UdIwQYMBaAFDZh4QB8iAUJUYtEbEf/GkzJ6k8SMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgIEMA0GCSqGSIb3DQEBCwUAA4ICAQBOMaBc8oumXb2voc7XCWnuXKhBBK3e2KMGz39t7lA3XXRe2ZLLAkLM5y3J7tURkf5a1SutfdOyXAmeE6SRo83Uh6WszodmMkxK5GM4JGrnt4pBisu5igXEydaW7qq2CdC6DOGjG+mEkN8/TA6p3cnoL/sPyz6evdjLlSeJ8rFBH6xWyIZCbrcpYEJzXaUOEaxxXxgYz5/cTiVKN2M1G2okQBUIYSY6bjEL4aUN5cfo7ogP3UvliEo3Eo0YgwuzR2v0KR6C1cZqZJSTnghIC/vAD32KdNQ+c3N+vl2OTsUVMC1GiWkngNx1OO1+kXW+YTnnTUOtOIswUP/Vqd5SYgAImMAfY8U9/iIgkQj6T2W6FsScy94IN9fFhE1UtzmLoBIuUFsVXJMTz+Jucth+IqoWFua9v1R93/k98p41pjtFX+H8DslVgfP097vju4KDlqN64xV1grw3ZLl4CiOe/A91oeLm2UHOq6wn3esB4r2EIQKb6jTVGu5sYCcdWpXr0AUVqcABPdgL+H7qJguBw09ojm6xNIrw2OocrDKsudk/okr/AwqEyPKw9WnMlQgLIKw1rODG2NvU9oR3GVGdMkUBZutL8VuFkERQGt6vQ2OCw0sV47VMkuYbacK/xyZFiRcrPJPb41zgbQj9XAEyLKCHex0SdDrx+tWUDqG8At2JHA==",
  },
  YUBICO_U2F_ROOT_CA_457200631: {
    source: "Yubico U2F Root CA Serial 457200631 as Yubico publishes it (developers.yubico.com/PKI/yubico-ca-certs.txt) and as the FIDO MDS lists it for YubiKeys",
    der: "MIIDHjCCAgagAwIBAgIEG0BT9zANBgkqhkiG9w0BAQsFADAuMSwwKgYDVQQDEyNZdWJpY28gVTJGIFJvb3QgQ0EgU2VyaWFsIDQ1NzIwMDYzMTAgFw0xNDA4MDEwMDAwMDBaGA8yMDUwMDkwNDAwMDAwMFowLjEsMCoGA1UEAxMjWXViaWNvIFUyRiBSb290IENBIFNlcmlhbCA0NTcyMDA2MzEwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQC/jwYuhBVlqaiYWEMsrWFisgJ+PtM91eSrpI4TK7U53mwCIawSDHy8vUmk5N2KAj9abvT9NP5SMS1hQi3usxoYGonXQgfO6ZXyUA9a+KAkqdFnBnlyugSeCOep8EdZFfsaRFtMjkwz5Gcz2Py4vIYvCdMHPtwaz0bVuzneueIEz6TnQjE63Rdt2zbwnebwTG5ZybeWSwbzy+BJ34ZHcUhPAY89yJQXuE0IzMZFcEBbPNRbWECRKgjq//qT9nmDOFVlSRCt2wiqPSzluwn+v+suQEBsUjTGMEd25tKXXTkNW21wIWbxeSyUoTXwLvGS6xlwQSgNpk2qXYwf8iXg7VWZAgMBAAGjQjBAMB0GA1UdDgQWBBQgIvz0bNGJhjgpToksyKpP9xv9oDAPBgNVHRMECDAGAQH/AgEAMA4GA1UdDwEB/wQEAwIBBjANBgkqhkiG9w0BAQsFAAOCAQEAjvjuOMDSa+JXFCLyBKsycXtBVZsJ4Ue3LbaEsPY4MYN/hIQ5ZM5p7EjfcnMG4CtYkNsfNHc0AhBLdq45rnT87q/6O3vUEtNMafbhU6kthX7Y+9XFN9NpmYxr+ekVY5xOxi8h9JDIgoMP4VB1uS0aunL1IGqrNooL9mmFnL2kLVVee6/VR6C5+KSTCMCWppMuJIZII2v9o4dkoZ8Y7QRjQlLfYzd3qGtKbw7xaF1UsG/5xUb/Btwb2X2g4InpiB/yt/3CpQXpiWX/K4mBvUKiGn05ZsqeY1gx4g0xLBqcU9psmyPzK+Vsgw2jeRQ5JlKDyqE0hebfC1tvFu0CCrJFcw==",
  },
};

export const ATTESTATION_VECTORS: readonly AttestationVector[] = [
  {
    name: "none-es256",
    format: "none",
    description: "none attestation, ES256 credential (Firefox on Android).",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifyRegistrationResponse.test.ts",
      test: "should verify None attestation",
    },
    expectedChallenge: "aEVjY1BXdXppUDAwSDBwNWd4aDJfdTVfUEM0TmVZZ2Q",
    expectedOrigin: "https://dev.dontneeda.pw",
    rpId: "dev.dontneeda.pw",
    verifyAt: "2025-01-01T00:00:00.000Z",
    expected: { outcome: "verified", type: "none" },
    trustAnchors: [],
    clientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiYUVWalkxQlhkWHBwVURBd1NEQndOV2Q0YURKZmRUVmZVRU0wVG1WWloyUSIsIm9yaWdpbiI6Imh0dHBzOlwvXC9kZXYuZG9udG5lZWRhLnB3IiwiYW5kcm9pZFBhY2thZ2VOYW1lIjoib3JnLm1vemlsbGEuZmlyZWZveCJ9",
    attestationObject:
      "o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVjFPdxHEOnAiLIp26idVjIguzn3Ipr_RlsKZWsa-5qK-KBFAAAAAAAAAAAAAAAAAAAAAAAAAAAAQQHSlyRHIdWleVqO24-6ix7JFWODqDWo_arvEz3Se5EgIFHkcVjZ4F5XDSBreIHsWRilRnKmaaqlqK3V2_4XtYs2pQECAyYgASFYID5PQTZQQg6haZFQWFzqfAOyQ_ENsMH8xxQ4GRiNPsqrIlggU8IVUOV8qpgk_Jh-OTaLuZL52KdX1fTht07X4DiQPow",
  },
  {
    name: "none-rs256",
    format: "none",
    description: "none attestation, RS256 credential (a Windows Hello style RSA key).",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifyRegistrationResponse.test.ts",
      test: "should verify None attestation w/RSA public key",
    },
    expectedChallenge: "pYZ3VX2yb8dS9yplNxJChiXhPGBk8gZzTAyJ2iU5x1k",
    expectedOrigin: "https://dev.dontneeda.pw",
    rpId: "dev.dontneeda.pw",
    verifyAt: "2025-01-01T00:00:00.000Z",
    expected: { outcome: "verified", type: "none" },
    trustAnchors: [],
    clientDataJSON: "eyJjaGFsbGVuZ2UiOiJwWVozVlgyeWI4ZFM5eXBsTnhKQ2hpWGhQR0JrOGdaelRBeUoyaVU1eDFrIiwiY2xpZW50RXh0ZW5zaW9ucyI6e30sImhhc2hBbGdvcml0aG0iOiJTSEEtMjU2Iiwib3JpZ2luIjoiaHR0cHM6Ly9kZXYuZG9udG5lZWRhLnB3IiwidHlwZSI6IndlYmF1dGhuLmNyZWF0ZSJ9",
    attestationObject:
      "o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVkBZz3cRxDpwIiyKduonVYyILs59yKa_0ZbCmVrGvuaivigRQAAAABgKLAXsdRMArSzr82vyWuyACCQZe_hElYt5dHDxh_dPbYrcar8YZ4O_04piYAcubRiWqQBAwM5AQAgWQEA8X6V649G2vwB99CSf_luwR0jj7oDg_GhA3TQSnNYIwfQJldxT5dmi9H8IjjCrTP28iNuKl29hc3Mowux1FZB0bc5AEJ2oV3JCOMGP9NZKGmOosF7iBN2GtGY7Nomcs-ruBv2mxp1nTm6mv5B8XNwh0e18uTA5AJCsl-k6lNLYB2XBIQ3fy2-TjSQ8IOMLypWQbWWBJXzLmepaJ6EWe6kf_NaxpA2chWsaekZcr8xG6OIo3iGh0Mpags_qBZtN4n2TDn0R2LheLk4yQ0R_oOAVtX963Yuw0x5NYSZyMNSMi_1RSEPTYn5AILmIzQskglDaWJYtnjKz4QLuXWCRRYyDSFDAQAB",
  },
  {
    name: "packed-self-es256",
    format: "packed",
    description: "packed self attestation (no x5c), ES256, signed with the credential key.",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifyRegistrationResponse.test.ts",
      test: "should verify Packed (EC2) attestation",
    },
    expectedChallenge: "czZQSWJCblBQbnJHTlNCeE5kdERyVDdVclZZSks5SE0",
    expectedOrigin: "https://dev.dontneeda.pw",
    rpId: "dev.dontneeda.pw",
    verifyAt: "2025-01-01T00:00:00.000Z",
    expected: { outcome: "verified", type: "self" },
    trustAnchors: [],
    clientDataJSON: "eyJjaGFsbGVuZ2UiOiJjelpRU1dKQ2JsQlFibkpIVGxOQ2VFNWtkRVJ5VkRkVmNsWlpTa3M1U0UwIiwib3JpZ2luIjoiaHR0cHM6Ly9kZXYuZG9udG5lZWRhLnB3IiwidHlwZSI6IndlYmF1dGhuLmNyZWF0ZSJ9",
    attestationObject:
      "o2NmbXRmcGFja2VkZ2F0dFN0bXSiY2FsZyZjc2lnWEcwRQIhANvrPZMUFrl_rvlgRqz6lCPlF6B4y885FYUCCrhrzAYXAiAb4dQKXbP3IimsTTadkwXQlrRVdxzlbmPXt847-Oh6r2hhdXRoRGF0YVjhPdxHEOnAiLIp26idVjIguzn3Ipr_RlsKZWsa-5qK-KBFXsOO-a3OAAI1vMYKZIsLJfHwVQMAXQGE4WNXLCDWOCa2x8hpqk5dZy_xdc4wBd4UgCJ4M_JAHI7oJgDDVb8WUcKqRB_mzRxwCL9vdTl-ZKPXg3_-Zrt1Adgb7EnK9ivqaTOKMDqRrKsIObWYJaqpsSJtUKUBAgMmIAEhWCBKMVVaivqCBpqqAxMjuCo5jMeUdh3jDOC0EF4fLBNNTyJYILc7rqDDeX1pwCLrl3ZX7IThrtZNwKQVLQyfHiorqP-n",
  },
  {
    name: "packed-self-ps256",
    format: "packed",
    description: "packed self attestation with an RSA-PSS SHA-256 credential key (alg -37).",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifyRegistrationResponse.test.ts",
      test: "should verify Packed attestation with RSA-PSS SHA-256 public key",
    },
    expectedChallenge: "40v_izMpzX-LONIGzGq0YbxDwMKMfd_XxQzpe6Wv64Y",
    expectedOrigin: "http://localhost:8000",
    rpId: "localhost",
    verifyAt: "2025-01-01T00:00:00.000Z",
    expected: { outcome: "verified", type: "self" },
    trustAnchors: [],
    clientDataJSON: "eyJvcmlnaW4iOiJodHRwOi8vbG9jYWxob3N0OjgwMDAiLCJjaGFsbGVuZ2UiOiI0MHZfaXpNcHpYLUxPTklHekdxMFlieER3TUtNZmRfWHhRenBlNld2NjRZIiwidHlwZSI6IndlYmF1dGhuLmNyZWF0ZSJ9",
    attestationObject:
      "o2NmbXRmcGFja2VkZ2F0dFN0bXSiY2FsZzgkY3NpZ1kBAEaJQ9f_DWVWGJMJrHymDCRP7v2cOzeEA8Z1IUsd4GTq65qqg2khO05tKe6QK_NvpWbiLCRJ2E9QiMUu3xGTl7RIrIRp4T2WCjk5tLbLNwsHuFAPyjcuvIlcX2ZsKNL27tTroIz_zbzDk07vf0jhghoS3ec-qKrSZQ-B0ULgyDJf0omzgDRlH6uon7mErtunes9hVDUTn9pG9UJSL-jDptoJyu87NnBFGnlpu-Iur1lMKIEW27m5E7wYxF7IqIF2lylZGqXxh7ji93Bs7Hhik6y1T9KiGmn58rrYMxmBXzprxNQMF7rJxXbSZ9ZfjaZYamMDaoKDyKEhfAiOHXCm8AVoYXV0aERhdGFZAWZJlg3liA6MaHQ0Fw9kdmBbj-SuuaKGMseZXPO6gx2XY0EAAAB1qWxJcH1fTWqB93Yyt64CQAAgn_dmFmW9UL7678vS4A3XSQLXvxWjefEkYVzEB5cNc_SkAQMDOCQgWQEArEwu_kUDitzDgKOTthwbNnBGfGeUEwv8ksLGvqyRbTNClHnrR9fpaffqQeNor3ndNSReFnZ_3i468d677NMJC4-qoLKu7JP2FIDpt2reDCxg7-XvsaCcDIOucvKR-KIKg9CGiNpkHMhq2auXc4aqYrRjRyuoNYkzpWGENn34govaQQqC5Gdc0yHSeFJLrc9rbQoxMiZY1Ujpe3p9me0VXL4QdNmH_NlnzRclt38Rl8HqQOhrLo6rJOuRc_Ws-BjT0xh8HL8STgTxwb9aKquFkPxylztEy4TAgmOsFv-ukfGwbGO4fszqQKtpsf5-ulO8mfszgY1VrCLmuDzBzdGsdSFDAQAB",
  },
  {
    name: "packed-x5c-yubico",
    format: "packed",
    description: "packed full attestation from a YubiKey: x5c is one leaf \"Yubico U2F EE Serial 719807075\" issued by the Yubico U2F Root CA; the leaf has the AAGUID extension (1.3.6.1.4.1.45724.1.1.4, not critical) matching authData.",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifyRegistrationResponse.test.ts",
      test: "should verify Packed (X5C) attestation",
    },
    expectedChallenge: "dG90YWxseVVuaXF1ZVZhbHVlRXZlcnlUaW1l",
    expectedOrigin: "https://dev.dontneeda.pw",
    rpId: "dev.dontneeda.pw",
    verifyAt: "2025-01-01T00:00:00.000Z",
    certificatesValid: "2014-08-01T00:00:00.000Z .. 2050-09-04T00:00:00.000Z",
    expected: { outcome: "verified", type: "basic" },
    trustAnchors: ["YUBICO_U2F_ROOT_CA_457200631"],
    clientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiZEc5MFlXeHNlVlZ1YVhGMVpWWmhiSFZsUlhabGNubFVhVzFsIiwib3JpZ2luIjoiaHR0cHM6Ly9kZXYuZG9udG5lZWRhLnB3In0",
    attestationObject:
      "o2NmbXRmcGFja2VkZ2F0dFN0bXSjY2FsZyZjc2lnWEcwRQIhAIMt_hGMtdgpIVIwMOeKKw0IkUUFkXSY8arKh3Q0c5QQAiB9Sv9JavAEmppeH_XkZjB7TFM3jfxsgl97iIkvuJOUImN4NWOBWQLBMIICvTCCAaWgAwIBAgIEKudiYzANBgkqhkiG9w0BAQsFADAuMSwwKgYDVQQDEyNZdWJpY28gVTJGIFJvb3QgQ0EgU2VyaWFsIDQ1NzIwMDYzMTAgFw0xNDA4MDEwMDAwMDBaGA8yMDUwMDkwNDAwMDAwMFowbjELMAkGA1UEBhMCU0UxEjAQBgNVBAoMCVl1YmljbyBBQjEiMCAGA1UECwwZQXV0aGVudGljYXRvciBBdHRlc3RhdGlvbjEnMCUGA1UEAwweWXViaWNvIFUyRiBFRSBTZXJpYWwgNzE5ODA3MDc1MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKgOGXmBD2Z4R_xCqJVRXhL8Jr45rHjsyFykhb1USGozZENOZ3cdovf5Ke8fj2rxi5tJGn_VnW4_6iQzKdIaeP6NsMGowIgYJKwYBBAGCxAoCBBUxLjMuNi4xLjQuMS40MTQ4Mi4xLjEwEwYLKwYBBAGC5RwCAQEEBAMCBDAwIQYLKwYBBAGC5RwBAQQEEgQQbUS6m_bsLkm5MAyP6SDLczAMBgNVHRMBAf8EAjAAMA0GCSqGSIb3DQEBCwUAA4IBAQByV9A83MPhFWmEkNb4DvlbUwcjc9nmRzJjKxHc3HeK7GvVkm0H4XucVDB4jeMvTke0WHb_jFUiApvpOHh5VyMx5ydwFoKKcRs5x0_WwSWL0eTZ5WbVcHkDR9pSNcA_D_5AsUKOBcbpF5nkdVRxaQHuuIuwV4k1iK2IqtMNcU8vL6w21U261xCcWwJ6sMq4zzVO8QCKCQhsoIaWrwz828GDmPzfAjFsJiLJXuYivdHACkeJ5KHMt0mjVLpfJ2BCML7_rgbmvwL7wBW80VHfNdcKmKjkLcpEiPzwcQQhiN_qHV90t-p4iyr5xRSpurlP5zic2hlRkLKxMH2_kRjhqSn4aGF1dGhEYXRhWMQ93EcQ6cCIsinbqJ1WMiC7Ofcimv9GWwplaxr7mor4oEEAAAAcbUS6m_bsLkm5MAyP6SDLcwBA4rrvMciHCkdLQ2HghazIp1sMc8TmV8W8RgoX-x8tqV_1AmlqWACqUK8mBGLandr-htduQKPzgb2yWxOFV56TlqUBAgMmIAEhWCBsJbGAjckW-AA_XMk8OnB-VUvrs35ZpjtVJXRhnvXiGiJYIL2ncyg_KesCi44GH8UcZXYwjBkVdGMjNd6LFmyiD6xf",
  },
  {
    name: "packed-x5c-chrome-virtual",
    format: "packed",
    description: "packed full attestation from Chrome 89's virtual authenticator; its leaf encodes basicConstraints as 30 03 01 01 00 (cA FALSE spelled out, which DER forbids). SimpleWebAuthn accepts it; a strict DER reader may refuse it: decide and say so in the test.",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/verifyAttestationPacked.test.ts",
      test: "should verify (broken) Packed response from Chrome virtual authenticator",
    },
    expectedChallenge: "9GIs0QQBna16ycw4stSnAqh2Ab6AiH7SS0_Xm4yJ1zk",
    expectedOrigin: "https://dev.dontneeda.pw",
    rpId: "dev.dontneeda.pw",
    verifyAt: "2025-01-01T00:00:00.000Z",
    certificatesValid: "2017-07-14T02:40:00.000Z .. 2041-03-26T03:42:34.000Z",
    expected: { outcome: "verified", type: "basic" },
    trustAnchors: [],
    clientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiOUdJczBRUUJuYTE2eWN3NHN0U25BcWgyQWI2QWlIN1NTMF9YbTR5SjF6ayIsIm9yaWdpbiI6Imh0dHBzOi8vZGV2LmRvbnRuZWVkYS5wdyIsImNyb3NzT3JpZ2luIjpmYWxzZX0",
    attestationObject:
      "o2NmbXRmcGFja2VkZ2F0dFN0bXSjY2FsZyZjc2lnWEcwRQIhANUrPJzUYX7JGbo4yN_qsQ_2c7xw6br2U1y_OxNcFd1cAiAo6f7LtQ67viVKxs7TLo9nj6nxgxqwEaOpzQhGtdXbqGN4NWOBWQHgMIIB3DCCAYCgAwIBAgIBATANBgkqhkiG9w0BAQsFADBgMQswCQYDVQQGEwJVUzERMA8GA1UECgwIQ2hyb21pdW0xIjAgBgNVBAsMGUF1dGhlbnRpY2F0b3IgQXR0ZXN0YXRpb24xGjAYBgNVBAMMEUJhdGNoIENlcnRpZmljYXRlMB4XDTE3MDcxNDAyNDAwMFoXDTQxMDMyNjAzNDIzNFowYDELMAkGA1UEBhMCVVMxETAPBgNVBAoMCENocm9taXVtMSIwIAYDVQQLDBlBdXRoZW50aWNhdG9yIEF0dGVzdGF0aW9uMRowGAYDVQQDDBFCYXRjaCBDZXJ0aWZpY2F0ZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABI1hfmXJUI5kvMVnOsgqZ5naPBRGaCwljEY__99Y39L6Pmw3i1PXlcSk3_tBme3Xhi8jq68CA7S4kRugVpmU4QGjKDAmMBMGCysGAQQBguUcAgEBBAQDAgUgMA8GA1UdEwEB_wQFMAMBAQAwDQYJKoZIhvcNAQELBQADRwAwRAIgK8W82BY7-iHUcd5mSfWX4R-uGdOk49XKTkV3L6ilUPQCIEs68ZEr_yAjG39UwNexAVLBfbxkDdkLZlMtBvUsV27PaGF1dGhEYXRhWKQ93EcQ6cCIsinbqJ1WMiC7Ofcimv9GWwplaxr7mor4oEUAAAABAQIDBAUGBwgBAgMEBQYHCAAg5Hwc78jGjXrzOS8Mke9KhFZEtX54iYD-UEBKgvMXM66lAQIDJiABIVgghBdEOBTvUm-jPaYY0wvvO_HzCupmyS7YQzagxtn1T5IiWCDwJ5XQ_SzKoiV64TXfdsTrnxFoNljUCzJOJhwrDyhkRA",
  },
  {
    name: "packed-x5c-aaguid-match",
    format: "packed",
    description: "packed full attestation, IBM FIDOTEST \"PACKED-SIGNER\" leaf whose AAGUID extension matches authData (webauthn.io).",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/verifyAttestationPacked.test.ts",
      test: "should succeed if id-fido-gen-ce-aaguid extension is present and matches AAGUID in auth data",
    },
    expectedChallenge: "jk3r1_5ALdy7d8F8PDwANzKz-nD7n9l5p7ggfK5aa3IvCiZGmkvKoYGu-frxldYaFP4-TnLQ4dhAjkzWrdNbyQ",
    expectedOrigin: "https://webauthn.io",
    rpId: "webauthn.io",
    verifyAt: "2025-01-01T00:00:00.000Z",
    certificatesValid: "2024-09-12T16:17:14.000Z .. 2052-01-28T17:17:14.000Z",
    expected: { outcome: "verified", type: "basic" },
    trustAnchors: [],
    clientDataJSON: "eyJvcmlnaW4iOiJodHRwczovL3dlYmF1dGhuLmlvIiwiY2hhbGxlbmdlIjoiamszcjFfNUFMZHk3ZDhGOFBEd0FOekt6LW5EN245bDVwN2dnZks1YWEzSXZDaVpHbWt2S29ZR3UtZnJ4bGRZYUZQNC1UbkxRNGRoQWpreldyZE5ieVEiLCJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0",
    attestationObject:
      "o2NmbXRmcGFja2VkZ2F0dFN0bXSjY2FsZyZjeDVjgVkB_zCCAfswggGgoAMCAQICEFw-WA37iCeJVBiKwlH-bfwwCgYIKoZIzj0EAwIwLjELMAkGA1UEBhMCVVMxDDAKBgNVBAoMA0lCTTERMA8GA1UEAwwIRklET1RFU1QwIhgPMjAyNDA5MTIxNjE3MTRaGA8yMDUyMDEyODE3MTcxNFowVzELMAkGA1UEBhMCVVMxDDAKBgNVBAoMA0lCTTEiMCAGA1UECwwZQXV0aGVudGljYXRvciBBdHRlc3RhdGlvbjEWMBQGA1UEAwwNUEFDS0VELVNJR05FUjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABL83SCKq9bAqrbi1sTTV9HxlseMD2MbHYXHGROZGx0CFpHPayDeYqo6dWo4_6-z8_RUHwMvbNIUaxgAC5e3PacejczBxMB0GA1UdDgQWBBRNL7NrNzBPnl6RAyWY9tCL8xBtzDAfBgNVHSMEGDAWgBQX_QoP8NpeXBvZlnioDn4WYG-t8zAMBgNVHRMBAf8EAjAAMCEGCysGAQQBguUcAQEEBBIEEP_Z9JTrc0hEvWhmk4FVf_cwCgYIKoZIzj0EAwIDSQAwRgIhAMN6MkZp5DvxlqtRTIVsok0zxbsW76roUUprQ0lEATbxAiEAmrp7VhF_0RP-CJI9cCwKGKs9jhEVVZmZ5dWpOp6hNnhjc2lnWEcwRQIhAJSxn_AUAyoBZQhlN_PW-R5FsnDJCwZ__vFIZqdI5p6JAiBenN17iGqijwNh_wB-Ka_yUqPMLlIrE4DFW4E6JFXSQGhhdXRoRGF0YVjkdKbqkhPJnC90siSSsyDPQCYqlMGpUKA5fyklC2CEHvBFAAAAAP_Z9JTrc0hEvWhmk4FVf_cAYFNhbHRlZF9f72RygQVDiaRfwdxLjHJRMl_rqssM-0IB5jqGlpKGqpuxkSLnNBxgaLjszm9a6L-jZ6XT-fzVw_JP-h4hDgjaQeUTMPWcFxrRD6PbFc_X9jPJleHSWQGup6UBAgMmIAEhWCAaFLI3Hlb0boERsvlz69qracfxATqaHb6YTkBaVRofXSJYIJe4sLH76hnJInTxVcz5ZA6tfnvBqFWxPTp10H9KkG0_",
  },
  {
    name: "packed-x5c-aaguid-mismatch",
    format: "packed",
    description: "packed full attestation whose leaf AAGUID extension (1.3.6.1.4.1.45724.1.1.4) does NOT match the AAGUID in authData: §8.2.1 says refuse.",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/verifyAttestationPacked.test.ts",
      test: "should fail if id-fido-gen-ce-aaguid extension is present and does not match AAGUID in auth data",
    },
    expectedChallenge: "pxODVWO81QEoin4v11-mYGNicb2Xo55AAlRH4Xqk23QntJE9e9aBDtaT9C5zQi5Q7reCU37n0d4kny56RsFmbw",
    expectedOrigin: "https://webauthn.io",
    rpId: "webauthn.io",
    verifyAt: "2025-01-01T00:00:00.000Z",
    certificatesValid: "2024-09-12T16:17:14.000Z .. 2052-01-28T17:17:14.000Z",
    expected: { outcome: "refused", reason: "aaguid_mismatch" },
    trustAnchors: [],
    clientDataJSON: "eyJvcmlnaW4iOiJodHRwczovL3dlYmF1dGhuLmlvIiwiY2hhbGxlbmdlIjoicHhPRFZXTzgxUUVvaW40djExLW1ZR05pY2IyWG81NUFBbFJINFhxazIzUW50SkU5ZTlhQkR0YVQ5QzV6UWk1UTdyZUNVMzduMGQ0a255NTZSc0ZtYnciLCJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0",
    attestationObject:
      "o2NmbXRmcGFja2VkZ2F0dFN0bXSjY2FsZyZjeDVjgVkB_zCCAfswggGgoAMCAQICEFw-WA37iCeJVBiKwlH-bfwwCgYIKoZIzj0EAwIwLjELMAkGA1UEBhMCVVMxDDAKBgNVBAoMA0lCTTERMA8GA1UEAwwIRklET1RFU1QwIhgPMjAyNDA5MTIxNjE3MTRaGA8yMDUyMDEyODE3MTcxNFowVzELMAkGA1UEBhMCVVMxDDAKBgNVBAoMA0lCTTEiMCAGA1UECwwZQXV0aGVudGljYXRvciBBdHRlc3RhdGlvbjEWMBQGA1UEAwwNUEFDS0VELVNJR05FUjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABL83SCKq9bAqrbi1sTTV9HxlseMD2MbHYXHGROZGx0CFpHPayDeYqo6dWo4_6-z8_RUHwMvbNIUaxgAC5e3PacejczBxMB0GA1UdDgQWBBRNL7NrNzBPnl6RAyWY9tCL8xBtzDAfBgNVHSMEGDAWgBQX_QoP8NpeXBvZlnioDn4WYG-t8zAMBgNVHRMBAf8EAjAAMCEGCysGAQQBguUcAQEEBBIEEP_Z9JTrc0hEvWhmk4FVf_cwCgYIKoZIzj0EAwIDSQAwRgIhAMN6MkZp5DvxlqtRTIVsok0zxbsW76roUUprQ0lEATbxAiEAmrp7VhF_0RP-CJI9cCwKGKs9jhEVVZmZ5dWpOp6hNnhjc2lnWEYwRAIgCBrwbKfvHiiWHQ2ATt9fJcGVJZGynmm5f77cFRwiU_8CIGg8NgtGtPrx6giI3UMsWByNtAM1UN9vx1EKu90AEc5eaGF1dGhEYXRhWOR0puqSE8mcL3SyJJKzIM9AJiqUwalQoDl_KSULYIQe8EUAAAAAM3vvU7aPQEWMt8r6dI_8DgBgU2FsdGVkX1_TltrAMvHmwb2E0eCxQwxNxipf9knba5awjus9BXmWXMKFPsDdHF0oILE1KYanoajKcWXD9KVw4dwX-aEyr2CpA-7kKAUchMmuLWSXAxspPHRy58a91BDPpQECAyYgASFYIFVEnAtmwsWP0FKQxGwJa2yGzmA8koGNYoJclMQzlsDJIlggwZRIX1gdfh2q_GBdHZgAy5vO7hsL338yuxPevvZgSp8",
  },
  {
    name: "fido-u2f-yubico",
    format: "fido-u2f",
    description: "fido-u2f from a YubiKey (P-256 leaf \"Yubico U2F EE Serial 719807075\").",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifyRegistrationResponse.test.ts",
      test: "should verify FIDO U2F attestation",
    },
    expectedChallenge: "dG90YWxseVVuaXF1ZVZhbHVlRXZlcnlBdHRlc3RhdGlvbg",
    expectedOrigin: "https://dev.dontneeda.pw",
    rpId: "dev.dontneeda.pw",
    verifyAt: "2025-01-01T00:00:00.000Z",
    certificatesValid: "2014-08-01T00:00:00.000Z .. 2050-09-04T00:00:00.000Z",
    expected: { outcome: "verified", type: "basic" },
    trustAnchors: ["YUBICO_U2F_ROOT_CA_457200631"],
    clientDataJSON: "eyJjaGFsbGVuZ2UiOiJkRzkwWVd4c2VWVnVhWEYxWlZaaGJIVmxSWFpsY25sQmRIUmxjM1JoZEdsdmJnIiwiY2xpZW50RXh0ZW5zaW9ucyI6e30sImhhc2hBbGdvcml0aG0iOiJTSEEtMjU2Iiwib3JpZ2luIjoiaHR0cHM6Ly9kZXYuZG9udG5lZWRhLnB3IiwidHlwZSI6IndlYmF1dGhuLmNyZWF0ZSJ9",
    attestationObject:
      "o2NmbXRoZmlkby11MmZnYXR0U3RtdKJjc2lnWEcwRQIgRYUftNUmhT0VWTZmIgDmrOoP26Pcre-kL3DLnCrXbegCIQCOu_x5gqp-Rej76zeBuXlk8e7J-9WM_i-wZmCIbIgCGmN4NWOBWQLBMIICvTCCAaWgAwIBAgIEKudiYzANBgkqhkiG9w0BAQsFADAuMSwwKgYDVQQDEyNZdWJpY28gVTJGIFJvb3QgQ0EgU2VyaWFsIDQ1NzIwMDYzMTAgFw0xNDA4MDEwMDAwMDBaGA8yMDUwMDkwNDAwMDAwMFowbjELMAkGA1UEBhMCU0UxEjAQBgNVBAoMCVl1YmljbyBBQjEiMCAGA1UECwwZQXV0aGVudGljYXRvciBBdHRlc3RhdGlvbjEnMCUGA1UEAwweWXViaWNvIFUyRiBFRSBTZXJpYWwgNzE5ODA3MDc1MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKgOGXmBD2Z4R_xCqJVRXhL8Jr45rHjsyFykhb1USGozZENOZ3cdovf5Ke8fj2rxi5tJGn_VnW4_6iQzKdIaeP6NsMGowIgYJKwYBBAGCxAoCBBUxLjMuNi4xLjQuMS40MTQ4Mi4xLjEwEwYLKwYBBAGC5RwCAQEEBAMCBDAwIQYLKwYBBAGC5RwBAQQEEgQQbUS6m_bsLkm5MAyP6SDLczAMBgNVHRMBAf8EAjAAMA0GCSqGSIb3DQEBCwUAA4IBAQByV9A83MPhFWmEkNb4DvlbUwcjc9nmRzJjKxHc3HeK7GvVkm0H4XucVDB4jeMvTke0WHb_jFUiApvpOHh5VyMx5ydwFoKKcRs5x0_WwSWL0eTZ5WbVcHkDR9pSNcA_D_5AsUKOBcbpF5nkdVRxaQHuuIuwV4k1iK2IqtMNcU8vL6w21U261xCcWwJ6sMq4zzVO8QCKCQhsoIaWrwz828GDmPzfAjFsJiLJXuYivdHACkeJ5KHMt0mjVLpfJ2BCML7_rgbmvwL7wBW80VHfNdcKmKjkLcpEiPzwcQQhiN_qHV90t-p4iyr5xRSpurlP5zic2hlRkLKxMH2_kRjhqSn4aGF1dGhEYXRhWMQ93EcQ6cCIsinbqJ1WMiC7Ofcimv9GWwplaxr7mor4oEEAAAAAAAAAAAAAAAAAAAAAAAAAAABAVHzbxaYaJu2P8m1Y2iHn2gRNHrgK0iYbn9E978L3Qi7Q-chFeicIHwYCRophz5lth2nCgEVKcgWirxlgidgbUaUBAgMmIAEhWCDIkcsOaVKDIQYwq3EDQ-pST2kRwNH_l1nCgW-WcFpNXiJYIBSbummp-KO3qZeqmvZ_U_uirCDL2RNj3E5y4_KzefIr",
  },
  {
    name: "fido-u2f-conformance",
    format: "fido-u2f",
    description: "fido-u2f from FIDO conformance tooling (\"FIDO2 BATCH KEY prime256v1\"); its leaf is signed with SHA-1 (ecdsa-with-SHA1).",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifyRegistrationResponse.test.ts",
      test: "should verify FIDO U2F attestation that specifies SHA-1 in its leaf cert public key",
    },
    expectedChallenge: "wJ6mrZnkb69GD5d9_fUz9-NgRHE0z10quXUBSa9xK5o",
    expectedOrigin: "http://localhost:8000",
    rpId: "localhost",
    verifyAt: "2025-01-01T00:00:00.000Z",
    certificatesValid: "2018-03-16T14:35:27.000Z .. 2028-03-13T14:35:27.000Z",
    expected: { outcome: "verified", type: "basic" },
    trustAnchors: [],
    clientDataJSON: "eyJvcmlnaW4iOiJodHRwOi8vbG9jYWxob3N0OjgwMDAiLCJjaGFsbGVuZ2UiOiJ3SjZtclpua2I2OUdENWQ5X2ZVejktTmdSSEUwejEwcXVYVUJTYTl4SzVvIiwidHlwZSI6IndlYmF1dGhuLmNyZWF0ZSJ9",
    attestationObject:
      "o2NmbXRoZmlkby11MmZnYXR0U3RtdKJjc2lnWEgwRgIhAN2iKnT1qcZPVab9eiXw6kmMqAsCjR8FMdx8DWCfc6h1AiEA8Hp4Fv2eWsokC8g3sL3tEgNEpsopz-G7l30-czGkuvBjeDVjgVkELzCCBCswggIToAMCAQICAQEwDQYJKoZIhvcNAQEFBQAwgaExGDAWBgNVBAMMD0ZJRE8yIFRFU1QgUk9PVDExMC8GCSqGSIb3DQEJARYiY29uZm9ybWFuY2UtdG9vbHNAZmlkb2FsbGlhbmNlLm9yZzEWMBQGA1UECgwNRklETyBBbGxpYW5jZTEMMAoGA1UECwwDQ1dHMQswCQYDVQQGEwJVUzELMAkGA1UECAwCTVkxEjAQBgNVBAcMCVdha2VmaWVsZDAeFw0xODAzMTYxNDM1MjdaFw0yODAzMTMxNDM1MjdaMIGsMSMwIQYDVQQDDBpGSURPMiBCQVRDSCBLRVkgcHJpbWUyNTZ2MTExMC8GCSqGSIb3DQEJARYiY29uZm9ybWFuY2UtdG9vbHNAZmlkb2FsbGlhbmNlLm9yZzEWMBQGA1UECgwNRklETyBBbGxpYW5jZTEMMAoGA1UECwwDQ1dHMQswCQYDVQQGEwJVUzELMAkGA1UECAwCTVkxEjAQBgNVBAcMCVdha2VmaWVsZDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABE86Xl6rbB-8rpf232RJlnYse-9yAEAqdsbyMPZVbxeqmZtZf8S_UIqvjp7wzQE_Wrm9J5FL8IBDeMvMsRuJtUajLDAqMAkGA1UdEwQCMAAwHQYDVR0OBBYEFFZN98D4xlW2oR9sTRnzv0Hi_QF5MA0GCSqGSIb3DQEBBQUAA4ICAQCPv4yN9RQfvCdl8cwVzLiOGIPrwLatOwARyap0KVJrfJaTs5rydAjinMLav-26bIElQSdus4Z8lnJtavFdGW8VLzdpB_De57XiBp_giTiZBwyCPiG4h-Pk1EAiY7ggednblFi9HxlcNkddyelfiu1Oa9Dlgc5rZsMIkVU4IFW4w6W8dqKhgMM7qRt0ZgRQ19TPdrN7YMsJy6_nujWWpecmXUvFW5SRo7MA2W3WPkKG6Ngwjer8b5-U1ZLpAB4gK46QQaQJrkHymudr6kgmEaUwpue30FGdXNZ9vTrLw8NcfXJMh_I__V4JNABvjJUPUXYN4Qm-y5Ej7wv82A3ktgo_8hcOjlmoZ5yEcDureFLS7kQJC64z9U-55NM7tcIcI-2BMLb2uOZ4lloeq3coP0mZX7KYd6PzGTeQ8Cmkq1GhDum_p7phCx-Rlo44j4H4DypCKH_g-NMWilBQaTSc6K0JAGQiVrh710aQWVhVYf1ITZRoV9Joc9shZQa7o2GvQYLyJHSfCnqJOqnwJ_q-RBBV3EiPLxmOzhBdNUCl1abvPhVtLksbUPfdQHBQ-io70edZe3utb4rFIHboWUSKvW2M3giMZyuSYZt6PzSRNmzqdjZlcFXuJI7iV_O8KNwWuNW14MCKXYi1sliYUhz5iSP9Ym0U2eVzvdsWzz0p55F6xWhhdXRoRGF0YVikSZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2NBAAAAAgAAAAAAAAAAAAAAAAAAAAAAIO8EHFFjvYBupotiJLaGVKILPKKZ4IWNNQz2MGnqzGZrpQECAyYgASFYIMmWvjddCcHDGxX5F8qRMl1FccFW5R8VQuZOTey6LqA8IlggZLJ8OVPsX-NPDEUjyjzkV1YLW8Nglp1Ea4qgb2n-O88",
  },
  {
    name: "tpm-rsa-rs256-conformance",
    format: "tpm",
    description: "tpm (FIDO conformance, RSA key, RS256): AIK with empty subject and TPM SAN, chain AIK <- NCU-NTC-KEYID intermediate (root \"FIDO Fake TPM Root Certificate Authority 2018\" not included).",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/tpm/verifyAttestationTPM.test.ts",
      test: "should verify TPM response",
    },
    expectedChallenge: "a4de0d36-057d-4e9d-831a-2c578fa89170",
    expectedOrigin: "https://dev.dontneeda.pw",
    rpId: "dev.dontneeda.pw",
    verifyAt: "2025-01-30T23:59:59.000Z",
    certificatesValid: "2018-02-01T00:00:00.000Z .. 2025-01-31T23:59:59.000Z",
    expected: { outcome: "verified", type: "attca" },
    trustAnchors: [],
    clientDataJSON: "eyJvcmlnaW4iOiJodHRwczovL2Rldi5kb250bmVlZGEucHciLCJjaGFsbGVuZ2UiOiJhNGRlMGQzNi0wNTdkLTRlOWQtODMxYS0yYzU3OGZhODkxNzAiLCJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0",
    attestationObject:
      "o2NmbXRjdHBtZ2F0dFN0bXSmY2FsZzkBAGNzaWdZAQBQOHlE5VBKg1MLNOxzRaWeOjV3Yq3BdrsAH_AczyCt_-ViFhu3pHPAz96LOJSdPbx1hBXXV8luSYtoadCiu145LQ-sD_3-Cv_lnOSiVnUC1tjUx2gdAWYWbWIexQ1jQpEc0OHi7J50zrggPM8-CCknw1t2suCU5MCD-u5rG9FA8COwDDqzthYxxFHjW6FLaC_bmEKMdFWFasVP3HaS0Zm7FOXni7eVAhpAHCbF5O9-gTBS6rkKkdU9WStjU73MjbGYXQkfH0oIIbef9lk3gcoeiOCtxjbzuoJxRz88fohLRJqhMc3_bc0S8UlV2elDGCT1o53KhmM6jEpXtS5emxH_Y3ZlcmMyLjBjeDVjglkEhzCCBIMwggNroAMCAQICDwStgIiExXme4brfBK3tSDANBgkqhkiG9w0BAQsFADBBMT8wPQYDVQQDEzZOQ1UtTlRDLUtFWUlELUZGOTkwMzM4RTE4NzA3OUE2Q0Q2QTAzQURDNTcyMzc0NDVGNkE0OUEwHhcNMTgwMjAxMDAwMDAwWhcNMjUwMTMxMjM1OTU5WjAAMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwOoUlH3ttEQJ3vc3eLuB3q9pJWyFjYDPIkltrrvCCtrxkqGBUGN5NWbUxPmOlD6FN-yrZn72qvr3SAaYYmpr3zwTc8IQLk_gr5mGjSjx-tPLBvzG2ugtfo-MAtQos4-igb9YhPLEVnjNkXORdk2rKmzNkuIsHt0d13ErUjMbd0P-TSXyrK2Mqh83n0GO1JSSwYd_7Kv1UAKTc8hDHiF6G2NWv6j3dv3y81RTzMblZof_3cDS_ckM4XMhnVbtr1ZijQfFCE7MkC7Iaox2HlnR4EuPFZtmkDVA3BZBV4jJQkw3V2qWAiy8n5Gakfqu1nJ9ASdY-QjtcdxAxS5HD9YlCQIDAQABo4IBtzCCAbMwDgYDVR0PAQH_BAQDAgeAMAwGA1UdEwEB_wQCMAAwewYDVR0gAQH_BHEwbzBtBgkrBgEEAYI3FR8wYDBeBggrBgEFBQcCAjBSHlAARgBBAEsARQAgAEYASQBEAE8AIABUAEMAUABBACAAVAByAHUAcwB0AGUAZAAgAFAAbABhAHQAZgBvAHIAbQAgAEkAZABlAG4AdABpAHQAeTAQBgNVHSUECTAHBgVngQUIAzBKBgNVHREBAf8EQDA-pDwwOjE4MA4GBWeBBQIDDAVpZDoxMzAQBgVngQUCAgwHTlBDVDZ4eDAUBgVngQUCAQwLaWQ6RkZGRkYxRDAwHwYDVR0jBBgwFoAUdOhwbuNi8U8_KoCvb3uGHTvHco0wHQYDVR0OBBYEFM8mwuxelMX4CRoIgZUqNrfpeywzMHgGCCsGAQUFBwEBBGwwajBoBggrBgEFBQcwAoZcaHR0cHM6Ly9maWRvYWxsaWFuY2UuY28ubnovdHBtcGtpL05DVS1OVEMtS0VZSUQtRkY5OTAzMzhFMTg3MDc5QTZDRDZBMDNBREM1NzIzNzQ0NUY2QTQ5QS5jcnQwDQYJKoZIhvcNAQELBQADggEBAAu0b-1iYy5HRou5bvrLdAHw0T9zu_E1KLlK9p6Y0UJdkeN_ogpk4xxW_6P_-zTkr-HV7NItUg2un6sHREwSbSsZkrCL-29EU_ttKExQgEUVdMtlfmUY04fY9_yoEd22i3JBfcSfzKIIWo-ktoJa1Cdd8fLINilufLOKiAI7Rq1tAhiXAa2LDXOQhJ4pTStxoq_cVojDCXRs_ydBhsIUVk20m0WAZExpwrNnsBSsK2XgxBo-sFsCYtHMbuL4FyUujGqt5K3ARL_eCFfkqeD-6z5YteOF0kRVj5ICzZzhmv75UZCdpgAhsjzoIvIX6LM4gP9dPnuhgQbGc_e33MU97w1ZBgUwggYBMIID6aADAgECAg8EV2dM14jMuwRaKXATKH8wDQYJKoZIhvcNAQELBQAwgb8xCzAJBgNVBAYTAlVTMQswCQYDVQQIDAJNWTESMBAGA1UEBwwJV2FrZWZpZWxkMRYwFAYDVQQKDA1GSURPIEFsbGlhbmNlMQwwCgYDVQQLDANDV0cxNjA0BgNVBAMMLUZJRE8gRmFrZSBUUE0gUm9vdCBDZXJ0aWZpY2F0ZSBBdXRob3JpdHkgMjAxODExMC8GCSqGSIb3DQEJARYiY29uZm9ybWFuY2UtdG9vbHNAZmlkb2FsbGlhbmNlLm9yZzAeFw0xNzAyMDEwMDAwMDBaFw0zNTAxMzEyMzU5NTlaMEExPzA9BgNVBAMTNk5DVS1OVEMtS0VZSUQtRkY5OTAzMzhFMTg3MDc5QTZDRDZBMDNBREM1NzIzNzQ0NUY2QTQ5QTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBANc-c30RpQd-_LCoiLJbXz3t_vqciOIovwjez79_DtVgi8G9Ph-tPL-lC0ueFGBMSPcKd_RDdSFe2QCYQd9e0DtiFxra-uWGa0olI1hHI7bK2GzNAZSTKEbwgqpf8vXMQ-7SPajg6PfxSOLH_Nj2yd6tkNkUSdlGtWfY8XGB3n-q--nt3UHdUQWEtgUoTe5abBXsG7MQSuTNoad3v6vk-tLd0W44ivM6pbFqFUHchx8mGLApCpjlVXrfROaCoc9E91hG9B-WNvekJ0dM6kJ658Hy7yscQ6JdqIEolYojCtWaWNmwcfv--OE1Ax_4Ub24gl3hpB9EOcBCzpb4UFmLYUECAwEAAaOCAXUwggFxMAsGA1UdDwQEAwIBhjAWBgNVHSAEDzANMAsGCSsGAQQBgjcVHzAbBgNVHSUEFDASBgkrBgEEAYI3FSQGBWeBBQgDMBIGA1UdEwEB_wQIMAYBAf8CAQAwHQYDVR0OBBYEFHTocG7jYvFPPyqAr297hh07x3KNMB8GA1UdIwQYMBaAFEMRFpma7p1QN8JP_uJbFckJMz8yMGgGA1UdHwRhMF8wXaBboFmGV2h0dHBzOi8vZmlkb2FsbGlhbmNlLmNvLm56L3RwbXBraS9jcmwvRklETyBGYWtlIFRQTSBSb290IENlcnRpZmljYXRlIEF1dGhvcml0eSAyMDE4LmNybDBvBggrBgEFBQcBAQRjMGEwXwYIKwYBBQUHMAKGU2h0dHBzOi8vZmlkb2FsbGlhbmNlLmNvLm56L3RwbXBraS9GSURPIEZha2UgVFBNIFJvb3QgQ2VydGlmaWNhdGUgQXV0aG9yaXR5IDIwMTguY3J0MA0GCSqGSIb3DQEBCwUAA4ICAQBI6GeuxIkeKcmRmFQnkPnkvSybRIJEkzWKa2f00vdBygxtzpkXF2WMHbvuMU3_K3WMFzg2xkSPjM3x_-UxOWGYgVIq8fXUdy2NhmLz4tPI65_nQXpS22rzmXFzsj4x9yS0JF2NnW5xm-O8UdckFdwIZx4Ew_zA-rIF3hqbY4Ejz2AdsbvHJo-WTpu-wWDbBQyR19eqNyYZ6vf9K8DB2JZviIDXdOpkuOJLA40MKMlnhv5K4BZs7mDZIaPzNA_MrcH3_dYXq4tIoGu5Pr1ZNCQ--93XYG1eRbvCgSDYUCRza5AgBGCIhmx2-tqLYeCd9qdy4O9R9c9qRjEThbjnGStYZ0DuB6VCaH1WjiRqyq4VNi9cv15-RoC4zswWwuHee97AAJ_Tx29w6S4Kw9DQR6A0vtw_OHLuOkGH63ns0DACf_h1MvsAMnXXX0Q0P8IpNdBQGvLvrRtRdBNx06NHY1HGZOZ9PdJ6J4mnroB2ln3cMGZG9kyRv2vbwq6sCrYZVYjo3tf4MUtkEY4FijoYbMEDK7VlbTiDPnobhkxI1-bz5DTFnR3IfVybYAeGrBCKSg2UUTPvVgM3WZ-oGlP8W9dg1347hqgxP0vLgDM6cV7rhaFC_ZAf2Et9KLRZSj7lNpJWxHxPyz9mM4w3qFwdgWKwlXl3OQtJRT4Kbs6r3gzB5WdwdWJBcmVhWQE2AAEACwAGBHIAIJ3_y_NsODrmmfuYaNxty4nXFTiEvigDkiwSQVi_rSKuABAAEAgAAAAAAAEAyrTnIMhu5L9IekvzVTVNQC_B6KLF5RjxsGSG77uhDTH1xvx5NrWRAuPxEk72qfIIhYtjaGV7W5AE1_ukFQ5kJI6GRbWqGjXFVrr2sKdwhEt-OEYNED98w-onDJrEQzavArkvUnvrCW9DWKEXAYJTDfO5EjkOPrBdrolsn9KrLLxAwQNimvADs0DbNh_nQBouzOrLo1cqotumrB8GBgMoo1TNPNydbj6XMWBPkLr80x0l17-wZ5GoVAOkS0US0j2gSPLYKFuvbqI2uEPFFP5gXxUjHcvL8C-Jtm1RqRlwcVe7yCAEKGeAYtO_4zg57RJ9-SS5f0Ju5Ybk88GghAsVZWhjZXJ0SW5mb1it_1RDR4AXACIACxHmjtRNtTcuFCluL4Ssx4OYdRiBkh4w_CKgb4tzx5RTACDQqzIhd64iLKVs_ajjQ6oOneGWAulD1ZvjSNcImb3hEwAAAAFHcBdIVWl7S8aFYKUBc375jTRWVfsAIgALtHtW7TTkHy4bqr58TXW5fVNgPv3f6eBaub4mUtjUSbYAIgALn_Mwnd0pw9xWhM1D9xO61kUmXwLkDF8pMZ7jiRjzSqZoYXV0aERhdGFZAWc93EcQ6cCIsinbqJ1WMiC7Ofcimv9GWwplaxr7mor4oEEAAABKp9bZOooNEeialKbPcQcvcwAgSErwRhxIzjPowcnM3e-D-u89EQXLUe1NYewpshd7Mc2kAQMDOQEAIFkBAMq05yDIbuS_SHpL81U1TUAvweiixeUY8bBkhu-7oQ0x9cb8eTa1kQLj8RJO9qnyCIWLY2hle1uQBNf7pBUOZCSOhkW1qho1xVa69rCncIRLfjhGDRA_fMPqJwyaxEM2rwK5L1J76wlvQ1ihFwGCUw3zuRI5Dj6wXa6JbJ_Sqyy8QMEDYprwA7NA2zYf50AaLszqy6NXKqLbpqwfBgYDKKNUzTzcnW4-lzFgT5C6_NMdJde_sGeRqFQDpEtFEtI9oEjy2Chbr26iNrhDxRT-YF8VIx3Ly_AvibZtUakZcHFXu8ggBChngGLTv-M4Oe0SffkkuX9CbuWG5PPBoIQLFWUhQwEAAQ",
  },
  {
    name: "tpm-rsa-rs1-conformance",
    format: "tpm",
    description: "tpm (FIDO conformance, RSA key) with alg -65535 (RS1: RSASSA-PKCS1-v1_5 with SHA-1) and nameAlg SHA-1.",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/tpm/verifyAttestationTPM.test.ts",
      test: "should verify SHA1 TPM response",
    },
    expectedChallenge: "9JyUfJkg8PqoKZuD7FHzOE9dbyculC9urGTpGqBnEwnhKmni4rGRXxm3-ZBHK8x6riJQqIpC8qEa-T0qIFTKTQ",
    expectedOrigin: "https://localhost:44329",
    rpId: "localhost",
    verifyAt: "2025-01-30T23:59:59.000Z",
    certificatesValid: "2018-02-01T00:00:00.000Z .. 2025-01-31T23:59:59.000Z",
    expected: { outcome: "verified", type: "attca" },
    trustAnchors: [],
    clientDataJSON: "eyJvcmlnaW4iOiJodHRwczovL2xvY2FsaG9zdDo0NDMyOSIsImNoYWxsZW5nZSI6IjlKeVVmSmtnOFBxb0tadUQ3Rkh6T0U5ZGJ5Y3VsQzl1ckdUcEdxQm5Fd25oS21uaTRyR1JYeG0zLVpCSEs4eDZyaUpRcUlwQzhxRWEtVDBxSUZUS1RRIiwidHlwZSI6IndlYmF1dGhuLmNyZWF0ZSJ9",
    attestationObject:
      "o2NmbXRjdHBtZ2F0dFN0bXSmY2FsZzn__mNzaWdZAQBIwu9LPAl-LgxlRzPlvn7L-0yuMnFFn1XALxXtGnmC5-oMIIqfUJWFbgBbkN2l2zPsqOCRT5GQU8ucKNI6HrlbuDAUIq7wjcxG5TzgQt3YtGMWtgEcrZn2ecUlQFKjY67_wZIuHLy443Ki1SjErNPrMrkIPe9lyFhIalMgrWLCol40gYIVr_9xLfgyX55c7XiB-XbUKhDLUv5uPA3CSAiWeWwWx26K2BTV85vHsaG6f2YFTfcQTFs1cTSwMm7A9C2SiQ7N01ENwM1urVxlCvuEsBgiXapR70Oyq_cfiENYY0ti7_w2fvikmfv0z0O1cJOAyUlYWjnWhT707chrVmkFY3ZlcmMyLjBjeDVjglkEXzCCBFswggNDoAMCAQICDwRsOt2imXnV5Z4BftcqfzANBgkqhkiG9w0BAQsFADBBMT8wPQYDVQQDEzZOQ1UtTlRDLUtFWUlELTM2MTA0Q0U0MEJCQ0MxRjQwRDg0QTRCQkQ1MEJFOTkwMjREOTU3RDQwHhcNMTgwMjAxMDAwMDAwWhcNMjUwMTMxMjM1OTU5WjAAMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmw-4ficURR_sgVfW7cs1iRoDGdxjBpCczF233ba_5WTP-RrsYZPlzWgSN9WXptuywzjZoDlbid7NlduSR1ZFsds4bW71LyKDL62eyqaiAc645gocXAyxdDIDJAeo-3N9Dm4vsw-Gy_0sd2v1UEkBhWjuE1gL5hcaB9EtXSDvHPwmrf0eYn_4cWu9AxqSxpn79JIPYEOUrURr2H8zyG4_P0j1a3MVBmtAymhpXBn9ila-bW7K_k0JYXBh5yAYZDsmHgFsXbUauDWdja3HYzkep9jXkFcegXOMjPr_QSqWRjawEvzoprnJ-QqoWNbaRhuD-UnfgCNbwseU8kZ0aQNjBQIDAQABo4IBjzCCAYswDgYDVR0PAQH_BAQDAgeAMAwGA1UdEwEB_wQCMAAwUwYDVR0gAQH_BEkwRzBFBgkrBgEEAYI3FR8wODA2BggrBgEFBQcCAjAqEyhGQUtFIEZJRE8gVENQQSBUcnVzdGVkIFBsYXRmb3JtIElkZW50aXR5MBAGA1UdJQQJMAcGBWeBBQgDMEoGA1UdEQEB_wRAMD6kPDA6MTgwDgYFZ4EFAgMMBWlkOjEzMBAGBWeBBQICDAdOUENUNnh4MBQGBWeBBQIBDAtpZDpGRkZGRjFEMDAfBgNVHSMEGDAWoBRRfyLI5lOlfNVM3TBYfjD_ZzaMXTAdBgNVHQ4EFgQUO6SUmiOhCHVZcq-88acg2uQkQz8weAYIKwYBBQUHAQEEbDBqMGgGCCsGAQUFBzAChlxodHRwczovL2ZpZG9hbGxpYW5jZS5jby5uei90cG1wa2kvTkNVLU5UQy1LRVlJRC0zNjEwNENFNDBCQkNDMUY0MEQ4NEE0QkJENTBCRTk5MDI0RDk1N0Q0LmNydDANBgkqhkiG9w0BAQsFAAOCAQEAIIyVBkck_SD2nbj4KOwUI6cYZHrjwrcULoEiOSXn9TjTIiB5MdBMvqqNyAXiyWoWd1GEc_MI3mKOzu4g5UTVQQqfiOTrqfuZrpoU0tAeojKnZLj2wYj5GpyOfEkPK3m9qVaDxiYrh6aS8a3w_Iog878EiIaoVALbBt5uAfh0TAHHwSdxHtU8DRJrC43yIqcP9byRqssJmgSNcpMAjw_hcKJxDMD2UurvsMasqyWvK533yNA0-VwXvk3HI0ItSOw_g352D-qOTHI82lJIjc3yKoaNeYKn7RzgcLAF7AesTiiJReY2kU_vLyf-wH54-08T3oyBBJpBCHc1y_Lt5d2qWFkGCDCCBgQwggPsoAMCAQICENBTpEeEh5lpTgeR7VT9oQcwDQYJKoZIhvcNAQELBQAwgb8xCzAJBgNVBAYTAlVTMQswCQYDVQQIDAJNWTESMBAGA1UEBwwJV2FrZWZpZWxkMRYwFAYDVQQKDA1GSURPIEFsbGlhbmNlMQwwCgYDVQQLDANDV0cxNjA0BgNVBAMMLUZJRE8gRmFrZSBUUE0gUm9vdCBDZXJ0aWZpY2F0ZSBBdXRob3JpdHkgMjAxODExMC8GCSqGSIb3DQEJARYiY29uZm9ybWFuY2UtdG9vbHNAZmlkb2FsbGlhbmNlLm9yZzAeFw0xNzAyMDEwMDAwMDBaFw0zNTAxMzEyMzU5NTlaMEExPzA9BgNVBAMTNk5DVS1OVEMtS0VZSUQtMzYxMDRDRTQwQkJDQzFGNDBEODRBNEJCRDUwQkU5OTAyNEQ5NTdENDCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBANc-c30RpQd-_LCoiLJbXz3t_vqciOIovwjez79_DtVgi8G9Ph-tPL-lC0ueFGBMSPcKd_RDdSFe2QCYQd9e0DtiFxra-uWGa0olI1hHI7bK2GzNAZSTKEbwgqpf8vXMQ-7SPajg6PfxSOLH_Nj2yd6tkNkUSdlGtWfY8XGB3n-q--nt3UHdUQWEtgUoTe5abBXsG7MQSuTNoad3v6vk-tLd0W44ivM6pbFqFUHchx8mGLApCpjlVXrfROaCoc9E91hG9B-WNvekJ0dM6kJ658Hy7yscQ6JdqIEolYojCtWaWNmwcfv--OE1Ax_4Ub24gl3hpB9EOcBCzpb4UFmLYUECAwEAAaOCAXcwggFzMAsGA1UdDwQEAwIBhjAWBgNVHSAEDzANMAsGCSsGAQQBgjcVHzAbBgNVHSUEFDASBgkrBgEEAYI3FSQGBWeBBQgDMBIGA1UdEwEB_wQIMAYBAf8CAQAwHwYDVR0OBBgEFsIUUX8iyOZTpXzVTN0wWH4w_2c2jF0wHwYDVR0jBBgwFqAUXH82LZCtWry6jnXa3jqg7cFOAoswaAYDVR0fBGEwXzBdoFugWYZXaHR0cHM6Ly9maWRvYWxsaWFuY2UuY28ubnovdHBtcGtpL2NybC9GSURPIEZha2UgVFBNIFJvb3QgQ2VydGlmaWNhdGUgQXV0aG9yaXR5IDIwMTguY3JsMG8GCCsGAQUFBwEBBGMwYTBfBggrBgEFBQcwAoZTaHR0cHM6Ly9maWRvYWxsaWFuY2UuY28ubnovdHBtcGtpL0ZJRE8gRmFrZSBUUE0gUm9vdCBDZXJ0aWZpY2F0ZSBBdXRob3JpdHkgMjAxOC5jcnQwDQYJKoZIhvcNAQELBQADggIBAG138t55DF9nPJbvbPQZOypmyTPpNne0A5fh69P1fHZ5qdE2PDz3cf5Tl-8OPI4xQniEFNPcXMb7KlhMM6zCl4GkZtNN4MxygdFjQ1gTZOBDpt7Dwziij0MakmwyC0RYTNtbSyVhHUevgw9rnu13EzqxPyL5JD-UqADh2Y51MS0qy7IOgegLQv-eJzSNUgHxFJreUzz4PU6yzSsTyyYDW-H4ZjAQKienVp8ewZf8oHGWHGQFGa5E9m1P8vxCMZ7pIzeQweCVYrs3q7unu4nzBAIXLPI092kYFUgyz3lIaSB3XEiPBokpupX6Zmgrfphb-XX3tbenH5hkxfumueA5RMHTMu5TVjhJXiV0yM3q5W5xrQHdJlF5nOdJDEE-Kb7nm6xaT1DDpafqBc5vEDMkJmBA4AXHUY7JPGqEEzEenT7k6Wn5IQLZg4qc8Irnj__yM7xUhJWJam47KVbLA4WFu-IKvJrkP5GSglZ9qASOCxBHaOL2UcTAg50uvhUSwur2KSak2vlENdmAijwdAL4LLQWrkFd-9NBwcNwTdfK4ekEHP1l4BwJtkNwW6etUgeA5rkW2JLocXoBq5v7GSk4_CBoKhyiahQGQQ9SZFGeBJhzzkK9yN-yKskcVjjjInSHPl-ZpeOK3sI08sEyTH0gxlTtRoX0MKDsMAHEVToe5o1u9Z3B1YkFyZWFZATYAAQALAAYEcgAgnf_L82w4OuaZ-5ho3G3LidcVOIS-KAOSLBJBWL-tIq4AEAAQCAAAAAAAAQCl9siJwqoHJ2pCwEKyLQ_u6zGcZDKZtA0jtvtn1aPlIe7wFAvQNgjI6KDiQsDPTCVeJj_RA441VbV0Z4oX2b68quDY0Gf4VpF4KWfNPdKH6H4E882m8OnBb10mhaNbPxTmDVDZLQZjh3ubX1Z56FNg6cQmz4bEnHF-7X1l7AcNORhzdzgM7uRXhwo9UsAzpu4Io1OCTsb5DaDnng3f3Y9qDn8OG3MI_5IYtm1qGgmY72nSEiIhhPCk2lvmajN6A4tWgUstc7QtdlKEPBd-ITtGdKYTSwqihaHzBQd8D-d_HDqgcOWECLKo51_YqyaEiuGlv6sPon1LMsEL6PlVw47PaGNlcnRJbmZvWKH_VENHgBcAIgALEeaO1E21Ny4UKW4vhKzHg5h1GIGSHjD8IqBvi3PHlFMAFF6MXAvgUX_Rbc04fmdB2TyLG-mdAAAAAUdwF0hVaXtLxoVgpQFzfvmNNFZV-wAiAAuYlrm-5Jg3251TsEdZ8NV11xd4X5O3q0AFLmammw658QAiAAtuzX-04mcxAHq9kO70Ew3vJCOmCS0UvQzZB2CNCeGXpWhhdXRoRGF0YVkBZ0mWDeWIDoxodDQXD2R2YFuP5K65ooYyx5lc87qDHZdjQQAAAHXyRLZ-U2RP1Z-Qw5YicxfbACBQkOhQmgaINAX8QRncb_P0t-rXr8oVpe0xOPBNSutGV6QBAwM5__4gWQEApfbIicKqBydqQsBCsi0P7usxnGQymbQNI7b7Z9Wj5SHu8BQL0DYIyOig4kLAz0wlXiY_0QOONVW1dGeKF9m-vKrg2NBn-FaReClnzT3Sh-h-BPPNpvDpwW9dJoWjWz8U5g1Q2S0GY4d7m19WeehTYOnEJs-GxJxxfu19ZewHDTkYc3c4DO7kV4cKPVLAM6buCKNTgk7G-Q2g554N392Pag5_DhtzCP-SGLZtahoJmO9p0hIiIYTwpNpb5mozegOLVoFLLXO0LXZShDwXfiE7RnSmE0sKooWh8wUHfA_nfxw6oHDlhAiyqOdf2KsmhIrhpb-rD6J9SzLBC-j5VcOOzyFDAQAB",
  },
  {
    name: "tpm-rs1-spec-compliant-san",
    format: "tpm",
    description: "tpm from a real Windows device (STMicro TPM, EUS-STM-KEYID intermediate), RS1; the SAN directoryName has three RDNs of one attribute each (as the TCG EK profile says).",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/tpm/verifyAttestationTPM.test.ts",
      test: "should verify TPM response with spec-compliant tcgAtTpm SAN structure",
    },
    expectedChallenge: "VfmZXKDxqdoXFMHXO3SE2Q2b8u5Ki64OL_XICELcGKg",
    expectedOrigin: "https://dev.netpassport.io",
    rpId: "netpassport.io",
    verifyAt: "2025-03-20T00:00:42.000Z",
    certificatesValid: "2020-08-27T15:12:30.000Z .. 2025-03-21T20:29:15.000Z",
    expected: { outcome: "verified", type: "attca" },
    trustAnchors: [],
    clientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiVmZtWlhLRHhxZG9YRk1IWE8zU0UyUTJiOHU1S2k2NE9MX1hJQ0VMY0dLZyIsIm9yaWdpbiI6Imh0dHBzOi8vZGV2Lm5ldHBhc3Nwb3J0LmlvIiwiY3Jvc3NPcmlnaW4iOmZhbHNlfQ",
    attestationObject:
      "o2NmbXRjdHBtZ2F0dFN0bXSmY2FsZzn__mNzaWdZAQAVTQGgcWtxs9VV4i1gQTcdXfoyZwupUnZjebIIzuq77nBe_EyxS4Fh8Go2vCdVnpHLXHsVct1ISZ8fmSB31YrnuaHpvxjTN-k0t3ynOwJY9SZd4uxX9KQUOMpjhWsQczpNL72J7wd4VckeU6oHvq-z9x6Oqfk1KbmzRu-ZdrUikYkM1uCXqk9h0P1MpeaoxFoLiS-2Vz1MZENB2-N-tC_ljwoUsAOBiE3MRfp2e_LCe4oRWCvhJn7qiVglQOnQWTtoky_FOKqJtPqt59v74C3rin8reNmNwXD1l0XljOYQaujLOMGut63CwtlpAgBN8IPHNWnukzv0X5VY0KjBT6DbY3ZlcmMyLjBjeDVjglkFxDCCBcAwggOooAMCAQICEGoHJ5pU80VnnGzPa5PrxlkwDQYJKoZIhvcNAQELBQAwQTE_MD0GA1UEAxM2RVVTLVNUTS1LRVlJRC0xQURCOTk0QUI1OEJFNTdBMENDOUI5MDBFNzg1MUUxQTQzQzA4NjYwMB4XDTIwMDgyNzE1MTIzMFoXDTI1MDMyMTIwMjkxNVowADCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAKkVhLA9cKyViKaVr6wwKqzty1AKR0VJGa3BB3QF7IfK81mfqv-x31Y0V0zPioxYgPHHfF4j4XPm5mVlQI9PluM828elk86kwPV-OFlhIX7nM1Hy9NQtgnfyV-7Kxmb3pKe2TI937XrtuJj0pKUav3g0RtPUZDywpWBVDCI4AopqLVyys8bse_bZdDI-l8IDqpzptL1kfmH2WG6rtCIyVimGQS3UtgkNpl-8FeDXOc3ciAYdY9MUHfE6QmFpwXn_qo_4x0VR1wiBKyK0ZACTAm96io_iskeyig3OGR_SEd2OeThYQtoJoAfZvBzSs3eTVTAsZ8unKnGjkss7eCF48Q8CAwEAAaOCAfMwggHvMA4GA1UdDwEB_wQEAwIHgDAMBgNVHRMBAf8EAjAAMG0GA1UdIAEB_wRjMGEwXwYJKwYBBAGCNxUfMFIwUAYIKwYBBQUHAgIwRB5CAFQAQwBQAEEAIAAgAFQAcgB1AHMAdABlAGQAIAAgAFAAbABhAHQAZgBvAHIAbQAgACAASQBkAGUAbgB0AGkAdAB5MBAGA1UdJQQJMAcGBWeBBQgDMFkGA1UdEQEB_wRPME2kSzBJMRYwFAYFZ4EFAgEMC2lkOjUzNTQ0RDIwMRcwFQYFZ4EFAgIMDFNUMzNIVFB4QUhBNjEWMBQGBWeBBQIDDAtpZDowMDQ3MDAwNDAfBgNVHSMEGDAWgBS4X9VnypLEDs8M2B9tPwNVbzimUTAdBgNVHQ4EFgQUSk_obuVTgSLFuag0uCvjqcyeFPIwgbIGCCsGAQUFBwEBBIGlMIGiMIGfBggrBgEFBQcwAoaBkmh0dHA6Ly9hemNzcHJvZGV1c2Fpa3B1Ymxpc2guYmxvYi5jb3JlLndpbmRvd3MubmV0L2V1cy1zdG0ta2V5aWQtMWFkYjk5NGFiNThiZTU3YTBjYzliOTAwZTc4NTFlMWE0M2MwODY2MC9hYmQ2MTVmMi0xNThhLTQ1OGUtYTE1NS03YzRjOGNiMTNjNjUuY2VyMA0GCSqGSIb3DQEBCwUAA4ICAQDYZJbtNQICOEg3N3UULml0qfQyuitzuVZJ59nvhhwHH6SsWLXhoZVgKaV3zOd00nJPVnX8uilmX2o9qkNi1ODO7WQ-wN2_jVtNsVDu1mgox6T6NeWzel-EbJdkg2kiwUaO639Yu_Xc8FUKNtUp-9fuF2p31uoYo-Nw-H58rbYOdsiOQ-SPYI4zbdjssntKyI6MAT_j1KAKv0Gbh5SvKM4aEmZA0v0dHXuxoH6kFVHLeNdwLe0cG__K9rCw5CKOD0zFMnKRx6LfNzaZ0OedM9skVjHPqR3qEfwGFXQzrfVGFzrri2vaE9bo2Q-cREY6ITX6kUJpkSc6Iz96hxpSxyIxN1faSeblMETRJD4pV0PtJGZb4GOeng0lQ8l4IkBlBgx-I27Ks_tTsf2owNkVOWTViWZLYLon0l_LhNKuuGJkjB0whvccBB4DiQPTckuCeFoB8IH5wAR__A_y33_zBR0fYWnVlEXWwtMO-vGRYQLPuK6j30MWBjPEvtujsS1gwJUhXnd3GENHaXtrQHnyZgLzRCHSeJy6SjI64Jm86VMMalvLJEbGrvjfs-vKnBKAoK_9JcK-tmx4pIJIm1gtOx-J59bfpLjgueBqpvVl3dz1r9dCXrRlsCCeqtXOFPK5lgJz3sxXyDxAT-Np52S1pfrui1i2VvnHB-YEM83nubdz01kG7zCCBuswggTToAMCAQICEzMAAAI5-btqHUlkR38AAAAAAjkwDQYJKoZIhvcNAQELBQAwgYwxCzAJBgNVBAYTAlVTMRMwEQYDVQQIEwpXYXNoaW5ndG9uMRAwDgYDVQQHEwdSZWRtb25kMR4wHAYDVQQKExVNaWNyb3NvZnQgQ29ycG9yYXRpb24xNjA0BgNVBAMTLU1pY3Jvc29mdCBUUE0gUm9vdCBDZXJ0aWZpY2F0ZSBBdXRob3JpdHkgMjAxNDAeFw0xOTAzMjEyMDI5MTVaFw0yNTAzMjEyMDI5MTVaMEExPzA9BgNVBAMTNkVVUy1TVE0tS0VZSUQtMUFEQjk5NEFCNThCRTU3QTBDQzlCOTAwRTc4NTFFMUE0M0MwODY2MDCCAiIwDQYJKoZIhvcNAQEBBQADggIPADCCAgoCggIBANviI_mGj6lxn4v5fOlFLVlWXpb03ZoSzZAaDLUDvwm-v_dVUug5TL4qKIh4OafL-UxV0jGWO0ii8_bTGoF_kGKr7FrHoH-BMiebKXV9HpbF-g584GCWesqUuuayad3EfbvTxLRuAIYfnSXorscQhNzANCRu9_zdPTJ6Q5bWyHv0mz2nHrpN0Ds9hJrRJSJdAESwWbdAxaNTU6-Pnv2PHgLTT_cJzsXGcVzp6Hq1a6S_C9m2-iSwzVIiHX7oFS8eXqLs06gCd7lVms_M1wggpdo5mjB2kDenYN8YEmUXqt1I1RIdTINdgQcdGIFAVWCPo2s0HtXmz1Jzd0pQTxsPOcMNFvm7THf2Tqyc_ui7UqUKDpvwDe_7b4k0fUfsFGr0CuFgRHN7oKtbjEOmBUJhRqoc9ewshoUhmd9FjvTRHvvNm5Qy4KDMT62uRIuGJ5H-YJ_yYzBsXY28q9T1orJ06NSV8tYDi8mjUudjBWRQ5QpqoGxQzTeYqIcCOFtsAmk9H5V0TUZ2Kp1i1Mcb-TGmUe57yORuOs9PT0mK9U8lkyMC73mmJ75a53S316jBrlWIpMdNt2Lw-Vu_R1v-zAuJGWVLb99PfU2WQg0qob0-cJK6yFnVHTqYU3WmMshyA0ZfXBOk28dVNSINxheFvUZL-h5Jwv4e-WKJVoTfoPv9k6QlAgMBAAGjggGOMIIBijAOBgNVHQ8BAf8EBAMCAoQwGwYDVR0lBBQwEgYJKwYBBAGCNxUkBgVngQUIAzAWBgNVHSAEDzANMAsGCSsGAQQBgjcVHzASBgNVHRMBAf8ECDAGAQH_AgEAMB0GA1UdDgQWBBS4X9VnypLEDs8M2B9tPwNVbzimUTAfBgNVHSMEGDAWgBR6jArOL0hiF-KU0a5VwVLscXSkVjBwBgNVHR8EaTBnMGWgY6Bhhl9odHRwOi8vd3d3Lm1pY3Jvc29mdC5jb20vcGtpb3BzL2NybC9NaWNyb3NvZnQlMjBUUE0lMjBSb290JTIwQ2VydGlmaWNhdGUlMjBBdXRob3JpdHklMjAyMDE0LmNybDB9BggrBgEFBQcBAQRxMG8wbQYIKwYBBQUHMAKGYWh0dHA6Ly93d3cubWljcm9zb2Z0LmNvbS9wa2lvcHMvY2VydHMvTWljcm9zb2Z0JTIwVFBNJTIwUm9vdCUyMENlcnRpZmljYXRlJTIwQXV0aG9yaXR5JTIwMjAxNC5jcnQwDQYJKoZIhvcNAQELBQADggIBAEGq_ihs92tT3nfAgFCU2dtGjmqTqRA3Jx_1cPGoz6FFhirdj7i1webPivoyoUu3pL8KSMtCY3HBlrk6N4QOJDnrWM49t6lEklm5_9sYvmpe587vuEBTr8Gb-0KZfp0FK3EKenpE0THK8F90hanivMgMrVfR6UiQiFeG18XJ5rJeXxPcEH_fY4rVnpDCdVMeaBcrAykVA8WMZj6uvUoyflmJC4TC2ZD6AiKQjZy2DE3hKHbXgsM2wqMqUuX-PI_jS9pq28B6PFf6hY_7YsOhOM6E8roS9DAqSpSpNSx9EcdoH0eqV0MGcHmMtjtdV_PzwCzF3kGZ9t1ViuQTysnsaZMTSPBf2i79-6kbkt5JcTeMP8IICoMl8W4K41WFlpotosCh7v4jO2kiA_3Mit20U42EpqzgHgfl1_nLueOat4RwoZPWAh7-2yh899Rib4B1yNg1JgzLhO27ld9_1bsAlpcy57roKbUaUYG7BNEhdjRtHpOWH5ZTX1ye852CHDk2Wa7JPFNKZ2Vuv6asPtqyp2MHF-Fb2moxn_u06qGXCG6yaPNydpnoAEaIJuE8Byt4Sdp5Or1vylygqO00zNsT4lGbPQOsx_Yy4RFd4cX9nnrNBrnm_OADMfRKqTt5AbBkaJ9udqHM7BdBndRbTp3lRtRrYCojtXqJfCeWZZdW7JjjZ3B1YkFyZWFZATYAAQALAAYEcgAgnf_L82w4OuaZ-5ho3G3LidcVOIS-KAOSLBJBWL-tIq4AEAAQCAAAAAAAAQC0ciFRFbWRy-FM8K7FKCWx1xQ9lkpjErkYnun5Fbu6h8OeXpPdngMam85Kf56JRuwKPtwz-cToz-wjjQ7Bpg--EaBE4_WEoQc6lfEoShDSAa2gvf1rKhOoe4quaRu3lxpqGCp5qRSbKET3SWYSphrfo6AD_qQ2X8safYhnRb7WatyTP42qKCwzWX0J4JovMG4d_zteT1q3wljbp2XGxcF9qPTHhqSjj2h20DeP4dDS-TZzLsytSYCswpBE-WvEElcIslIhmFdmnbRY5UMECR9tkyp3NfwHBGqP_uZVwilxRC3rVTuGWSNm9pdqrgADnLftVeKSNGU22tnMxyNb-4MVaGNlcnRJbmZvWKH_VENHgBcAIgALI_9Gp39SuKvSJvllxwHyGHhtaaF8TtuCHdfJEBqgCJQAFHAs7LsTg6ywAmOxET_5IxypMjRjAAAAAAKIAWoDEFBLdFFCfQE1hhRhFj_igAAiAAsbzG7XFehetxw_1Xqqsm9xjRGD8dbXDYq2q0yK2hdJagAiAAvbuEFNLlj6-ytEKRA8KlzE-x4DlyoBuskc-iQXv4NZ52hhdXRoRGF0YVkBZ9Ukck8V92UT5YFZtBoVSQZWyFTM-rDMTOAW1DLfg1hnRQAAAAAImHBYytxLgbbhMN5Q3L6WACAtXDNfHR9K2S-yiz-N2X0NN3o7f7pt7xRri1x1dzld46QBAwM5AQAgWQEAtHIhURW1kcvhTPCuxSglsdcUPZZKYxK5GJ7p-RW7uofDnl6T3Z4DGpvOSn-eiUbsCj7cM_nE6M_sI40OwaYPvhGgROP1hKEHOpXxKEoQ0gGtoL39ayoTqHuKrmkbt5caahgqeakUmyhE90lmEqYa36OgA_6kNl_LGn2IZ0W-1mrckz-NqigsM1l9CeCaLzBuHf87Xk9at8JY26dlxsXBfaj0x4ako49odtA3j-HQ0vk2cy7MrUmArMKQRPlrxBJXCLJSIZhXZp20WOVDBAkfbZMqdzX8BwRqj_7mVcIpcUQt61U7hlkjZvaXaq4AA5y37VXikjRlNtrZzMcjW_uDFSFDAQAB",
  },
  {
    name: "tpm-rs1-single-rdn-san",
    format: "tpm",
    description: "tpm from a real Windows device (Nuvoton TPM), RS1; the SAN directoryName is ONE RDN holding the three tcg-at-tpm attributes (what many real TPMs emit; SimpleWebAuthn and go-webauthn accept it).",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/tpm/verifyAttestationTPM.test.ts",
      test: "should verify TPM response with non-spec-compliant tcgAtTpm SAN structure",
    },
    expectedChallenge: "4STWgmXrgJxzigqe6nFuIg",
    expectedOrigin: "https://localhost:44329",
    rpId: "localhost",
    verifyAt: "2023-06-30T12:00:00.000Z",
    certificatesValid: "2018-12-04T14:43:10.000Z .. 2024-08-02T17:51:55.000Z",
    expected: { outcome: "verified", type: "attca" },
    trustAnchors: [],
    clientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiNFNUV2dtWHJnSnh6aWdxZTZuRnVJZyIsIm9yaWdpbiI6Imh0dHBzOi8vbG9jYWxob3N0OjQ0MzI5IiwiY3Jvc3NPcmlnaW4iOmZhbHNlfQ",
    attestationObject:
      "o2NmbXRjdHBtZ2F0dFN0bXSmY2FsZzn__mNzaWdZAQBMnSMdxY37f_0LOaAG8xlNt7_nPGgoF3G408AioITizIxAV7Aw83VZ9QVr6jvDKxM6yYLqifi4LaDPoZPMy-AbSv_puqVYRY72vbFUgbxGhwI93kDCbNrzj69NWnbhBIEwuHjjmyAkDxV7KRqPLxW4k3aUQY_wKJsrW_7DTEBKYZaN53MaReUtXL6oVonxHus_-yXR9FOPfXAMp6kEuQyjRVhWKhK6xouCvHOrFgzqfuKYZlXxLEZaT3-_SStsp4y1FV6NGqP352_snv6GRNam0yiFQyKWVq0_zBSZsHDyD5m4iTEKVgf1roS06hpg9OHzvmTeLoZe2WRSUEjZRyUbY3ZlcmMyLjBjeDVjglkFtTCCBbEwggOZoAMCAQICEEnuVsM4O0FbonTm_N1as6UwDQYJKoZIhvcNAQELBQAwQTE_MD0GA1UEAxM2RVVTLU5UQy1LRVlJRC0yM0Y0RTIyQUQzQkUzNzRBNDQ5NzcyOTU0QUEyODNBRUQ3NTI1NzJFMB4XDTE4MTIwNDE0NDMxMFoXDTI0MDgwMjE3NTE1NVowADCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAKthunww9tiuyc49Pnx67T9sQDJL9_33-0Lm9xMsQHI6MF9S62wL-j5Ex0CQwPLH9IoNmfguA-2mUoxG1VaIkWs8RQ0hQSZu87x7bm_kiPk0mm_y4PG5wrc6RxiNdElh8cdUlIrq_Oqjhf6u1yj5rJ-Nm3huHnRNKE5fD_BnOylgD6YY2quGbv1Q5VbmjdVg29gIfZElD7RRUsVnNIgTFSnjTZbQeWBMUlH-uYLfZduKTPMseBR0boKqQAT5O-tBrlXSWQ303RdBh-UUu-EllwWZ6mM-pBf_G7rsSWGDk2t8BHgIk-rh1t_bzwDiAAyStr8Ec2IziqP-cXZFsZ2dEa8CAwEAAaOCAeQwggHgMA4GA1UdDwEB_wQEAwIHgDAMBgNVHRMBAf8EAjAAMG0GA1UdIAEB_wRjMGEwXwYJKwYBBAGCNxUfMFIwUAYIKwYBBQUHAgIwRB5CAFQAQwBQAEEAIAAgAFQAcgB1AHMAdABlAGQAIAAgAFAAbABhAHQAZgBvAHIAbQAgACAASQBkAGUAbgB0AGkAdAB5MBAGA1UdJQQJMAcGBWeBBQgDMEoGA1UdEQEB_wRAMD6kPDA6MTgwDgYFZ4EFAgMMBWlkOjcyMBAGBWeBBQICDAdOUENUNzV4MBQGBWeBBQIBDAtpZDo0RTU0NDMwMDAfBgNVHSMEGDAWgBSXoaSHgAGBlZpmNVWMWorDDDTnbDAdBgNVHQ4EFgQUNpU3wQ-ymfXFsSeKJivavvm0NoswgbIGCCsGAQUFBwEBBIGlMIGiMIGfBggrBgEFBQcwAoaBkmh0dHA6Ly9hemNzcHJvZGV1c2Fpa3B1Ymxpc2guYmxvYi5jb3JlLndpbmRvd3MubmV0L2V1cy1udGMta2V5aWQtMjNmNGUyMmFkM2JlMzc0YTQ0OTc3Mjk1NGFhMjgzYWVkNzUyNTcyZS9jN2M2MWY2Yy0zZmY1LTRjNzgtODhhZi1jM2NjNWVlNTU0MjQuY2VyMA0GCSqGSIb3DQEBCwUAA4ICAQBIGXtiamv37X-HbgGFFLD5bLBR2rMeEWwi1gKyJF-0k0H-q0Cb0TiBuy-ITn2xnT3XszN7KB-ur0UH9VLhOR9F2ZxNyTB6ppV7HMleWW99ntsLKtJh3bLsIXIUZa8tLzpXqSKCgV4DfqS2OqcFDBTLG_uRmn8EmJevn13D8WEkOn0uJJGOwbpdF7gYrm_wvVJhYlAxd06s3OpFIDHlc-2JD5OezsPUQyMIV2A-pLEObldwTy0ipSlXbCQuLm5QFKklfv9lX2m4ewcp_lQ-metaSlwFUE8YOSUMe-K4Nf3gErzKhuWbDge7hE7CeyhG54BCeRdJsu56npQy_YhoRoh-iWeNkr8_RypFbKrZFLhOIt3rMQaFmKHyERl5zP8tRJM9bTB0upA3xj47cdQQ1ANDP0nrTJYhOFYo26O5Ds1GuqgMztoMAIVwA2flfKAcmjGy7aMEEjjbcAPxcYfEK9www4lJwynmOvARr7q02Ugt-GGZ6W9CzUcWuy6E5EPXzjoFDeGO947CMiwstIejsNv-1-BZH20De46BmxGsX09Ul97Y7C-v-ur7iwMWTMreK4o_KPlxgOzZRE5XPm8LbCXDgc7itZwjMxlyxX21_dsAYOTkTIbXdaxxUB1wxHxLPRJ1OKnTtJPOJPU3ZmDjNHWsZ6sVA_8XhSlV33a-RtZ6w1kG7zCCBuswggTToAMCAQICEzMAAAF66OtVQiSrVRYAAAAAAXowDQYJKoZIhvcNAQELBQAwgYwxCzAJBgNVBAYTAlVTMRMwEQYDVQQIEwpXYXNoaW5ndG9uMRAwDgYDVQQHEwdSZWRtb25kMR4wHAYDVQQKExVNaWNyb3NvZnQgQ29ycG9yYXRpb24xNjA0BgNVBAMTLU1pY3Jvc29mdCBUUE0gUm9vdCBDZXJ0aWZpY2F0ZSBBdXRob3JpdHkgMjAxNDAeFw0xODA4MDIxNzUxNTVaFw0yNDA4MDIxNzUxNTVaMEExPzA9BgNVBAMTNkVVUy1OVEMtS0VZSUQtMjNGNEUyMkFEM0JFMzc0QTQ0OTc3Mjk1NEFBMjgzQUVENzUyNTcyRTCCAiIwDQYJKoZIhvcNAQEBBQADggIPADCCAgoCggIBAMYsxZ359XoMjiejLk91WORXnA9uJHMrGj9E6yJd8B40cklR1twW96826fgdMMwFPI6fXsYM7PuX8mcqDGLCsiPFTuoXQRPBn2VEfZEpTl9yhYBRs2as4vpF4oOcs2KCU6730Czeksc7Fi9ZdLWs_hqn4wkrql6cv9e5fh3_BSTvW0x795FLu7pd0jq1FA9oQMvZ921RZkP4X_Js3LtVQUPOYJ6YzBGdh1SoKp5PpL-FkEM2zkd1BXdqXlUrTfNPJvJweT1CY8C1cRWZtZlkkmsqWpcTnFKTnu2oMCxJXiQsuGrZAu4lZmOLacDRNa3DPtJdQYVBiZ9lHk971jBws9HiXmVX0s4Fk8RVqEBcSyU7fUfpuyu2wruFgJD32To1LbwvWGanrBhkCT-fVpf_DhKwwR9azH-FfzZ9weh_776GHTIQmF2jky4BD6fSIzB0U-l5BN_v0_2uo2kHEaz9TlFh4xgzUcFlreY0VODYWbmMAdWlyuN3C7XP4fwBVbtrA-c_TSa_CuqFIqfFcPCniih-4ajCBQ5dwPLNri5hfQPL8RJsX0KHs0wBA_ADf8O2S48y3K1R8RYIz8ENckNwzFP7Ke3ZCzFOfNPaeDh0ceFqRecEO_q4eiwig_pciMIRecMeJiT12O_phJUKWJdD3P1p--SBuVZ7yPD0FGj-aQn1AgMBAAGjggGOMIIBijAOBgNVHQ8BAf8EBAMCAoQwGwYDVR0lBBQwEgYJKwYBBAGCNxUkBgVngQUIAzAWBgNVHSAEDzANMAsGCSsGAQQBgjcVHzASBgNVHRMBAf8ECDAGAQH_AgEAMB0GA1UdDgQWBBSXoaSHgAGBlZpmNVWMWorDDDTnbDAfBgNVHSMEGDAWgBR6jArOL0hiF-KU0a5VwVLscXSkVjBwBgNVHR8EaTBnMGWgY6Bhhl9odHRwOi8vd3d3Lm1pY3Jvc29mdC5jb20vcGtpb3BzL2NybC9NaWNyb3NvZnQlMjBUUE0lMjBSb290JTIwQ2VydGlmaWNhdGUlMjBBdXRob3JpdHklMjAyMDE0LmNybDB9BggrBgEFBQcBAQRxMG8wbQYIKwYBBQUHMAKGYWh0dHA6Ly93d3cubWljcm9zb2Z0LmNvbS9wa2lvcHMvY2VydHMvTWljcm9zb2Z0JTIwVFBNJTIwUm9vdCUyMENlcnRpZmljYXRlJTIwQXV0aG9yaXR5JTIwMjAxNC5jcnQwDQYJKoZIhvcNAQELBQADggIBAEqoI0tBP2Uurjlmgo7niM4MoXT6KvQlJgw0XcON1g0SGZ-WTZk32GqPE7TZqgNEVMuZwCimfwpTPKpbMagnZBIIIsROJbZFjr8q-pKpPdYjkkVrhmMlOW0d1xe0vl4xsc-6AwQ5MPh9qdmbXgIQwpDUIzOIT38pChX26a_cdkYOlzbSw4gZRtQey4-AakazI3MXQCozvhXOqZ_9e8kdXPtdsCpkE52vopdGAtT0Iqyhb3pFMmIngsYpqpozrGEe8XlAWf7fNTzUR-Zm_0FqhaoDc-w0VxRR7DF-pcHZU-Mm8p7iDLtF8IZ6usayci7nCg3ySdbiLnV0onmX5vu5ieMG-pL_4RUpbhmdlvIK01wpv2tS9oWMVWvW-Vw-9TnkA24k9wt6HuO3ib3s9yK-IabREUv6XNkKJUE5wZNo_0HxO1IM9EoWgNC0QLMoNvUzxNBAy6HwG0ZycyOdG1bnkwMU7gUHOGBVti_FB9Rto8Tp0lhUQgv8-tgMmBcz7A9hkmiU0asN3Z4d-e0vh_rti-pjKHTIzpEUU_Tjo-NTdqBIrYjraBCzt5rZiywS8v6AlgA2yUkADAxtUNScmI6oS4AzqrK-B7Ho7qlrvHiGDToPopFuKZcjCZ2-R7NB9oVYEQbHyB6TnNxRwtpkzDxb2HxA_hbMjlEse4S5QWJ4sfxkZ3B1YkFyZWFZATYAAQALAAYEcgAgnf_L82w4OuaZ-5ho3G3LidcVOIS-KAOSLBJBWL-tIq4AEAAQCAAAAAAAAQDJlNoI1XRkd1Kjb96EePqyqRpGV9w0YKU6U2TyDC8TBKiYzwRw3Ti0EGjLC_P2j2o-wDyQ9RqEvWSRv7dqNzNLRqrmxNJMvmQi2vk5hzebrezXycTpdvHhIO6C9FMGpjHNXU2SPD_4cY8W_SqVrDsjlF5DuEHP0TFvKfTrSJFZ21SKL48i9NYYGkNdU1S5Kr8oAPORAoQT-V6o_fOxMfslJNuy3tb_FIAGmVILBcWStB9hw1EzC0fRnDoI4tDT-_6BBsz6TYusEP4SQ4ZaQAkbQE1-jSTmrTheF3a8V6cPNV43DfzdVLsB74EI8wlZ86SJtyD3260FsWgf40sSJie9aGNlcnRJbmZvWKH_VENHgBcAIgALhmPuuXQ7HvLV4hOfrw_55-GR3psNmE_1QZP-_YPm5c8AFJoQlUV8EpmxuKaMJJlKHuIteMImAAAACfwkGZwWlFVa2k-cxAEPaQm9qoC4lAAiAAuuRckOKcJwFIRO3XLsLgJibml10dsxQtopG9n2H2B-KQAiAAuPaG6tGwNMsbWqXu9ba1tgsNEKnl3wFJE1Q2ktcCD2O2hhdXRoRGF0YVkBZ0mWDeWIDoxodDQXD2R2YFuP5K65ooYyx5lc87qDHZdjRQAAAAAImHBYytxLgbbhMN5Q3L6WACBftM-LujxZ-IjPVs_RVyLPXFG9IzKKK2A5HWxSpjvbi6QBAwM5AQAgWQEAyZTaCNV0ZHdSo2_ehHj6sqkaRlfcNGClOlNk8gwvEwSomM8EcN04tBBoywvz9o9qPsA8kPUahL1kkb-3ajczS0aq5sTSTL5kItr5OYc3m63s18nE6Xbx4SDugvRTBqYxzV1Nkjw_-HGPFv0qlaw7I5ReQ7hBz9Exbyn060iRWdtUii-PIvTWGBpDXVNUuSq_KADzkQKEE_leqP3zsTH7JSTbst7W_xSABplSCwXFkrQfYcNRMwtH0Zw6COLQ0_v-gQbM-k2LrBD-EkOGWkAJG0BNfo0k5q04Xhd2vFenDzVeNw383VS7Ae-BCPMJWfOkibcg99utBbFoH-NLEiYnvSFDAQAB",
  },
  {
    name: "tpm-ecc",
    format: "tpm",
    description: "tpm whose pubArea is TPM_ALG_ECC (P-256 credential key), statement signed RS1 by an RSA AIK (Nuvoton, EUS-NTC-KEYID).",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/tpm/verifyAttestationTPM.test.ts",
      test: "should verify TPM response with ECC public area type",
    },
    expectedChallenge: "uzn9u0Tx-LBdtGgERsbkHRBjiUt5i2rvm2BBTZrWqEo",
    expectedOrigin: "https://webauthn.io",
    rpId: "webauthn.io",
    verifyAt: "2025-01-01T00:00:00.000Z",
    certificatesValid: "2022-01-12T22:15:18.000Z .. 2027-06-10T18:54:36.000Z",
    expected: { outcome: "verified", type: "attca" },
    trustAnchors: [],
    clientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoidXpuOXUwVHgtTEJkdEdnRVJzYmtIUkJqaVV0NWkycnZtMkJCVFpyV3FFbyIsIm9yaWdpbiI6Imh0dHBzOi8vd2ViYXV0aG4uaW8iLCJjcm9zc09yaWdpbiI6ZmFsc2V9",
    attestationObject:
      "o2NmbXRjdHBtZ2F0dFN0bXSmY2FsZzn__mNzaWdZAQCqAcGoi2IFXCF5xxokjR5yOAwK_11iCOqt8hCkpHE9rW602J3KjhcRQzoFf1UxZvadwmYcHHMxDQDmVuOhH-yW-DfARVT7O3MzlhhzrGTNO_-jhGFsGeEdz0RgNsviDdaVP5lNsV6Pe4bMhgBv1aTkk0zx1T8sxK8B7gKT6x80RIWg89_aYY4gHR4n65SRDp2gOGI2IHDvqTwidyeaAHVPbDrF8iDbQ88O-GH_fheAtFtgjbIq-XQbwVdzQhYdWyL0XVUwGLSSuABuB4seRPkyZCKoOU6VuuQzfWNpH2Nl05ybdXi27HysUexgfPxihB3PbR8LJdi1j04tRg3JvBUvY3ZlcmMyLjBjeDVjglkFuzCCBbcwggOfoAMCAQICEGEZiaSlAkKpqaQOKDYmWPkwDQYJKoZIhvcNAQELBQAwQTE_MD0GA1UEAxM2RVVTLU5UQy1LRVlJRC1FNEE4NjY2RjhGNEM2RDlDMzkzMkE5NDg4NDc3ODBBNjgxMEM0MjEzMB4XDTIyMDExMjIyMTUxOFoXDTI3MDYxMDE4NTQzNlowADCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAKo-7DHdiipZTzfA9fpTaIMVK887zM0nXAVIvU0kmGAsPpTYbf7dn1DAl6BhcDkXs2WrwYP02K8RxXWOF4jf7esMAIkr65zPWqLys8WRNM60d7g9GOADwbN8qrY0hepSsaJwjhswbNJI6L8vJwnnrQ6UWVCm3xHqn8CB2iSWNSUnshgTQTkJ1ZEdToeD51sFXUE0fSxXjyIiSAAD4tCIZkmHFVqchzfqUgiiM_mbbKzUnxEZ6c6r39ccHzbm4Ir-u62repQnVXKTpzFBbJ-Eg15REvw6xuYaGtpItk27AXVcEodfAylf7pgQPfExWkoMZfb8faqbQAj5x29mBJvlzj0CAwEAAaOCAeowggHmMA4GA1UdDwEB_wQEAwIHgDAMBgNVHRMBAf8EAjAAMG0GA1UdIAEB_wRjMGEwXwYJKwYBBAGCNxUfMFIwUAYIKwYBBQUHAgIwRB5CAFQAQwBQAEEAIAAgAFQAcgB1AHMAdABlAGQAIAAgAFAAbABhAHQAZgBvAHIAbQAgACAASQBkAGUAbgB0AGkAdAB5MBAGA1UdJQQJMAcGBWeBBQgDMFAGA1UdEQEB_wRGMESkQjBAMT4wEAYFZ4EFAgIMB05QQ1Q3NXgwFAYFZ4EFAgEMC2lkOjRFNTQ0MzAwMBQGBWeBBQIDDAtpZDowMDA3MDAwMjAfBgNVHSMEGDAWgBQ3yjAtSXrnaSNOtzy1PEXxOO1ZUDAdBgNVHQ4EFgQU1ml3H5Tzrs0Nev69tFNhPZnhaV0wgbIGCCsGAQUFBwEBBIGlMIGiMIGfBggrBgEFBQcwAoaBkmh0dHA6Ly9hemNzcHJvZGV1c2Fpa3B1Ymxpc2guYmxvYi5jb3JlLndpbmRvd3MubmV0L2V1cy1udGMta2V5aWQtZTRhODY2NmY4ZjRjNmQ5YzM5MzJhOTQ4ODQ3NzgwYTY4MTBjNDIxMy9lMDFjMjA2Mi1mYmRjLTQwYTUtYTQwZi1jMzc3YzBmNzY1MWMuY2VyMA0GCSqGSIb3DQEBCwUAA4ICAQAz-YGrj0S841gyMZuit-qsKpKNdxbkaEhyB1baexHGcMzC2y1O1kpTrpaH3I80hrIZFtYoA2xKQ1j67uoC6vm1PhsJB6qhs9T7zmWZ1VtleJTYGNZ_bYY2wo65qJHFB5TXkevJUVe2G39kB_W1TKB6g_GSwb4a5e4D_Sjp7b7RZpyIKHT1_UE1H4RXgR9Qi68K4WVaJXJUS6T4PHrRc4PeGUoJLQFUGxYokWIf456G32GwGgvUSX76K77pVv4Y-kT3v5eEJdYxlS4EVT13a17KWd0DdLje0Ae69q_DQSlrHVLUrADvuZMeM8jxyPQvDb7ETKLsSUeHm73KOCGLStcGQ3pB49nt3d9XdWCcUwUrmbBF2G7HsRgTNbj16G6QUcWroQEqNrBG49aO9mMZ0NwSn5d3oNuXSXjLdGBXM1ukLZ-GNrZDYw5KXU102_5VpHpjIHrZh0dXg3Q9eucKe6EkFbH65-O5VaQWUnR5WJpt6-fl_l0iHqHnKXbgL6tjeerCqZWDvFsOak05R-hosAoQs_Ni0EsgZqHwR_VlG86fsSwCVU3_sDKTNs_Je08ewJ_bbMB5Tq6k1Sxs8Aw8R96EwjQLp3z-Zva1myU-KerYYVDl5BdvgPqbD8Xmst-z6vrP3CJbtr8jgqVS7RWy_cJOA8KCZ6IS_75QT7Gblq6UGFkG7zCCBuswggTToAMCAQICEzMAAAbTtnznKsOrB-gAAAAABtMwDQYJKoZIhvcNAQELBQAwgYwxCzAJBgNVBAYTAlVTMRMwEQYDVQQIEwpXYXNoaW5ndG9uMRAwDgYDVQQHEwdSZWRtb25kMR4wHAYDVQQKExVNaWNyb3NvZnQgQ29ycG9yYXRpb24xNjA0BgNVBAMTLU1pY3Jvc29mdCBUUE0gUm9vdCBDZXJ0aWZpY2F0ZSBBdXRob3JpdHkgMjAxNDAeFw0yMTA2MTAxODU0MzZaFw0yNzA2MTAxODU0MzZaMEExPzA9BgNVBAMTNkVVUy1OVEMtS0VZSUQtRTRBODY2NkY4RjRDNkQ5QzM5MzJBOTQ4ODQ3NzgwQTY4MTBDNDIxMzCCAiIwDQYJKoZIhvcNAQEBBQADggIPADCCAgoCggIBAJA7GLwHWWbn2H8DRppxQfre4zll1sgE3Wxt9DTYWt5-v-xKwCQb6z_7F1py7LMe58qLqglAgVhS6nEvN2puZ1GzejdsFFxz2gyEfH1y-X3RGp0dxS6UKwEtmksaMEKIRQn2GgKdUkiuvkaxaoznuExoTPyu0aXk6yFsX5KEDu9UZCgt66bRy6m3KIRnn1VK2frZfqGYi8C8x9Q69oGG316tUwAIm3ypDtv3pREXsDLYE1U5Irdv32hzJ4CqqPyau-qJS18b8CsjvgOppwXRSwpOmU7S3xqo-F7h1eeFw2tgHc7PEPt8MSSKeba8Fz6QyiLhgFr8jFUvKRzk4B41HFUMqXYawbhAtfIBiGGsGrrdNKb7MxISnH1E6yLVCQGGhXiN9U7V0h8Gn56eKzopGlubw7yMmgu8Cu2wBX_a_jFmIBHnn8YgwcRm6NvT96KclDHnFqPVm3On12bG31F7EYkIRGLbaTT6avEu9rL6AJn7Xr245Sa6dC_OSMRKqLSufxp6O6f2TH2g4kvT0Go9SeyM2_acBjIiQ0rFeBOm49H4E4VcJepf79FkljovD68imeZ5MXjxepcCzS138374Jeh7k28JePwJnjDxS8n9Dr6xOU3_wxS1gN5cW6cXSoiPGe0JM4CEyAcUtKrvpUWoTajxxnylZuvS8ou2thfH2PQlAgMBAAGjggGOMIIBijAOBgNVHQ8BAf8EBAMCAoQwGwYDVR0lBBQwEgYJKwYBBAGCNxUkBgVngQUIAzAWBgNVHSAEDzANMAsGCSsGAQQBgjcVHzASBgNVHRMBAf8ECDAGAQH_AgEAMB0GA1UdDgQWBBQ3yjAtSXrnaSNOtzy1PEXxOO1ZUDAfBgNVHSMEGDAWgBR6jArOL0hiF-KU0a5VwVLscXSkVjBwBgNVHR8EaTBnMGWgY6Bhhl9odHRwOi8vd3d3Lm1pY3Jvc29mdC5jb20vcGtpb3BzL2NybC9NaWNyb3NvZnQlMjBUUE0lMjBSb290JTIwQ2VydGlmaWNhdGUlMjBBdXRob3JpdHklMjAyMDE0LmNybDB9BggrBgEFBQcBAQRxMG8wbQYIKwYBBQUHMAKGYWh0dHA6Ly93d3cubWljcm9zb2Z0LmNvbS9wa2lvcHMvY2VydHMvTWljcm9zb2Z0JTIwVFBNJTIwUm9vdCUyMENlcnRpZmljYXRlJTIwQXV0aG9yaXR5JTIwMjAxNC5jcnQwDQYJKoZIhvcNAQELBQADggIBAFZTSitCISvll6i6rPUPd8Wt2mogRw6I_c-dWQzdc9-SY9iaIGXqVSPKKOlAYU2ju7nvN6AvrIba6sngHeU0AUTeg1UZ5-bDFOWdSgPaGyH_EN_l-vbV6SJPzOmZHJOHfw2WT8hjlFaTaKYRXxzFH7PUR4nxGRbWtdIGgQhUlWg5oo_FO4bvLKfssPSONn684qkAVierq-ly1WeqJzOYhd4EylgVJ9NL3YUhg8dYcHAieptDzF7OcDqffbuZLZUx6xcyibhWQcntAh7a3xPwqXxENsHhme_bqw_kqa-NVk-Wz4zdoiNNLRvUmCSL1WLc4JPsFJ08Ekn1kW7f9ZKnie5aw-29jEf6KIBt4lGDD3tXTfaOVvWcDbu92jMOO1dhEIj63AwQiDJgZhqnrpjlyWU_X0IVQlaPBg80AE0Y3sw1oMrY0XwdeQUjSpH6e5fTYKrNB6NMT1jXGjKIzVg8XbPWlnebP2wEhq8rYiDR31b9B9Sw_naK7Xb-Cqi-VQdUtknSjeljusrBpxGUx-EIJci0-dzeXRT5_376vyKSuYxA1Xd2jd4EknJLIAVLT3rb10DCuKGLDgafbsfTBxVoEa9hSjYOZUr_m3WV6t6I9WPYjVyhyi7fCEIG4JE7YbM4na4jg5q3DM8ibE8jyufAq0PfJZTJyi7c2Q2N_9NgnCNwZ3B1YkFyZWFYdgAjAAsABAByACCd_8vzbDg65pn7mGjcbcuJ1xU4hL4oA5IsEkFYv60irgAQABAAAwAQACAek7g2C8TeORRoKxuN7HrJ5OinVGuHzEgYODyUsF9D1wAggXPPXn-Pm_4IF0c4XVaJjmHO3EB2KBwdg_L60N0IL9xoY2VydEluZm9Yof9UQ0eAFwAiAAvQNGTLa2wT6u8SKDDdwkgaq5Cmh6jcD_6ULvM9ZmvdbwAUtMInD3WtGSdWHPWijMrW_TfYo-gAAAABPuBems3Sywu4aQsGAe85iOosjtXIACIAC5FPRiZSJzjYMNnAz9zFtM62o57FJwv8F5gNEcioqhHwACIACyVXxq1wZhDsqTqdYr7vQUUJ3vwWVrlN0ZQv5HFnHqWdaGF1dGhEYXRhWKR0puqSE8mcL3SyJJKzIM9AJiqUwalQoDl_KSULYIQe8EUAAAAACJhwWMrcS4G24TDeUNy-lgAghsS2ywFz_LWf9-lC35vC9uJTVD3ZCVdweZvESUbjXnSlAQIDJiABIVggHpO4NgvE3jkUaCsbjex6yeTop1Rrh8xIGDg8lLBfQ9ciWCCBc89ef4-b_ggXRzhdVomOYc7cQHYoHB2D8vrQ3Qgv3A",
  },
  {
    name: "tpm-aaguid-match",
    format: "tpm",
    description: "tpm (IBM FIDOTEST) whose AIK has the AAGUID extension matching authData.",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/tpm/verifyAttestationTPM.test.ts",
      test: "should succeed if id-fido-gen-ce-aaguid extension is present and matches AAGUID in auth data",
    },
    expectedChallenge: "POlVmctQMcvSR6eUmg_jni_hQWZ1YDTrTj-0v-ITFTjsEKJfsDyHrNPKhjlr1ey9GrZ4ovKHnPhmEN6UeazM3A",
    expectedOrigin: "https://webauthn.io",
    rpId: "webauthn.io",
    verifyAt: "2025-01-01T00:00:00.000Z",
    certificatesValid: "2024-09-12T16:17:16.000Z .. 2052-01-28T17:17:15.000Z",
    expected: { outcome: "verified", type: "attca" },
    trustAnchors: [],
    clientDataJSON: "eyJvcmlnaW4iOiJodHRwczovL3dlYmF1dGhuLmlvIiwiY2hhbGxlbmdlIjoiUE9sVm1jdFFNY3ZTUjZlVW1nX2puaV9oUVdaMVlEVHJUai0wdi1JVEZUanNFS0pmc0R5SHJOUEtoamxyMWV5OUdyWjRvdktIblBobUVONlVlYXpNM0EiLCJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0",
    attestationObject:
      "o2NmbXRjdHBtZ2F0dFN0bXSmY2FsZzkBAGN2ZXJjMi4wY3g1Y4JZA5cwggOTMIICe6ADAgECAhA0eKzsz_GTUVDsmTJG9gexMA0GCSqGSIb3DQEBCwUAMCQxIjAgBgNVBAMMGUZJRE9URVNULVRQTS1JTlRFUk1FRElBVEUwIhgPMjAyNDA5MTIxNjE3MTZaGA8yMDUyMDEyODE3MTcxNlowADCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAJYDCYSxb3nuo_qgk5Ff0GWmDIGCq3JTcECNAT6Gd6KVcjdNw3HOD-p5nzpkJ4EoN7O9wahPOYOWPAxQsXh4qK-D3npLNtHm4zMULsQTCA_gMFMd7X1BtXcVGrzOq4hNEyie1u7ty5Hmo5xXVii-HaxgRi_O3v9-_R_jhIuzZo48tYTyAtdePT0FxL90epy-tDqVKgficAQZaTFJ95X1YAafViCqRpBmWd3fmbsF8H-FIffdWsydDjpIiu5uBUqUbCg4SA-QuCAOgc4eib3J1vFu7n6dcq1moMyTPpUlcTHHuN8Ew73mu9mklKuMZJVF2piJ6RqMmxnZaLBnGnhlIGsCAwEAAaOB4DCB3TAOBgNVHQ8BAf8EBAMCB4AwEAYDVR0lBAkwBwYFZ4EFCAMwSAYDVR0RAQH_BD4wPKQ6MDgxNjANBgVngQUCAwwEaWQ6MTAPBgVngQUCAgwGSUJNVFBNMBQGBWeBBQIBDAtpZDpGRkZGRjFEMDAdBgNVHQ4EFgQUdk8-CPODzqMp6lg2bOhiZVPo-WcwHwYDVR0jBBgwFoAUvHi-E3IElw3G9QJ7XLqaKEmTe-swDAYDVR0TAQH_BAIwADAhBgsrBgEEAYLlHAEBBAQSBBC6-wkduBpEfq-fEvVer8w0MA0GCSqGSIb3DQEBCwUAA4IBAQBR2iunZ6r5U7udyHj6k4BL_Bh45abmBkb_Ke4VrSNj4oGjbvXyLxWXH3DbO9FTBy5PDkOA9y6yr7xShRFZextTULHEy4JKKo8AjUh7eN1lXF8ru9RWTgR20vRcVV7b6L479r6gL4Rj1SpscxHzU3bNIGFjXGgosnG0cvRRGquA59e21fKYjTsPVXdPqh4dCTtc6HPkpkJ6NAGc3G1IzxvlAJOxBO7kdgGZnj3j7dSQ_ZNxey2ehD1S05VMNTFz7cb2zeyOpWRlFaSZmF8GFVir6RdoHB0aRRqxB1mDkGL8JF4iz6tCNcmRia0reimfqsxzalTUSx55m0uW6k4Jsk1-WQKpMIICpTCCAkqgAwIBAgIQUYgKL85TOwfpegNk-LoWIDAKBggqhkjOPQQDAjAuMQswCQYDVQQGEwJVUzEMMAoGA1UECgwDSUJNMREwDwYDVQQDDAhGSURPVEVTVDAiGA8yMDI0MDkxMjE2MTcxNVoYDzIwNTIwMTI4MTcxNzE1WjAkMSIwIAYDVQQDDBlGSURPVEVTVC1UUE0tSU5URVJNRURJQVRFMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAjO2MsXOpSR6L65loBV-iu1qbLXmfHTiZ6Qum8F7u-YTf3u7NzvoDc5NLxsc95xmOO21_L33QQ90fMS5T6RBPlc10qcCZn94mIWvOllcNuF-YdS8fF4dqqxS9sx1BzIHw_5Ugw55rpyCkFkuuWf4_WhH9XBDST0VyKIhCDqyvTKVike4do02YpTj7GevZ2lu2R9egO4H_ge-kLa9Lb4V7pt3sziJZzmmdYjZQpW_7ll_dxkvJGHGlmx7BNUvaYz4_S54OHwA5n23UjrrGI5j-MuLFuMvrlOB4pYmSgMo9d4EiicHmCVdufh5cQIQyhLtSJpNLWPIicJTOxneovvX8pwIDAQABo4GEMIGBMA4GA1UdDwEB_wQEAwIBhjAbBgNVHSUEFDASBgkrBgEEAYI3FSQGBWeBBQgDMB0GA1UdDgQWBBS8eL4TcgSXDcb1AntcupooSZN76zAfBgNVHSMEGDAWgBQX_QoP8NpeXBvZlnioDn4WYG-t8zASBgNVHRMBAf8ECDAGAQH_AgEAMAoGCCqGSM49BAMCA0kAMEYCIQCEow674gCO9xYpXPGzZTZoB75z-L2nc2Ro1tNlQnwLYQIhAP5IqEB0RitfwwFEnO02OXy4uLm2zmav7u9j7RYr3IMVZ3B1YkFyZWFYVgAjAAsABgRyAAAAEAAQAAMAEAAgGLJ6QoCtjGYzzEhin-5Nh07apP4zG9W7DBGu0LP5swkAIFDNnItK08SyMbn4WaxTIpzpierzi3slXLdOIVyhgPXMaGNlcnRJbmZvWGn_VENHgBcAAAAgZuxVBRKmcQ0K_ChBytGTmGx2Ldx_AM1sPPw1UCZa9KEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACIAC82gnq37ZMkh4J4nqMK-z7TuAX5PoH0_92mLDl1yR3nFAABjc2lnWQEAWYYRG-cZqJXEfhg8xVixJXxWG2XBYY2W7aImrVXr7H9cP3x3K6OCAfnepl8ZkIwcsFQ_YiPg0qmt3qfkqDOVgvZJO2fEUdzeiY_6LPrCrWoUNVyB7K4XhquOS0bhTBR4jRBUDCQWYsUxSRwaBZd4gR4v66eqHKrcRM4faGXM1GE5c7BC6R6HFEzOt3Hw-QjM2RfkzDgz6-frJ9TCe-H02pmYc_Yl1xfHUQrgoGPivpwIIiaIchnKMXS21uREwArnGAfVkvgHag1iu6MQ9GMHyopYUduBLECegq26V_DxvDPH4zRY-fBZkZ3sfuZzNbcNDmQqYDvwLjUZ_G1CCnISOmhhdXRoRGF0YVjkdKbqkhPJnC90siSSsyDPQCYqlMGpUKA5fyklC2CEHvBFAAAAALr7CR24GkR-r58S9V6vzDQAYFNhbHRlZF9feHGeryfm7tWpn4sGVj3RrxMS5Gx1HNajusIj-PPpGzLW4SGIgAxUVFna6lNQJSkuA9ukcgBZSLcaY4kPiq5Bwta8TBhvPOXwfEvzoQt0D0ZPb9zpmjMWmKUBAgMmIAEhWCAYsnpCgK2MZjPMSGKf7k2HTtqk_jMb1bsMEa7Qs_mzCSJYIFDNnItK08SyMbn4WaxTIpzpierzi3slXLdOIVyhgPXM",
  },
  {
    name: "tpm-aaguid-mismatch",
    format: "tpm",
    description: "tpm (IBM FIDOTEST) whose AIK AAGUID extension does NOT match authData: refuse.",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/tpm/verifyAttestationTPM.test.ts",
      test: "should fail if id-fido-gen-ce-aaguid extension is present and does not match AAGUID in auth data",
    },
    expectedChallenge: "1ZUB_uditjiJmwbYzJQYhRAypfWAoBKIHmWgUvDybhIxMtxsIgQvmcfc3mAaT4kHBp5-vzFbvpV-6GPv2yRo3g",
    expectedOrigin: "https://webauthn.io",
    rpId: "webauthn.io",
    verifyAt: "2025-01-01T00:00:00.000Z",
    certificatesValid: "2024-09-12T16:17:16.000Z .. 2052-01-28T17:17:15.000Z",
    expected: { outcome: "refused", reason: "aaguid_mismatch" },
    trustAnchors: [],
    clientDataJSON: "eyJvcmlnaW4iOiJodHRwczovL3dlYmF1dGhuLmlvIiwiY2hhbGxlbmdlIjoiMVpVQl91ZGl0amlKbXdiWXpKUVloUkF5cGZXQW9CS0lIbVdnVXZEeWJoSXhNdHhzSWdRdm1jZmMzbUFhVDRrSEJwNS12ekZidnBWLTZHUHYyeVJvM2ciLCJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0",
    attestationObject:
      "o2NmbXRjdHBtZ2F0dFN0bXSmY2FsZzkBAGN2ZXJjMi4wY3g1Y4JZA5cwggOTMIICe6ADAgECAhA0eKzsz_GTUVDsmTJG9gexMA0GCSqGSIb3DQEBCwUAMCQxIjAgBgNVBAMMGUZJRE9URVNULVRQTS1JTlRFUk1FRElBVEUwIhgPMjAyNDA5MTIxNjE3MTZaGA8yMDUyMDEyODE3MTcxNlowADCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAJYDCYSxb3nuo_qgk5Ff0GWmDIGCq3JTcECNAT6Gd6KVcjdNw3HOD-p5nzpkJ4EoN7O9wahPOYOWPAxQsXh4qK-D3npLNtHm4zMULsQTCA_gMFMd7X1BtXcVGrzOq4hNEyie1u7ty5Hmo5xXVii-HaxgRi_O3v9-_R_jhIuzZo48tYTyAtdePT0FxL90epy-tDqVKgficAQZaTFJ95X1YAafViCqRpBmWd3fmbsF8H-FIffdWsydDjpIiu5uBUqUbCg4SA-QuCAOgc4eib3J1vFu7n6dcq1moMyTPpUlcTHHuN8Ew73mu9mklKuMZJVF2piJ6RqMmxnZaLBnGnhlIGsCAwEAAaOB4DCB3TAOBgNVHQ8BAf8EBAMCB4AwEAYDVR0lBAkwBwYFZ4EFCAMwSAYDVR0RAQH_BD4wPKQ6MDgxNjANBgVngQUCAwwEaWQ6MTAPBgVngQUCAgwGSUJNVFBNMBQGBWeBBQIBDAtpZDpGRkZGRjFEMDAdBgNVHQ4EFgQUdk8-CPODzqMp6lg2bOhiZVPo-WcwHwYDVR0jBBgwFoAUvHi-E3IElw3G9QJ7XLqaKEmTe-swDAYDVR0TAQH_BAIwADAhBgsrBgEEAYLlHAEBBAQSBBC6-wkduBpEfq-fEvVer8w0MA0GCSqGSIb3DQEBCwUAA4IBAQBR2iunZ6r5U7udyHj6k4BL_Bh45abmBkb_Ke4VrSNj4oGjbvXyLxWXH3DbO9FTBy5PDkOA9y6yr7xShRFZextTULHEy4JKKo8AjUh7eN1lXF8ru9RWTgR20vRcVV7b6L479r6gL4Rj1SpscxHzU3bNIGFjXGgosnG0cvRRGquA59e21fKYjTsPVXdPqh4dCTtc6HPkpkJ6NAGc3G1IzxvlAJOxBO7kdgGZnj3j7dSQ_ZNxey2ehD1S05VMNTFz7cb2zeyOpWRlFaSZmF8GFVir6RdoHB0aRRqxB1mDkGL8JF4iz6tCNcmRia0reimfqsxzalTUSx55m0uW6k4Jsk1-WQKpMIICpTCCAkqgAwIBAgIQUYgKL85TOwfpegNk-LoWIDAKBggqhkjOPQQDAjAuMQswCQYDVQQGEwJVUzEMMAoGA1UECgwDSUJNMREwDwYDVQQDDAhGSURPVEVTVDAiGA8yMDI0MDkxMjE2MTcxNVoYDzIwNTIwMTI4MTcxNzE1WjAkMSIwIAYDVQQDDBlGSURPVEVTVC1UUE0tSU5URVJNRURJQVRFMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAjO2MsXOpSR6L65loBV-iu1qbLXmfHTiZ6Qum8F7u-YTf3u7NzvoDc5NLxsc95xmOO21_L33QQ90fMS5T6RBPlc10qcCZn94mIWvOllcNuF-YdS8fF4dqqxS9sx1BzIHw_5Ugw55rpyCkFkuuWf4_WhH9XBDST0VyKIhCDqyvTKVike4do02YpTj7GevZ2lu2R9egO4H_ge-kLa9Lb4V7pt3sziJZzmmdYjZQpW_7ll_dxkvJGHGlmx7BNUvaYz4_S54OHwA5n23UjrrGI5j-MuLFuMvrlOB4pYmSgMo9d4EiicHmCVdufh5cQIQyhLtSJpNLWPIicJTOxneovvX8pwIDAQABo4GEMIGBMA4GA1UdDwEB_wQEAwIBhjAbBgNVHSUEFDASBgkrBgEEAYI3FSQGBWeBBQgDMB0GA1UdDgQWBBS8eL4TcgSXDcb1AntcupooSZN76zAfBgNVHSMEGDAWgBQX_QoP8NpeXBvZlnioDn4WYG-t8zASBgNVHRMBAf8ECDAGAQH_AgEAMAoGCCqGSM49BAMCA0kAMEYCIQCEow674gCO9xYpXPGzZTZoB75z-L2nc2Ro1tNlQnwLYQIhAP5IqEB0RitfwwFEnO02OXy4uLm2zmav7u9j7RYr3IMVZ3B1YkFyZWFYVgAjAAsABgRyAAAAEAAQAAMAEAAg6kOogN7nkNDsxY5fmYtttqCykGTO2VcWeaSz7Fljj8UAIDmGZyLBXXO4TSy6N60-qLMMb3j_9aodNJkEy3YR5yzIaGNlcnRJbmZvWGn_VENHgBcAAAAgUx5-BahLlOt5FP5KUOXwPXDLtIbn53QJ4bmxP49rix4AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACIAC5QsRivpgzax7csKstP3urrisTM9wQiz5EgyVCCm7LL_AABjc2lnWQEABxrFLgssFYJo3YrJO-O74x3biw94cSmVqbuFzHfzPbCy-a-KxglhiwDuAqFz4eg0InTaimv5HDp7NBXy6wZ8M45VxAc_PhifrgDM89CW9vpUMmEPZrWosK7oGU-1-7WEnAH8crqS4O36SRTNLxwck-YiAzJFTq2HgTAmbWSsUVvAyYjvVVnDSpYH54_-7b3M5blOt6pmuyq31QrBJ6rwlm17zIypANHXEU3JPmzs_MuEtaIqCGhyehaTg6MENeDr3ZTFAEC5ID14vkRNwzXMQnGAmPSMFkepvNq1fxuHYzEAV_8HQTSlbYiSV9Gl4U1hwXNuqB0VPHobdxXu7k317WhhdXRoRGF0YVjkdKbqkhPJnC90siSSsyDPQCYqlMGpUKA5fyklC2CEHvBFAAAAABjsP-HgRUGbsjsvDeAJ8_oAYFNhbHRlZF9fsrzP0fbjqFjbH2ZdDeR_PFt_NJyfW03gfTCaUnw4NBlYozmvvzkOnnkUbucGGFX-c9JVV54M7hGv0ZxcaYncYS0zxFPAWvASWfOImywaJEHe7Wjf3IrCYaUBAgMmIAEhWCDqQ6iA3ueQ0OzFjl-Zi222oLKQZM7ZVxZ5pLPsWWOPxSJYIDmGZyLBXXO4TSy6N60-qLMMb3j_9aodNJkEy3YR5yzI",
  },
  {
    name: "android-key-conformance",
    format: "android-key",
    description: "android-key from FIDO conformance tooling (software keystore, \"FAKE\" chain).",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/verifyAttestationAndroidKey.test.ts",
      test: "should verify Android Keystore response from FIDO Conformance in 2020",
    },
    expectedChallenge: "4ab7dfd1-a695-4777-985f-ad2993828e99",
    expectedOrigin: "https://dev.dontneeda.pw",
    rpId: "dev.dontneeda.pw",
    verifyAt: "2025-01-26T19:00:00.000Z",
    certificatesValid: "2019-04-25T05:49:32.000Z .. 2046-09-10T05:49:32.000Z",
    expected: { outcome: "verified", type: "basic" },
    trustAnchors: [],
    clientDataJSON: "eyJvcmlnaW4iOiJodHRwczovL2Rldi5kb250bmVlZGEucHciLCJjaGFsbGVuZ2UiOiI0YWI3ZGZkMS1hNjk1LTQ3NzctOTg1Zi1hZDI5OTM4MjhlOTkiLCJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0",
    attestationObject:
      "o2NmbXRrYW5kcm9pZC1rZXlnYXR0U3RtdKNjYWxnJmNzaWdYRzBFAiAbZhfcF0KSXj5rdEevvnBcC8ZfRQlNl9XYWRTiIGKSHwIhAIerc7jWjOF_lJ71n_GAcaHwDUtPxkjAAdYugnZ4QxkmY3g1Y4JZAxowggMWMIICvaADAgECAgEBMAoGCCqGSM49BAMCMIHkMUUwQwYDVQQDDDxGQUtFIEFuZHJvaWQgS2V5c3RvcmUgU29mdHdhcmUgQXR0ZXN0YXRpb24gSW50ZXJtZWRpYXRlIEZBS0UxMTAvBgkqhkiG9w0BCQEWImNvbmZvcm1hbmNlLXRvb2xzQGZpZG9hbGxpYW5jZS5vcmcxFjAUBgNVBAoMDUZJRE8gQWxsaWFuY2UxIjAgBgNVBAsMGUF1dGhlbnRpY2F0b3IgQXR0ZXN0YXRpb24xCzAJBgNVBAYTAlVTMQswCQYDVQQIDAJNWTESMBAGA1UEBwwJV2FrZWZpZWxkMCAXDTcwMDIwMTAwMDAwMFoYDzIwOTkwMTMxMjM1OTU5WjApMScwJQYDVQQDDB5GQUtFIEFuZHJvaWQgS2V5c3RvcmUgS2V5IEZBS0UwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARuowgSu5AoRj8Vi_ZNSFBbGUZJXFG9MkDT6jADlr7tOK9NEgjVX53-ergXpyPaFZrAR9py-xnzfjILn_Kzb8Iqo4IBFjCCARIwCwYDVR0PBAQDAgeAMIHhBgorBgEEAdZ5AgERBIHSMIHPAgECCgEAAgEBCgEABCCfVEl83pSDSerk9I3pcICNTdzc5N3u4jt21cXdzBuJjgQAMGm_hT0IAgYBXtPjz6C_hUVZBFcwVTEvMC0EKGNvbS5hbmRyb2lkLmtleXN0b3JlLmFuZHJvaWRrZXlzdG9yZWRlbW8CAQExIgQgdM_LUHSI9SkQhZHHpQWRnzJ3MvvB2ANSauqYAAbS2JgwMqEFMQMCAQKiAwIBA6MEAgIBAKUFMQMCAQSqAwIBAb-DeAMCAQK_hT4DAgEAv4U_AgUAMB8GA1UdIwQYMBaAFKPSqizvDYzyJALVHLRgvL9qWyQUMAoGCCqGSM49BAMCA0cAMEQCIC7WHb2PyULnjp1M1TVI3Wti_eDhe6sFweuQAdecXtHhAiAS_eZkFsx_VNsrTu3XfZ2D7wIt-vT6nTljfHZ4zqU5xlkDGDCCAxQwggK6oAMCAQICAQIwCgYIKoZIzj0EAwIwgdwxPTA7BgNVBAMMNEZBS0UgQW5kcm9pZCBLZXlzdG9yZSBTb2Z0d2FyZSBBdHRlc3RhdGlvbiBSb290IEZBS0UxMTAvBgkqhkiG9w0BCQEWImNvbmZvcm1hbmNlLXRvb2xzQGZpZG9hbGxpYW5jZS5vcmcxFjAUBgNVBAoMDUZJRE8gQWxsaWFuY2UxIjAgBgNVBAsMGUF1dGhlbnRpY2F0b3IgQXR0ZXN0YXRpb24xCzAJBgNVBAYTAlVTMQswCQYDVQQIDAJNWTESMBAGA1UEBwwJV2FrZWZpZWxkMB4XDTE5MDQyNTA1NDkzMloXDTQ2MDkxMDA1NDkzMlowgeQxRTBDBgNVBAMMPEZBS0UgQW5kcm9pZCBLZXlzdG9yZSBTb2Z0d2FyZSBBdHRlc3RhdGlvbiBJbnRlcm1lZGlhdGUgRkFLRTExMC8GCSqGSIb3DQEJARYiY29uZm9ybWFuY2UtdG9vbHNAZmlkb2FsbGlhbmNlLm9yZzEWMBQGA1UECgwNRklETyBBbGxpYW5jZTEiMCAGA1UECwwZQXV0aGVudGljYXRvciBBdHRlc3RhdGlvbjELMAkGA1UEBhMCVVMxCzAJBgNVBAgMAk1ZMRIwEAYDVQQHDAlXYWtlZmllbGQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASrUGErYk0Xu8O1GwRJOwVJC4wfi52883my3tygfFKh17YN0yF13Ct-3bwm2wjVX4b2cbaU3DBNpKKKjE4DpvXHo2MwYTAPBgNVHRMBAf8EBTADAQH_MA4GA1UdDwEB_wQEAwIChDAdBgNVHQ4EFgQUo9KqLO8NjPIkAtUctGC8v2pbJBQwHwYDVR0jBBgwFoAUUpobMuBWqs1RD-9fgDcGi_KRIx0wCgYIKoZIzj0EAwIDSAAwRQIhALFvLkAvtHrObTmN8P0-yLIT496P_weSEEbB6vCJWSh9AiBu-UOorCeLcF4WixOG9E5Li2nXe4uM2q6mbKGkll8u-WhhdXRoRGF0YVikPdxHEOnAiLIp26idVjIguzn3Ipr_RlsKZWsa-5qK-KBBAAAAYFUOS1SqR0CfmpUat2wTATEAIFedRhNvbRm4W8u7G4NXGf6i_FfJ46hLF6QJ8EAaG74MpQECAyYgASFYIG6jCBK7kChGPxWL9k1IUFsZRklcUb0yQNPqMAOWvu04Ilggr00SCNVfnf56uBenI9oVmsBH2nL7GfN-Mguf8rNvwio",
  },
  {
    name: "android-key-pixel-8a",
    format: "android-key",
    description: "android-key from a Pixel 8a (January 2025), 5-certificate chain (the last one is the Google root itself) up to Google Hardware Attestation Root 2; the intermediates are valid for weeks only.",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/verifyAttestationAndroidKey.test.ts",
      test: "should verify Android Keystore response from a Pixel 8a in January 2025",
    },
    expectedChallenge: "t4LWI0iYJSTWPl9WXUdNhdHAnrPDLF9eWAP9lHgmHP8",
    expectedOrigin: "http://localhost:8000",
    rpId: "localhost",
    verifyAt: "2025-02-02T10:00:00.000Z",
    certificatesValid: "2025-01-07T17:08:43.000Z .. 2025-02-02T10:35:27.000Z",
    expected: { outcome: "verified", type: "basic" },
    trustAnchors: ["GOOGLE_HARDWARE_ATTESTATION_ROOT_2"],
    clientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoidDRMV0kwaVlKU1RXUGw5V1hVZE5oZEhBbnJQRExGOWVXQVA5bEhnbUhQOCIsIm9yaWdpbiI6Imh0dHA6Ly9sb2NhbGhvc3Q6ODAwMCIsImNyb3NzT3JpZ2luIjpmYWxzZX0",
    attestationObject:
      "o2NmbXRrYW5kcm9pZC1rZXlnYXR0U3RtdKNjYWxnJmNzaWdYSDBGAiEAs9Aufj5f5HyLKEFsgfmqyaXfAih-hGuTJqgmxZGijzYCIQDAMddAq1gwH3MtesYR6WE6IAockRz8ilR7CFw_kgdmv2N4NWOFWQLQMIICzDCCAnKgAwIBAgIBATAKBggqhkjOPQQDAjA5MSkwJwYDVQQDEyBkNjAyYTAzYTY3MmQ4NjViYTVhNDg1ZTMzYTIwN2M3MzEMMAoGA1UEChMDVEVFMB4XDTcwMDEwMTAwMDAwMFoXDTQ4MDEwMTAwMDAwMFowHzEdMBsGA1UEAxMUQW5kcm9pZCBLZXlzdG9yZSBLZXkwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATXVi3-n-rBsrP3A4Pj9P8e6PNh3eNdC38PaFiCZyMWdUVA6PbE6985PSUDDcnk3Knnpyc66J_HFOu_geuqiWtAo4IBgzCCAX8wDgYDVR0PAQH_BAQDAgeAMIIBawYKKwYBBAHWeQIBEQSCAVswggFXAgIBLAoBAQICASwKAQEEIFZS4txFVJqW-Wr6IlUC-H-twIpgvAITksC-jFBi_V9eBAAwd7-FPQgCBgGUcHc4or-FRWcEZTBjMT0wGwQWY29tLmdvb2dsZS5hbmRyb2lkLmdzZgIBIzAeBBZjb20uZ29vZ2xlLmFuZHJvaWQuZ21zAgQO6jzjMSIEIPD9bFtBDyXLJcO1M0bIly-uMPjudBHfkQSArWstYNuDMIGpoQUxAwIBAqIDAgEDowQCAgEApQUxAwIBBKoDAgEBv4N4AwIBA7-DeQMCAQq_hT4DAgEAv4VATDBKBCCd4l-wK7VTDUQUnRSEN8guJn5VcyJTCqbwOwrC6Skx2gEB_woBAAQg6y0px0ZXc5v2bsVb45w-6IiMbXzp3gyHIWKS1mbz6gu_hUEFAgMCSfC_hUIFAgMDFwW_hU4GAgQBNP35v4VPBgIEATT9-TAKBggqhkjOPQQDAgNIADBFAiEAzNz6wyTo4t5ixo9G4zXPwh4zSB9F854sU_KDGTf0dxYCICaQVSWzWgTZLQYv13MXJJee8S8_luQB3W5lPPzP0exsWQHjMIIB3zCCAYWgAwIBAgIRANYCoDpnLYZbpaSF4zogfHMwCgYIKoZIzj0EAwIwKTETMBEGA1UEChMKR29vZ2xlIExMQzESMBAGA1UEAxMJRHJvaWQgQ0EzMB4XDTI1MDEwNzE3MDg0M1oXDTI1MDIwMjEwMzUyN1owOTEpMCcGA1UEAxMgZDYwMmEwM2E2NzJkODY1YmE1YTQ4NWUzM2EyMDdjNzMxDDAKBgNVBAoTA1RFRTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABFPbPYqm91rYvZVCBdFaHRMg0tw7U07JA1EcD9ZP4d0lK2NFM4A0wGKS4jbTR_bu7NTt_YyF388S0PWAJTluqnOjfjB8MB0GA1UdDgQWBBSXyrsZ_A1NnJGRq0sm2G9nm-NC5zAfBgNVHSMEGDAWgBTFUX4F2MtjWykYrAIa8sh9bBL-kjAPBgNVHRMBAf8EBTADAQH_MA4GA1UdDwEB_wQEAwICBDAZBgorBgEEAdZ5AgEeBAuiAQgDZkdvb2dsZTAKBggqhkjOPQQDAgNIADBFAiEAysd6JDoI8X4NEdrRwUwtIAy-hLxSEKUVS2XVWS2CP04CIFNQQzM4TkA_xaZj8KyiS61nb-aOBP35tlA34JCOlv9nWQHcMIIB2DCCAV2gAwIBAgIUAIUK9vrO5iIEbQx0izdwqlWwtk0wCgYIKoZIzj0EAwMwKTETMBEGA1UEChMKR29vZ2xlIExMQzESMBAGA1UEAxMJRHJvaWQgQ0EyMB4XDTI0MTIwOTA2Mjg1M1oXDTI1MDIxNzA2Mjg1MlowKTETMBEGA1UEChMKR29vZ2xlIExMQzESMBAGA1UEAxMJRHJvaWQgQ0EzMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEPjbr-yt9xhgcbKLXoN3RK-1FcCjwIpeMPJZjayW0dqNtFflHp2smO0DxN_6x7M7NAGbcC9lM1_E-N6z51ODv-6NjMGEwDgYDVR0PAQH_BAQDAgIEMA8GA1UdEwEB_wQFMAMBAf8wHQYDVR0OBBYEFMVRfgXYy2NbKRisAhryyH1sEv6SMB8GA1UdIwQYMBaAFKYLhqTwyH8ztWE5Ys0956c6QoNIMAoGCCqGSM49BAMDA2kAMGYCMQCuzU0wV_NkOQzgqzyqP66SJN6lilrU-NDVU6qNCnbFsUoZQOm4wBwUw7LqfoUhx7YCMQDFEvqHfc2hwN2J4I9Z4rTHiLlsy6gA33WvECzIZmVMpKcyEiHlm4c9XR0nVkAjQ_5ZA4QwggOAMIIBaKADAgECAgoDiCZnYGWJloYOMA0GCSqGSIb3DQEBCwUAMBsxGTAXBgNVBAUTEGY5MjAwOWU4NTNiNmIwNDUwHhcNMjIwMTI2MjI0OTQ1WhcNMzcwMTIyMjI0OTQ1WjApMRMwEQYDVQQKEwpHb29nbGUgTExDMRIwEAYDVQQDEwlEcm9pZCBDQTIwdjAQBgcqhkjOPQIBBgUrgQQAIgNiAAT72ZtYJ0I2etFhouvtVs0sBzvYsx8thNCZV1wsDPvsMDSTPij-M1wBFD00OUn2bfU5b7K2_t2NkXc2-_V9g--mdb6SoRGmJ_AG9ScY60LKSA7iPT7gZ_5-q0tnEPPZJCqjZjBkMB0GA1UdDgQWBBSmC4ak8Mh_M7VhOWLNPeenOkKDSDAfBgNVHSMEGDAWgBQ2YeEAfIgFCVGLRGxH_xpMyepPEjASBgNVHRMBAf8ECDAGAQH_AgECMA4GA1UdDwEB_wQEAwIBBjANBgkqhkiG9w0BAQsFAAOCAgEArpB2eLbKHNcS6Q3Td3N7ZCgVLN0qA7CboM-Ftu4YYAcHxh-e_sk7T7XOg5S4d9a_DD7mIXgENSBPB_fVqCnBaSDKNJ3nUuC1_9gcT95p4kKJo0tqcsWw8WgKVJhNuZCN7d_ziHLiRRcrKtaj944THzsy7vB-pSai7gTah_RJrDQI91bDUJgld8_p_QAbVnYA8o-msO0sRKxgF1V5QuBwBTfpdkqshqL3nwBm0sofqI_rM-JOQava3-IurHvfkzioiOJ0uFJnBGVjpZFwGwsmyKwzl-3qRKlkHggAOKt3lQQ4GiJnOCm10JrxPa2Za0K6_kyk6YyvvRcFNai5ej3nMKJPg-eeG2nST6N6ePFuaeoNQnD4XkagGFEQYzcqvsdFsmsbUFMghFl7zEVYdscuSgCG939wxW1JgKyG5ce7CI40328w9IuOf8mUS_W3i4jSfxqCJbegyo_SKDpDILnhJUBy0T3fN8mv9AyO0uoJBlvnogIVv2SdpYUt92vyOiGMy3Jx_ZRWjIRa7iIV3VnjLI__pgCrXQLMinZWEWsxVxg25nrk8u32nZd67DJN3k2FufRbsmHZly9CLo0P79lkIEC3rifLqqJeDyHQNaBMUC6BSDZ5RJCtMjSZw2xL5z0X9_zBsKVPkMW61hMhKzVmYNLe1DJQANRP-enru5i1oXlZBSAwggUcMIIDBKADAgECAgkA1Q_yW6Py1rMwDQYJKoZIhvcNAQELBQAwGzEZMBcGA1UEBRMQZjkyMDA5ZTg1M2I2YjA0NTAeFw0xOTExMjIyMDM3NThaFw0zNDExMTgyMDM3NThaMBsxGTAXBgNVBAUTEGY5MjAwOWU4NTNiNmIwNDUwggIiMA0GCSqGSIb3DQEBAQUAA4ICDwAwggIKAoICAQCvtseCK7GnAewrtC6LzFQWY6vvmC8yx391MQMMl1JLG1_oCfvHKqlFH3Q8vZpvEzV0SqVed_a2rDU17hfCXmOVF92ckuY3SlPL_iWPj_u2_RKTeKIqTKmcRS1HpZ8yAfRBl8oczX52L7L1MVG2_rL__Stv5P5bxr2ew0v-CCOdqvzrjrWo7Ss6zZxeOneQ4bUUQnkxWYWYEa2esqlrvdelfJOpHEH8zSfWf9b2caoLgVJhrThPo3lEhkYE3bPYxPkgoZsWVsLxStbQPFbsBgiZBBwe0aX-bTRAtVa60dChUlicU-VdNwdi8BIu75GGGxsObEyAknSZwOm-wLg-O8H5PHLASWBLvS8TReYsP44m2-wGyUdm88EoI51PQxL62BI4h-Br7PVnWDv4NVqB_uq6-ZqDyN8-KjIq_Gcr8SCxNRWLaCHOrzCbbu53-YgzsBjaoQ5FHwajdNUHgfNZCClmu3eLkwiUJpjnTgvNJGKKAcLMA-UfCz5bSsHk356vn_akkqd8FIOIKIUBW0Is5nuAuIybSOE7YHq1Rccj_4xE-PLTaLn2Ug0xFF6_noYq1x32o7_SRQlZ1lN0DZehLzaLE-9m1dClSm4vXZpv70RoMrxnhEclhh8JPdDm80BdqJZD7w9NabZCAFH9uTBJZz42lQWA0830-9CLxYSDlSYAYwIDAQABo2MwYTAdBgNVHQ4EFgQUNmHhAHyIBQlRi0RsR_8aTMnqTxIwHwYDVR0jBBgwFoAUNmHhAHyIBQlRi0RsR_8aTMnqTxIwDwYDVR0TAQH_BAUwAwEB_zAOBgNVHQ8BAf8EBAMCAgQwDQYJKoZIhvcNAQELBQADggIBAE4xoFzyi6Zdva-hztcJae5cqEEErd7YowbPf23uUDdddF7ZkssCQsznLcnu1RGR_lrVK61907JcCZ4TpJGjzdSHpazOh2YyTErkYzgkaue3ikGKy7mKBcTJ1pbuqrYJ0LoM4aMb6YSQ3z9MDqndyegv-w_LPp692MuVJ4nysUEfrFbIhkJutylgQnNdpQ4RrHFfGBjPn9xOJUo3YzUbaiRAFQhhJjpuMQvhpQ3lx-juiA_dS-WISjcSjRiDC7NHa_QpHoLVxmpklJOeCEgL-8APfYp01D5zc36-XY5OxRUwLUaJaSeA3HU47X6Rdb5hOedNQ604izBQ_9Wp3lJiAAiYwB9jxT3-IiCRCPpPZboWxJzL3gg318WETVS3OYugEi5QWxVckxPP4m5y2H4iqhYW5r2_VH3f-T3ynjWmO0Vf4fwOyVWB8_T3u-O7goOWo3rjFXWCvDdkuXgKI578D3Wh4ubZQc6rrCfd6wHivYQhApvqNNUa7mxgJx1alevQBRWpwAE92Av4fuomC4HDT2iObrE0ivDY6hysMqy52T-iSv8DCoTI8rD1acyVCAsgrDWs4MbY29T2hHcZUZ0yRQFm60vxW4WQRFAa3q9DY4LDSxXjtUyS5htpwr_HJkWJFys8k9vjXOBtCP1cATIsoId7HRJ0OvH61ZQOobwC3YkcaGF1dGhEYXRhWMVJlg3liA6MaHQ0Fw9kdmBbj-SuuaKGMseZXPO6gx2XY0UAAAAAuT_ZYfLmRi-xIoIAIkfeeABBAYNe4CBKc8H30FuAb8uaht6JbEQfbSBnS0SX7B6MFg8ofI92oR5lheRDJCgwY-JqB_QSJtezdhMbf8Wzt_La5N2lAQIDJiABIVgg11Yt_p_qwbKz9wOD4_T_HujzYd3jXQt_D2hYgmcjFnUiWCBFQOj2xOvfOT0lAw3J5Nyp56cnOuifxxTrv4HrqolrQA",
  },
  {
    name: "android-key-galaxy-s9",
    format: "android-key",
    description: "android-key from a Samsung Galaxy S9+ (Android 10), chain up to Google Hardware Attestation Root 1 (RSA); the chain mixes P-384 and SHA-256.",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/verifyAttestationAndroidKey.test.ts",
      test: "should verify Android Keystore response from a Samsung Galaxy S9+ running Android 10",
    },
    expectedChallenge: "vCLAR3AGhxfP0Q-L92_BsppkhACby0HjtNZEBFJ0gOk",
    expectedOrigin: "https://portal.fxon.com",
    rpId: "portal.fxon.com",
    verifyAt: "2025-07-15T10:00:00.000Z",
    certificatesValid: "2019-06-13T19:31:18.000Z .. 2026-05-24T16:28:52.000Z",
    expected: { outcome: "verified", type: "basic" },
    trustAnchors: ["GOOGLE_HARDWARE_ATTESTATION_ROOT_1"],
    clientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoidkNMQVIzQUdoeGZQMFEtTDkyX0JzcHBraEFDYnkwSGp0TlpFQkZKMGdPayIsIm9yaWdpbiI6Imh0dHBzOi8vcG9ydGFsLmZ4b24uY29tIiwiY3Jvc3NPcmlnaW4iOmZhbHNlLCJvdGhlcl9rZXlzX2Nhbl9iZV9hZGRlZF9oZXJlIjoiZG8gbm90IGNvbXBhcmUgY2xpZW50RGF0YUpTT04gYWdhaW5zdCBhIHRlbXBsYXRlLiBTZWUgaHR0cHM6Ly9nb28uZ2wveWFiUGV4In0",
    attestationObject:
      "o2NmbXRrYW5kcm9pZC1rZXlnYXR0U3RtdKNjYWxnJmNzaWdYRzBFAiBN6uMvi4Arrog6bM-EH_HHdcYowZb9AZ3OP8LF7BsOwQIhAIGMW51yybiu_p90i60qFilQ2NTBfNSKMxWSd-_ElLGGY3g1Y4RZAsAwggK8MIICYqADAgECAgEBMAoGCCqGSM49BAMCMCkxGTAXBgNVBAUTEDljZmFiZjY5ZWNjMzc0OWMxDDAKBgNVBAwMA1RFRTAgFw03MDAxMDEwMDAwMDBaGA8yMTA2MDIwNzA2MjgxNVowHzEdMBsGA1UEAwwUQW5kcm9pZCBLZXlzdG9yZSBLZXkwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARF-xUruvQrCRWHiRDV4Lsq4FjoEpLFf361IEQaaeBsGuz0zt29H0BKNbEIUpvWcuKBKwmcOvMH2wFAZ7tRHblHo4IBgTCCAX0wDgYDVR0PAQH_BAQDAgeAMIIBaQYKKwYBBAHWeQIBEQSCAVkwggFVAgEDCgEBAgEECgEBBCCtDPAKpMZ9hMbYOO1XIwN-v_gVMOTGAjDefrroBsj2-QQAMHe_hT0IAgYBl_krnvi_hUVnBGUwYzE9MBsEFmNvbS5nb29nbGUuYW5kcm9pZC5nc2YCAR4wHgQWY29tLmdvb2dsZS5hbmRyb2lkLmdtcwIEDwvKrjEiBCDw_WxbQQ8lyyXDtTNGyJcvrjD47nQR35EEgK1rLWDbgzCBqaEFMQMCAQKiAwIBA6MEAgIBAKUFMQMCAQSqAwIBAb-DeAMCAQO_g3kDAgEKv4U-AwIBAL-FQEwwSgQg2O2bmq25z_lUP96p1NX4bjoeGqNeSEFetzrqoDDefYEBAf8KAQAEIG_Q-U6jhMM6Kdz7OeX58NCiyMveuzh_N9gbNCMAB8_rv4VBBQIDAa2wv4VCBQIDAxV_v4VOBgIEATRlnb-FTwYCBAE0ZZ0wCgYIKoZIzj0EAwIDSAAwRQIgLy0SGjDM7BDO9xLfOjfHkYMiKMeY0CZ1SBs-lsAPSqcCIQDpxwWdHetnjLhMJrd6HGw88aI5-GZlO9_7mpNWu94r7lkCKDCCAiQwggGroAMCAQICCgNwFmEVJQaTJJAwCgYIKoZIzj0EAwIwKTEZMBcGA1UEBRMQMjg1ZjdmYTllZWIxNDAxNDEMMAoGA1UEDAwDVEVFMB4XDTE5MDYxMzE5MzExOFoXDTI5MDYxMDE5MzExOFowKTEZMBcGA1UEBRMQOWNmYWJmNjllY2MzNzQ5YzEMMAoGA1UEDAwDVEVFMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE0ZjVvvE-xQefNwWt2g0fjCzKcCGErvUUla1Sy0YRXGTUPW_xZg7OpoWB1XFfFlgM-1xih8UmDGpFF77KX2WHtqOBujCBtzAdBgNVHQ4EFgQUQHGUFV40EuDlHb86QZ6X74Rv1GswHwYDVR0jBBgwFoAUZsclWZX-WiRVCJ2uL-JyioxCRzowDwYDVR0TAQH_BAUwAwEB_zAOBgNVHQ8BAf8EBAMCAgQwVAYDVR0fBE0wSzBJoEegRYZDaHR0cHM6Ly9hbmRyb2lkLmdvb2dsZWFwaXMuY29tL2F0dGVzdGF0aW9uL2NybC8wMzcwMTY2MTE1MjUwNjkzMjQ5MDAKBggqhkjOPQQDAgNnADBkAjAay0bXweDTEiM5h3qEFZh0lvjfm7BrD6PdwSgHiMSoln9Lp1Y6dtdMifLSuqTSPp4CMASAp7BEH6DBT-B6S3MnpAz-pS_BPAZDgYr8rFH2tnlMM1WOEtjQIQ2KfodC4tJU81kD1TCCA9EwggG5oAMCAQICCgOIJmdgZYmWheIwDQYJKoZIhvcNAQELBQAwGzEZMBcGA1UEBRMQZjkyMDA5ZTg1M2I2YjA0NTAeFw0xOTA2MTMxOTI1MjhaFw0yOTA2MTAxOTI1MjhaMCkxGTAXBgNVBAUTEDI4NWY3ZmE5ZWViMTQwMTQxDDAKBgNVBAwMA1RFRTB2MBAGByqGSM49AgEGBSuBBAAiA2IABAUTSmkto8xjo3bsJ2VyoiU24xF1pA1wLmmqy6_rD60WMB4I3fU73p-NXVdQ720JSXel8O0-BH0kOQaGkQytYLXFnN7IcWfeQp1weEZpd8IbUPiN8gTUyl1Y0GCKSBL-kqOBtjCBszAdBgNVHQ4EFgQUZsclWZX-WiRVCJ2uL-JyioxCRzowHwYDVR0jBBgwFoAUNmHhAHyIBQlRi0RsR_8aTMnqTxIwDwYDVR0TAQH_BAUwAwEB_zAOBgNVHQ8BAf8EBAMCAgQwUAYDVR0fBEkwRzBFoEOgQYY_aHR0cHM6Ly9hbmRyb2lkLmdvb2dsZWFwaXMuY29tL2F0dGVzdGF0aW9uL2NybC9FOEZBMTk2MzE0RDJGQTE4MA0GCSqGSIb3DQEBCwUAA4ICAQBsKTstdjFUeQ1dVLRyx9ecE5qQaZV26Bos7boyz-R2HJv4iJ492aii9FLVwLei2c-aVgHuAKIfht3kP25-0crEoFKc0AiBzX3LS9a7P3V4tt8z-kBiKQkJtcbEw9r2HlTDviEa7GCRvLbFoORFyTZjQTR5tJQQEhYrsB5qo-vVweHZ_uQ_KR_Ag5DzNGPh_KFXwz-qVh720Ca99wixT4wMgGFIgIZxTIAz8c3kDYXqQ5j4jplksQbghTSN5lnKPeVjZpc_dga4r09bpm61z2ylNybUnBwUnkpRyzNVRlpZRpd0yq7royq_QRI-zoZd4nx--1_AqC3XshBfmSz9Dxxx8aNQ0QR3WJtLtya9ECxmyLh9LqNbCgoRSLi4g8sDLkIy9yaY7goL7XVdFZfTDKiwne-BsjD6Fgl7yFmCkndJMvJjVD0r4WaoFB-Tomx0eg7Lgdy2sJs5T_Yo-woGvn2qPGFsbm1oib4MgnsK2JtjH9VmfB2oUQ16sLWSVaqMHtSx1ZB2FxyB1auRs-sNeNxhAkLw4D-6R8j7Rug3sXoV4p14UL7KvjL8p2th7CImGvgUHRJ_EUhpEl6Rc8XLPeHi64Qw7POnha8oSaZFpHkSR2oGDKkHVcqUBz3KFizVh15du40fpq2TYtH4of_hJlUzEtH2Uidou3WyNtSjhNQq7VkFZDCCBWAwggNIoAMCAQICCQDo-hljFNL6GDANBgkqhkiG9w0BAQsFADAbMRkwFwYDVQQFExBmOTIwMDllODUzYjZiMDQ1MB4XDTE2MDUyNjE2Mjg1MloXDTI2MDUyNDE2Mjg1MlowGzEZMBcGA1UEBRMQZjkyMDA5ZTg1M2I2YjA0NTCCAiIwDQYJKoZIhvcNAQEBBQADggIPADCCAgoCggIBAK-2x4IrsacB7Cu0LovMVBZjq--YLzLHf3UxAwyXUksbX-gJ-8cqqUUfdDy9mm8TNXRKpV539rasNTXuF8JeY5UX3ZyS5jdKU8v-JY-P-7b9EpN4oipMqZxFLUelnzIB9EGXyhzNfnYvsvUxUbb-sv_9K2_k_lvGvZ7DS_4II52q_OuOtajtKzrNnF46d5DhtRRCeTFZhZgRrZ6yqWu916V8k6kcQfzNJ9Z_1vZxqguBUmGtOE-jeUSGRgTds9jE-SChmxZWwvFK1tA8VuwGCJkEHB7Rpf5tNEC1VrrR0KFSWJxT5V03B2LwEi7vkYYbGw5sTICSdJnA6b7AuD47wfk8csBJYEu9LxNF5iw_jibb7AbJR2bzwSgjnU9DEvrYEjiH4Gvs9WdYO_g1WoH-6rr5moPI3z4qMir8ZyvxILE1FYtoIc6vMJtu7nf5iDOwGNqhDkUfBqN01QeB81kIKWa7d4uTCJQmmOdOC80kYooBwswD5R8LPltKweTfnq-f9qSSp3wUg4gohQFbQizme4C4jJtI4TtgerVFxyP_jET48tNoufZSDTEUXr-ehirXHfajv9JFCVnWU3QNl6EvNosT72bV0KVKbi9dmm_vRGgyvGeERyWGHwk90ObzQF2olkPvD01ptkIAUf25MElnPjaVBYDTzfT70IvFhIOVJgBjAgMBAAGjgaYwgaMwHQYDVR0OBBYEFDZh4QB8iAUJUYtEbEf_GkzJ6k8SMB8GA1UdIwQYMBaAFDZh4QB8iAUJUYtEbEf_GkzJ6k8SMA8GA1UdEwEB_wQFMAMBAf8wDgYDVR0PAQH_BAQDAgGGMEAGA1UdHwQ5MDcwNaAzoDGGL2h0dHBzOi8vYW5kcm9pZC5nb29nbGVhcGlzLmNvbS9hdHRlc3RhdGlvbi9jcmwvMA0GCSqGSIb3DQEBCwUAA4ICAQAgyMONS9ypVxtGjIkv_3KqxvhEoR1BqPBzbMN9FtZCbY5-lAcETOo55osHwT2_FQPdXIW9r7LALV9s2076gSffiwTxgncPxOd0W3_OqocSmogBzo6bwMuWN5tNJqgtMP2cL47tbcG-L4S2ieTZFCWLFEu65iShxwZxEy4vBhaohLKk1qRv-om2Ar-62AwSQ3EfVutgVvY3yKAUHMVAlCaLjDx9uZSzXA3NbLKrwtr-4lICPS3qDNbDaL6j5kFIhvax5Ytb18cwsmjE48H7ZCS5H-u9uAxYbiroNoyE1dEJF72iVheJ1GhzkzQOLiVPVg72SyNY_NwPv8ZwCVLnCL_8xidQDB9m6B6hfAmNei6bGIAberSscVh9NF3MgwnVtipQQnqm0D3LBZlslroMXXHpIWLAFsqEn_NfDVLGXQVgWkfzrpF6zS35EO_SMmaIWW72mzv1_jFU9664gKCnPKBNlMLOgxfutD1e_1iD4zb18knarKSJkje_Jn5cQ6sC6kQWJANyO-aqaSxhva6e1AnUY8TJfGQwZXfu8rx1YLdXFcycfcZ8hggtt1GonDA0l2KweCOFh1zxo8YWbgrjwS03Ti1PGEbzGHRL2Hm1hzKb8BghemwMdyQaSHjkNcAwectFEonFd2IGBpovjWX4QOFEUoe-2HerriTiRDUWjVU85GhhdXRoRGF0YVjFT848GIB1YSy2AgqgP_bEoHGe74fBQecLAfr8oYF8zI5FAAAAALk_2WHy5kYvsSKCACJH3ngAQQGTSRAdkXHXDCdJGdV9ZcgOnexDYiheSveOW6W2V8XVaqMoxDUpx0mbsWc_bATFcigAK6VQYcFq-1k7rU_3qTbJpQECAyYgASFYIEX7FSu69CsJFYeJENXguyrgWOgSksV_frUgRBpp4GwaIlgg7PTO3b0fQEo1sQhSm9Zy4oErCZw68wfbAUBnu1EduUc",
  },
  {
    name: "apple",
    format: "apple",
    description: "apple anonymous attestation (iOS 14, September 2020): leaf valid for one day, intermediate \"Apple WebAuthn CA 1\", root Apple WebAuthn Root CA (P-384).",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifications/verifyAttestationApple.test.ts",
      test: "should verify Apple attestation",
    },
    expectedChallenge: "h5xSyIRMx2IQPr1mQk6GD98XSQOBHgMHVpJIkMV9Nkc",
    expectedOrigin: "https://dev.dontneeda.pw",
    rpId: "dev.dontneeda.pw",
    verifyAt: "2020-09-13T14:00:00.000Z",
    certificatesValid: "2020-09-13T02:49:17.000Z .. 2020-09-14T02:59:17.000Z",
    expected: { outcome: "verified", type: "anonca" },
    trustAnchors: ["APPLE_WEBAUTHN_ROOT_CA"],
    clientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiaDV4U3lJUk14MklRUHIxbVFrNkdEOThYU1FPQkhnTUhWcEpJa01WOU5rYyIsIm9yaWdpbiI6Imh0dHBzOi8vZGV2LmRvbnRuZWVkYS5wdyJ9",
    attestationObject:
      "o2NmbXRlYXBwbGVnYXR0U3RtdKJjYWxnJmN4NWOCWQJHMIICQzCCAcmgAwIBAgIGAXSFZw11MAoGCCqGSM49BAMCMEgxHDAaBgNVBAMME0FwcGxlIFdlYkF1dGhuIENBIDExEzARBgNVBAoMCkFwcGxlIEluYy4xEzARBgNVBAgMCkNhbGlmb3JuaWEwHhcNMjAwOTEzMDI0OTE3WhcNMjAwOTE0MDI1OTE3WjCBkTFJMEcGA1UEAwxAMzI3ZWI1ODhmMTU3ZDZiYjY0NTRmOTdmNWU1NmM4NmY0NGI1MDdjODgxOGZmMjMwYmQwZjYyNWJkYjY1YmNiNjEaMBgGA1UECwwRQUFBIENlcnRpZmljYXRpb24xEzARBgNVBAoMCkFwcGxlIEluYy4xEzARBgNVBAgMCkNhbGlmb3JuaWEwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARiAlQ11YPbcpjmwM93iOefyu00h8-4BALNKnBDB5I9n17wD5wNqP0hYua340eB75Z1L_V6I7R4qraq7763zj9mo1UwUzAMBgNVHRMBAf8EAjAAMA4GA1UdDwEB_wQEAwIE8DAzBgkqhkiG92NkCAIEJjAkoSIEIPuwR1EQvcCtYCRahnJWisqz6YYLEAXH16p0WXbLfY6tMAoGCCqGSM49BAMCA2gAMGUCMDpEvt_ifVr8uu1rnLykezfrHBXwLL-D6DO73l_sX_DLRwXDmqTiPSx0WHiB554m5AIxAIAXIId3WdSC2B2zYFm4ZsJP_jAgjTL1GguZ-Ae78AN2AcjKblEabOdkbKr0aL_M9FkCODCCAjQwggG6oAMCAQICEFYlU5XHp_tA6-Io2CYIU7YwCgYIKoZIzj0EAwMwSzEfMB0GA1UEAwwWQXBwbGUgV2ViQXV0aG4gUm9vdCBDQTETMBEGA1UECgwKQXBwbGUgSW5jLjETMBEGA1UECAwKQ2FsaWZvcm5pYTAeFw0yMDAzMTgxODM4MDFaFw0zMDAzMTMwMDAwMDBaMEgxHDAaBgNVBAMME0FwcGxlIFdlYkF1dGhuIENBIDExEzARBgNVBAoMCkFwcGxlIEluYy4xEzARBgNVBAgMCkNhbGlmb3JuaWEwdjAQBgcqhkjOPQIBBgUrgQQAIgNiAASDLocvJhSRgQIlufX81rtjeLX1Xz_LBFvHNZk0df1UkETfm_4ZIRdlxpod2gULONRQg0AaQ0-yTREtVsPhz7_LmJH-wGlggb75bLx3yI3dr0alruHdUVta-quTvpwLJpGjZjBkMBIGA1UdEwEB_wQIMAYBAf8CAQAwHwYDVR0jBBgwFoAUJtdk2cV4wlpn0afeaxLQG2PxxtcwHQYDVR0OBBYEFOuugsT_oaxbUdTPJGEFAL5jvXeIMA4GA1UdDwEB_wQEAwIBBjAKBggqhkjOPQQDAwNoADBlAjEA3YsaNIGl-tnbtOdle4QeFEwnt1uHakGGwrFHV1Azcifv5VRFfvZIlQxjLlxIPnDBAjAsimBE3CAfz-Wbw00pMMFIeFHZYO1qdfHrSsq-OM0luJfQyAW-8Mf3iwelccboDgdoYXV0aERhdGFYmD3cRxDpwIiyKduonVYyILs59yKa_0ZbCmVrGvuaivigRQAAAAAAAAAAAAAAAAAAAAAAAAAAABQniUCo9eF58OtQPuiHktAxsEflMaUBAgMmIAEhWCBiAlQ11YPbcpjmwM93iOefyu00h8-4BALNKnBDB5I9nyJYIF7wD5wNqP0hYua340eB75Z1L_V6I7R4qraq7763zj9m",
  },
  {
    name: "android-safetynet",
    format: "android-safetynet",
    description: "android-safetynet (deprecated by Google, June 2025, authress.io): keyport refuses the format.",
    source: {
      repository: "MasterKale/SimpleWebAuthn",
      commit: "803d1da15bb6868fcaf557fcdcd24b73cb82bcd9",
      path: "packages/server/src/registration/verifyRegistrationResponse.test.ts",
      test: "should enforce CTS check by default",
    },
    expectedChallenge: "Z29vZ2xlLW9hdXRoMnwxMDE2MTE0MDQ5NDI5ODQzNzc4NjM",
    expectedOrigin: "https://login.authress.io",
    rpId: "authress.io",
    verifyAt: "2025-06-09T20:40:42.989Z",
    certificatesValid: "2025-04-29T08:00:44.000Z .. 2025-07-28T08:00:43.000Z",
    expected: { outcome: "refused", reason: "format_unsupported" },
    trustAnchors: [],
    clientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiWjI5dloyeGxMVzloZFhSb01ud3hNREUyTVRFME1EUTVOREk1T0RRek56YzROak0iLCJvcmlnaW4iOiJodHRwczpcL1wvbG9naW4uYXV0aHJlc3MuaW8iLCJhbmRyb2lkUGFja2FnZU5hbWUiOiJjb20uYW5kcm9pZC5jaHJvbWUifQ",
    attestationObject:
      "o2NmbXRxYW5kcm9pZC1zYWZldHluZXRnYXR0U3RtdKJjdmVyaTI1MjAzNzAyOWhyZXNwb25zZVkf_WV5SmhiR2NpT2lKU1V6STFOaUlzSW5nMVl5STZXeUpOU1VsR1RXcERRMEpDY1dkQmQwbENRV2RKVWtGTEswZFhaRGR0ZFRocE1rTjFNbGs0Tmk5dk1DOVZkMFJSV1VwTGIxcEphSFpqVGtGUlJVeENVVUYzVDNwRlRFMUJhMGRCTVZWRlFtaE5RMVpXVFhoSWFrRmpRbWRPVmtKQmIxUkdWV1IyWWpKa2MxcFRRbFZqYmxaNlpFTkNWRnBZU2pKaFYwNXNZM3BGVFUxQmIwZEJNVlZGUVhoTlJGWXhTVEJOUWpSWVJGUkpNVTFFVVhsUFZFRTBUVVJCTUU1R2IxaEVWRWt4VFVSamVVOUVRVFJOUkVFd1RURnZkMGhVUldKTlFtdEhRVEZWUlVGNFRWTlpXRkl3V2xoT01FeHRSblZhU0VwMllWZFJkVmt5T1hSTlNVbENTV3BCVGtKbmEzRm9hMmxIT1hjd1FrRlJSVVpCUVU5RFFWRTRRVTFKU1VKRFowdERRVkZGUVRGVFJrcE1aR0Y0TTNVcllYRmxaVkJPWWt4NFlqRjJUelEwTWxGRFN5OUROekZCUW5GcWVrNVNWVlp3ZUM5eFRIZ3pSMGhGZDAxTFpVdzNjVVpHVG1WTmVVcExSRW8xU0ZCVk5qQm5NRWw0Tm5BM1FtbFBkbXRFVlhvck1sRnFWalJ3V2pWMU5rMDRVekJtVGpkbGJuaFJjSGhJUWtrdkx6VnhNMUUxY2tGVk1UQkRZMWhZZHpoYVpYVlZRa3BTUW5kMVVscDJiVE0xYlZsWFJsVnZkRmQyWVVSRVNYcGFlWFV6TVdST1MyeExkREJUWWtWMVJubGpaVmRhT0dKaGIzUkNkVWRtYUZveE1HeElSMHRtV0VORFVqWXpkVnBOU0Uxa2NHVjVWa280ZHpkemIxZzJkMnRoZFZwd1lsRTFSMWs0VkRKUWJFbFBlRWxsV2tVeWNWcGtha3RLV2paVFdrOVhTalo0V1VNelduUmFOM2hhUldzMmFEbHlOSEZ0VlN0VVlXSkVOM00zVEhGSFZIWTRTRlF4YjJNNWQyRTRLMmhrTDNNNWRHZFpRbTB4UlROaWJIWTRiVFZZUlhrdlNHbFhTbEpJVVVsRVFWRkJRbTgwU1VOVVZFTkRRV3RyZDBSbldVUldVakJRUVZGSUwwSkJVVVJCWjFkblRVSk5SMEV4VldSS1VWRk5UVUZ2UjBORGMwZEJVVlZHUW5kTlFrMUJkMGRCTVZWa1JYZEZRaTkzVVVOTlFVRjNTRkZaUkZaU01FOUNRbGxGUmtoYU1HWm5OVXhVUTNSYU9HZEhkRmRzZDBkTU1sY3hSbmhRUzAxQ09FZEJNVlZrU1hkUldVMUNZVUZHU25aSlJXSjNPWEZxWVRWTldYaFBhakJVVmxaNlNYWjNPRUpvVFVZMFIwTkRjMGRCVVZWR1FuZEZRa0pHU1hkVlJFRnVRbWRuY2tKblJVWkNVV04zUVZsWlltRklVakJqUkc5MlRESTRkV05IZEhCTWJXUjJZakpqZG1ONU9UTmphbEYyWTJwU1drMURWVWREUTNOSFFWRlZSa0o2UVVOb2FHeHZaRWhTZDA5cE9IWmhVelYzWVRKcmRWb3lPWFphZVRrelkycFJkVmt6U2pCTlFqQkhRVEZWWkVWUlVWZE5RbE5EUlcxR01HUkhWbnBrUXpWb1ltMVNlV0l5Ykd0TWJVNTJZbFJCVkVKblRsWklVMEZGUkVSQlMwMUJaMGRDYldWQ1JFRkZRMEZVUVRKQ1owNVdTRkk0UlV4NlFYUk5RM1ZuUzJGQmJtaHBWbTlrU0ZKM1QyazRkbGw1TlhkaE1tdDFXakk1ZGxwNU9UTmphbEYyV1d0V1UxcHJNVWxSVlZrMVZEQlZkVmt6U25OTlNVbENRbWRaUzB0M1dVSkNRVWhYWlZGSlJVRm5VMEk1ZDFOQ09VRkVlVUZJWTBFelpIcExUa3BZV0RSU1dVWTFOVlY1SzNObFppdEVNR05WVGk5aVFVUnZWVVZ1V1V0TVMzazNlVU52UVVGQlIxZG5UV05PUW5kQlFVSkJUVUZUUkVKSFFXbEZRVGR4VGk5U1ExQk5ia3RLUkZCclIzbExkRUZtWjJVd1ExUmxkV2xHU1ZVM04yMDVLM2MyVTJJMGJqQkRTVkZEYjBZME0zRTNTV052U0hZMU1tZG5TR1l4VG01eE0zWnhVM1IzUWs4MlpHOHZkRkpsTkVGNWExTnRkMEl6UVUxNk4wUXljVVpqVVd4c0wzQlhZbFU0TjNCemJuZHBObGxXWTBSYVpVNTBjV3dyVmsxRUsxUkJNbmRCUVVGQ2JHOUVTRVZQT0VGQlFWRkVRVVZuZDFKblNXaEJTMnd5VFV0YWNVVlNjV1pNWkVwaEt6bERNemRXU0dWTk5rWjFSRlIyVmpkNGRHeDFTR2hWVTBkdFpFRnBSVUZ5VlRVMGRtdFVUR3A2VDI0NEwyODNVVkkwZUN0ek9FWmlkV1JMV1M5a01VUXZiekI0YkZsNGJHVTRkMFJSV1VwTGIxcEphSFpqVGtGUlJVeENVVUZFWjJkRlFrRktOMDFwVVd4M2JqaHJiV1ppWVVKM1NUTmtWakI1Vm5RMWF6WkRMMjlIZUVWaldYQlpTRUZIU2pJMU5saG9lSFZtYTBoaFkzZGFVRkJ4VVdZNU5Fc3dWRWRRVkVKMGJGRmlRVFJoU0doME4wbExPVWRHYTBOdk5IbHVSbHBKTVN0NWNXUjVXbmh6ZW1aU1pVSTFRVXhJTTNoa2NqQnFMMmRhVG5OQlpDdFJSakUwUTBoUGJsWTVOV1pOVVc1dVNXaDFieXQxWWtoVFpVMTNlREJ0ZVcxdGJWUldRVGs0Wm5rMmRYaDBZWFZaVUZocVozZ3JPVGxQVm05U2FYaEtOWGg0VlVkVlRGcEpjaTlHZVRodE1tZEhRMGR0UlU5alMwcExUbmQxUWprMmNYRjJLMVpaZFM5QlZuUTJUMHh0V1RONGIydEdLMmgzWkVZMmNURXZWRkZwYTJGeVFuUjBWVmxSV25Bd1QwZDVhM1pJTVZGelIwMDNSRU12TmpORU0weEtRMFIwV1U0eUsxa3ZkRmdyWm14T2IzazVibXByTTNSSE1GcEplVzB4ZUhKNE1FcDVSSFF5VVRCb1dYUnFTRVpoTDI4M2RrVTlJaXdpVFVsSlJrTjZRME5CZGs5blFYZEpRa0ZuU1ZGbUwwRkdkRTV3TVhWSGNHRjRhQzlyVFVoalZIcFVRVTVDWjJ0eGFHdHBSemwzTUVKQlVYTkdRVVJDU0UxUmMzZERVVmxFVmxGUlIwVjNTbFpWZWtWcFRVTkJSMEV4VlVWRGFFMWFVakk1ZGxveWVHeEpSbEo1WkZoT01FbEdUbXhqYmxwd1dUSldla2xGZUUxUmVrVlZUVUpKUjBFeFZVVkJlRTFNVWpGU1ZFbEdTblppTTFGblZXcEZkMGhvWTA1TmFrMTRUV3BGZWsxRWEzZE5SRUYzVjJoalRrMXFhM2ROYWtsM1RWUlJkMDFFUVhkWGFrRTNUVkZ6ZDBOUldVUldVVkZIUlhkS1ZsVjZSV1ZOUW5kSFFURlZSVU5vVFZaU01qbDJXako0YkVsR1VubGtXRTR3U1VaT2JHTnVXbkJaTWxaNlRWRjNkME5uV1VSV1VWRkVSWGRPV0ZWcVVYZG5aMFZwVFVFd1IwTlRjVWRUU1dJelJGRkZRa0ZSVlVGQk5FbENSSGRCZDJkblJVdEJiMGxDUVZGRGRsUnNSeTk2YkVOck5qUTBPV3RoVnk5RVEyOXBjVzl3TUhCSmQzbGhUamhMVVVkaWMxWXlNSE55TUdJME1qbEtjbEpOVVV4S1ZDODNjMGxTVEhOWVpISldZMEUxTnpjMVZqbFlVUzlHYkZaUVZYTjVSbEZoVjBoRmVHZGhVV0ZtTWxCYWVFNVdhMWxtVkRsVFZEVTNZVGxWWWxZclRsUnNaR051YlhoMmIyOU1iWEJvZHk5VVJuWnNibkJ4TW5KTk1UVjViRWhwY1Roc1IzRm5VWEJTT1M4MlFVeDFiMnh0VjBSV1QxQkdSV2RCYkZSa09WRnZSVmM1WjB4TmRVY3piRTh6TVd4MGMyVnVXbGRVTVd4RFVWTXlVbEpXVTNoWWFqZGpVak15YkZoblUwVnphekZhZWpVM1pWSnNaME5tZVdaQmRsVktWWFJOZERrNE1uTnZUbEl5WkhwUFZrOUxhamw2YkdsbFJuSmlaR1pDV21oNFdraFJiamRKU25WSFkyTmthVXB1UzFSVVpXSkNhbmhOYUZWalZVaHJOako1YkU4M1oyVk1kR0l6U2sxVlltSnVkbE5aUkRKVlFXTnNaM3B5ZDJ4QlowMUNRVUZIYW1kbU5IZG5abk4zUkdkWlJGWlNNRkJCVVVndlFrRlJSRUZuUjBkTlFqQkhRVEZWWkVwUlVWZE5RbEZIUTBOelIwRlJWVVpDZDAxQ1FtZG5ja0puUlVaQ1VXTkVRV3BCVTBKblRsWklVazFDUVdZNFJVTkVRVWRCVVVndlFXZEZRVTFDTUVkQk1WVmtSR2RSVjBKQ1UySjVRa2M0VUdGdk1uVlVSMDFVYnpsRk1WWmplVXc0VUVGWlZFRm1RbWRPVmtoVFRVVkhSRUZYWjBKVWEzSjVjMjFqVW05eVUwTmxSa3d4U20xTVR5OTNhVkpPZUZCcVFUQkNaMmR5UW1kRlJrSlJZMEpCVVZGdlRVTlpkMHBCV1VsTGQxbENRbEZWU0UxQlMwZEhSMmd3WkVoQk5reDVPWEJNYmtKeVlWTTFibUl5T1c1TU0wbDRURzFPZVdSRVFYSkNaMDVXU0ZJNFJVcEVRV2xOUTBOblNIRkJZMmhvY0c5a1NGSjNUMms0ZGxsNU5YZGhNbXQxV2pJNWRscDVPWGxNTTBsNFRHMU9lV0pFUVZSQ1owNVdTRk5CUlVSRVFVdE5RV2RIUW0xbFFrUkJSVU5CVkVGT1FtZHJjV2hyYVVjNWR6QkNRVkZ6UmtGQlQwTkJaMFZCYURKdVJEbFhSRFZ6YTNwVlRFRjRiVWxrZEhoV1dscEdPQzgxZDNRMWFXWkpUVlZCVlZKT1ZuZGFZMHc1ZFhWUGRuSk9WRGMxY0Zab2VUTlpOR1J4T1ZCMFFrUjVTVzFuVkdOSldISnhjRGhGVEd4UlNHSk5SMUl5YjI1RE1YazFhRkpwYjFJelIwY3hTamh4UjBKbE0wSXhSRkY2YmpCeGJ6VkhhM0o0TkdscGFpOWtOblI1YjBkNFpucGtRWFowVUZKUksyczJVR0ZZWVRoTVYyUm9hbkJUTHk5WFJtZFBOazFZVDB0bE5uRlVhV05XYldvMk5GaFpkMnB2UkZGWlRuVlpTSFJEVjFCR2NsYzRhVzFEWkROU01UVklLek5MYkVOdVRUZEdkbEY1WkU1eU1EUk1VRlYwTDB4WlRUaEhXa2hDU25sVmNURnZXSFpGTlZKTFYydHZkekZRZEVod2RXMHpPVGgxUjNsV2VtWXJkblVyTURGcEwyMWtSRkZ3YzJJdlNTOVFVVlk1UWtGS2FXNDVSVEpqWmxsTWJFRnpUbXc1Vm1GVmIxVnBaemx4ZFd4VEsycHJibVJvZEU5VFVXTlhkSGMyTWxsTWRVZHZMM2xKT1dOR05GVlpOSEU1YkZkblRrODNURGxKVmxaSVVXODVORzlEY2t3eFoxSk5TMEZPZEVacllXTk1SRVZEZDBGMVJsTkxkblZvWVRkRVlXNVpOMmhhTjFseFJqWklhMDVzU25wVVFUWlpPVlZTVG5FNVRYaHhTbWhOWlZSa2EyVm1laXR6TVVGa0wxRlpNR1V5VFVoSFoySkZLMjlPWkRSaGQxUmtja1Y0VXpKQ01rVndOM2RqVTJreGIwRXpOSEJKWVVwblVYVlhkVGhHY205alEzTjZjM0ZqSzI5S1YxUnlkekpXVVdkbE9YaG5WVnBWVFZwTVVsZGlSalJxTTBaTFVITldWbWRXS3pkbk9UVlNUa1ZxUjJoRE1VMDRUR0Z6T0hkM05WUXJkVUpRVFV4elUxRnJNa0pTU0dOM1pubEVVakl3T1RKS1JteGtSM1ZCT0UxVlFYSkhUaTl1U0ZSRVpsZGhXVXhKVUVOVmFIZENhSEJaVDJwTGJtazBaVkJNY21Ga2NUZEJSekpSYjBkV2MzcGFkMmRLWlhGTVdFcENaaXRKTm01NWVrWmtNbU0xVDFoTlJ6WTFUbU05SWl3aVRVbEpSbGxxUTBOQ1JYRm5RWGRKUWtGblNWRmtOekJPWWs1ek1pdFNjbkZKVVM5Rk9FWnFWRVJVUVU1Q1oydHhhR3RwUnpsM01FSkJVWE5HUVVSQ1dFMVJjM2REVVZsRVZsRlJSMFYzU2tOU1ZFVmFUVUpqUjBFeFZVVkRhRTFSVWpKNGRsbHRSbk5WTW14dVltbENkV1JwTVhwWlZFVlJUVUUwUjBFeFZVVkRlRTFJVlcwNWRtUkRRa1JSVkVWaVRVSnJSMEV4VlVWQmVFMVRVako0ZGxsdFJuTlZNbXh1WW1sQ1UySXlPVEJKUlU1Q1RVSTBXRVJVU1hkTlJGbDRUMVJCZDAxRVFUQk5iRzlZUkZSSk5FMUVSWGxQUkVGM1RVUkJNRTFzYjNkU2VrVk1UVUZyUjBFeFZVVkNhRTFEVmxaTmVFbHFRV2RDWjA1V1FrRnZWRWRWWkhaaU1tUnpXbE5DVldOdVZucGtRMEpVV2xoS01tRlhUbXhqZVVKTlZFVk5lRVpFUVZOQ1owNVdRa0ZOVkVNd1pGVlZlVUpUWWpJNU1FbEdTWGhOU1VsRFNXcEJUa0puYTNGb2EybEhPWGN3UWtGUlJVWkJRVTlEUVdjNFFVMUpTVU5EWjB0RFFXZEZRWFJvUlVOcGVEZHFiMWhsWWs4NWVTOXNSRFl6YkdGa1FWQkxTRGxuZG13NVRXZGhRMk5tWWpKcVNDODNOazUxT0dGcE5saHNOazlOVXk5cmNqbHlTRFY2YjFGa2MyWnVSbXc1TjNaMVprdHFObUozVTJsV05tNXhiRXR5SzBOTmJuazJVM2h1UjFCaU1UVnNLemhCY0dVMk1tbHRPVTFhWVZKM01VNUZSRkJxVkhKRlZHODRaMWxpUlhaekwwRnRVVE0xTVd0TFUxVnFRalpITURCcU1IVlpUMFJRTUdkdFNIVTRNVWs0UlRORGQyNXhTV2x5ZFRaNk1XdGFNWEVyVUhOQlpYZHVha2g0WjNOSVFUTjVObTFpVjNkYVJISllXV1pwV1dGU1VVMDVjMGh0YTJ4RGFYUkVNemh0TldGblNTOXdZbTlRUjJsVlZTczJSRTl2WjNKR1dsbEtjM1ZDTm1wRE5URXhjSHB5Y0RGYWEybzFXbEJoU3pRNWJEaExSV280UXpoUlRVRk1XRXd6TW1nM1RURmlTM2RaVlVnclJUUkZlazVyZEUxbk5sUlBPRlZ3YlhaTmNsVndjM2xWY1hSRmFqVmpkVWhMV2xCbWJXZG9RMDQyU2pORGFXOXFOazlIWVVzdlIxQTFRV1pzTkM5WWRHTmtMM0F5YUM5eWN6TTNSVTlsV2xaWWRFd3diVGM1V1VJd1pYTlhRM0oxVDBNM1dFWjRXWEJXY1RsUGN6WndSa3hMWTNkYWNFUkpiRlJwY25oYVZWUlJRWE0yY1hwcmJUQTJjRGs0WnpkQ1FXVXJaRVJ4Tm1SemJ6UTVPV2xaU0RaVVMxZ3ZNVmszUkhwcmRtZDBaR2w2YW10WVVHUnpSSFJSUTNZNVZYY3JkM0E1VlRkRVlrZExiMmRRWlUxaE0wMWtLM0IyWlhvM1Z6TTFSV2xGZFdFckszUm5lUzlDUW1wR1JrWjVNMnd6VjBad1R6bExWMmQ2TjNwd2JUZEJaVXRLZERoVU1URmtiR1ZEWm1WWWEydFZRVXRKUVdZMWNXOUpZbUZ3YzFwWGQzQmlhMDVHYUVoaGVESjRTVkJGUkdkbVp6RmhlbFpaT0RCYVkwWjFZM1JNTjFSc1RHNU5VUzh3YkZWVVltbFRkekZ1U0RZNVRVYzJlazh3WWpsbU5rSlJaR2RCYlVRd05ubExOVFp0UkdOWlFscFZRMEYzUlVGQllVOURRVlJuZDJkblJUQk5RVFJIUVRGVlpFUjNSVUl2ZDFGRlFYZEpRbWhxUVZCQ1owNVdTRkpOUWtGbU9FVkNWRUZFUVZGSUwwMUNNRWRCTVZWa1JHZFJWMEpDVkd0eWVYTnRZMUp2Y2xORFpVWk1NVXB0VEU4dmQybFNUbmhRYWtGbVFtZE9Wa2hUVFVWSFJFRlhaMEpTWjJVeVdXRlNVVEpZZVc5c1VVd3pNRVY2VkZOdkx5OTZPVk42UW1kQ1oyZHlRbWRGUmtKUlkwSkJVVkpWVFVaSmQwcFJXVWxMZDFsQ1FsRlZTRTFCUjBkSFYyZ3daRWhCTmt4NU9YWlpNMDUzVEc1Q2NtRlROVzVpTWpsdVRESmtlbU5xUlhkTFVWbEpTM2RaUWtKUlZVaE5RVXRIU0Zkb01HUklRVFpNZVRsM1lUSnJkVm95T1haYWVUbHVZek5KZUV3eVpIcGpha1YxV1ROS01FMUVTVWRCTVZWa1NIZFJjazFEYTNkS05rRnNiME5QUjBsWGFEQmtTRUUyVEhrNWFtTnRkM1ZqUjNSd1RHMWtkbUl5WTNaYU0wNTVUVk01Ym1NelNYaE1iVTU1WWtSQk4wSm5UbFpJVTBGRlRrUkJlVTFCWjBkQ2JXVkNSRUZGUTBGVVFVbENaMXB1WjFGM1FrRm5TWGRFVVZsTVMzZFpRa0pCU0ZkbFVVbEdRWGRKZDBSUldVeExkMWxDUWtGSVYyVlJTVVpCZDAxM1JGRlpTa3R2V2tsb2RtTk9RVkZGVEVKUlFVUm5aMFZDUVVSVGEwaHlSVzl2T1VNd1pHaGxiVTFZYjJnMlpFWlRVSE5xWW1SQ1drSnBUR2M1VGxJemREVlFLMVEwVm5obWNUZDJjV1pOTDJJMVFUTlNhVEZtZVVwdE9XSjJhR1JIWVVwUk0ySXlkRFo1VFVGWlRpOXZiRlZoZW5OaFRDdDVlVVZ1T1Zkd2NrdEJVMDl6YUVsQmNrRnZlVnBzSzNSS1lXOTRNVEU0Wm1WemMyMVliakZvU1ZaM05ERnZaVkZoTVhZeGRtYzBSblkzTkhwUWJEWXZRV2hUY25jNVZUVndRMXBGZERSWGFUUjNVM1I2Tm1SVVdpOURURUZPZURoTVdtZ3hTamRSU2xacU1tWm9UWFJtVkVweU9YYzBlak13V2pJd09XWlBWVEJwVDAxNUszRmtkVUp0Y0haMldYVlNOMmhhVERaRWRYQnplbVp1ZHpCVGEyWjBhSE14T0dSSE9WcExZalU1VldoMmJXRlRSMXBTVm1KT1VYQnpaek5DV214MmFXUXdiRWxMVHpKa01YaHZlbU5zVDNwbmFsaFFXVzkyU2twSmRXeDBlbXROZFRNMGNWRmlPVk42TDNscGJISmlRMmRxT0QwaVhYMC5leUp1YjI1alpTSTZJblpvUmxadE5UbG9NR1JCWVZwNWJVTlZVMnBPZGtJNWJFdHZPSGRVV2t0REsybDVWbWhYZW5kYUwwazlJaXdpZEdsdFpYTjBZVzF3VFhNaU9qRTNORGsxTURFMk5ESTVPRGtzSW1Gd2ExQmhZMnRoWjJWT1lXMWxJam9pWTI5dExtZHZiMmRzWlM1aGJtUnliMmxrTG1kdGN5SXNJbUZ3YTBScFoyVnpkRk5vWVRJMU5pSTZJazlyU2tscWVHeDBhbVpYY1hsMEwwYzVTamRrTVZkblREUjBVUzg0WlRoSlNITTJja1UzWTNGWlkzYzlJaXdpWTNSelVISnZabWxzWlUxaGRHTm9JanBtWVd4elpTd2lZWEJyUTJWeWRHbG1hV05oZEdWRWFXZGxjM1JUYUdFeU5UWWlPbHNpT0ZBeGMxY3dSVkJLWTNOc2R6ZFZlbEp6YVZoTU5qUjNLMDgxTUVWa0sxSkNTVU4wWVhreFp6STBUVDBpWFN3aVltRnphV05KYm5SbFozSnBkSGtpT25SeWRXVXNJbVYyWVd4MVlYUnBiMjVVZVhCbElqb2lRa0ZUU1VNaUxDSmtaWEJ5WldOaGRHbHZia2x1Wm05eWJXRjBhVzl1SWpvaVZHaGxJRk5oWm1WMGVVNWxkQ0JCZEhSbGMzUmhkR2x2YmlCQlVFa2dhWE1nWkdWd2NtVmpZWFJsWkM0Z1NYUWdhWE1nY21WamIyMXRaVzVrWldRZ2RHOGdkWE5sSUhSb1pTQlFiR0Y1SUVsdWRHVm5jbWwwZVNCQlVFazZJR2gwZEhCek9pOHZaeTVqYnk5d2JHRjVMM05oWm1WMGVXNWxkQzEwYVcxbGJHbHVaUzRpZlEuUnpfZklvRjM3SE5CV05Db2NtckdxLXpsVDMtbUZJZkZvand5YUxiWXJ4dVpwcldxZ0RmNFo4SDBvMVY1WllmcWdXckw2bHNkVVlnZkxmTGRrRjFTQUhiT1U1cEVhYlQzVzdNRUdLLVBiNkZsRlg4NWpMYllSNmVSY3BFV2lVeTVvci1FMVhNSTIwand1Qk10UkJOVnVuV2JqV2gtVkJwWjZTcWRfZURfN3hiSnd0NFdXNW5kZDdZRHB1U3FETThiVldFRHRMOF9yTjRacUhndzJ1ZDI5NUswNHlaTmVTNkdKb0JDdFNzYVAyTjhRdmIwcXl3UlFlWWd6Vi1pVDlkREpnSnVfS1ExWWxmN0N3Nm9nOG56b3l5c1pvMFZXc3BnUnV2eUFFQTFjVFhVSXhISC1nQTVvRWtsTlZJbmtudHNoZWlBc1AtTlFhR25ITUVRVkhYMlNnaGF1dGhEYXRhWMVohwRhK0KVlcdgFyyI6dEhDIutzOO6c9Ae1qAfEXAiQkUAAAAAuT_ZYfLmRi-xIoIAIkfeeABBAS_TChPtwkqgPwDxkkF39yjfaPJtKiwMGIY69EV7udG2xaP8hYnjJsPS7VPnUA2xaUZc7dHot5WwYRRoavu7AiulAQIDJiABIVgg2nChB8Re-aOqUtqbEDUD6BE18yvs5eixZ5gOA5O3Q14iWCDf6BSjMgCAznWaVDQsxx7PdxJFvRwEqqUqA4D7EmNQWQ",
  },
];

/** The vector called `name` (throws on a typo so tests fail loudly). */
export function attestationVector(name: string): AttestationVector {
  const found = ATTESTATION_VECTORS.find((v) => v.name === name);
  if (found === undefined) throw new Error(`no attestation vector ${name}`);
  return found;
}
