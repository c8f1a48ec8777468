import { InMemoryIdentityUserDirectory } from "../../../src/adapters/in-memory/in-memory-identity-user-directory.js";
import { describeIdentityUserDirectoryContract } from "../../ports/identity-user-directory.contract.js";

describeIdentityUserDirectoryContract("InMemoryIdentityUserDirectory", async () => ({ directory: new InMemoryIdentityUserDirectory() }));
