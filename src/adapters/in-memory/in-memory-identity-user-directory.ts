import type { IdentityUser, IdentityUserDirectory } from "../../ports/identity-user-directory.js";

/**
 * The local identity provider's users in a Map, for STORAGE=memory: they live as long as the process.
 * Each method does its reads and writes without awaiting in between, so `create` and
 * `updateAttributes` are atomic in one process. Users are copied in and out, password included, so
 * callers can never mutate what is stored. `updateAttributes` changes attributes only, never the password.
 */
export class InMemoryIdentityUserDirectory implements IdentityUserDirectory {
  private readonly users = new Map<string, IdentityUser>();

  async create(user: IdentityUser): Promise<"created" | "exists"> {
    if (this.users.has(user.username)) return "exists";
    this.users.set(user.username, copy(user));
    return "created";
  }

  async find(username: string): Promise<IdentityUser | null> {
    const user = this.users.get(username);
    return user === undefined ? null : copy(user);
  }

  async updateAttributes(username: string, attributes: Readonly<Record<string, string>>): Promise<"updated" | "not_found"> {
    const user = this.users.get(username);
    if (user === undefined) return "not_found";
    this.users.set(username, copy({ ...user, attributes: { ...user.attributes, ...attributes } }));
    return "updated";
  }

  async delete(username: string): Promise<void> {
    this.users.delete(username);
  }
}

function copy(user: IdentityUser): IdentityUser {
  const copied = { username: user.username, sub: user.sub, attributes: { ...user.attributes } };
  if (user.password === undefined) return copied;
  const { hash, srpSalt, srpVerifier } = user.password;
  return { ...copied, password: { hash, srpSalt, srpVerifier } };
}
