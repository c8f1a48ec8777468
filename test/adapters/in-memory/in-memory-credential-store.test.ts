import { InMemoryCredentialStore } from "../../../src/adapters/in-memory/in-memory-credential-store.js";
import { describeCredentialStoreContract } from "../../ports/credential-store.contract.js";

describeCredentialStoreContract("InMemoryCredentialStore", async () => ({ store: new InMemoryCredentialStore() }));
