/**
 * ejabberd's admin API (mod_http_api) on the instance's loopback port: accounts and rooms in ~5 ms a call,
 * where each `ejabberdctl` call starts an Erlang node (~0.3 s). Only loopback callers are allowed
 * (api_permissions in config.ts).
 */

/** How many accounts (or roster items) are written at once (SCRAM hashing runs in ejabberd's schedulers). */
const CONCURRENCY = 8;

export class EjabberdApiError extends Error {
  constructor(
    readonly command: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`ejabberd API ${command} failed (HTTP ${status}): ${body}`);
    this.name = "EjabberdApiError";
  }
}

export class EjabberdApi {
  constructor(
    readonly port: () => number,
    readonly domain: string,
  ) {}

  async call(command: string, args: Record<string, unknown>): Promise<unknown> {
    const response = await fetch(`http://127.0.0.1:${this.port()}/api/${command}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(args),
    });
    const body = await response.text();
    if (!response.ok) throw new EjabberdApiError(command, response.status, body);
    return body ? JSON.parse(body) : undefined;
  }

  /** Creates the account, or sets its password when it exists (what Prosody's harness does too). */
  async register(user: string, password: string): Promise<void> {
    if (!/^[a-z0-9._-]+$/.test(user)) throw new Error(`invalid XMPP user name ${JSON.stringify(user)}`);
    try {
      await this.call("register", { user, host: this.domain, password });
    } catch (error) {
      if (!(error instanceof EjabberdApiError) || !/already/i.test(error.body)) throw error;
      await this.call("change_password", { user, host: this.domain, newpass: password });
    }
  }

  async registerMany(accounts: { user: string; password: string }[]): Promise<void> {
    await inParallel(accounts, (a) => this.register(a.user, a.password));
  }

  /**
   * `owner` and each contact in each other's roster with subscription both (mod_admin_extra
   * add_rosteritem), as first contact leaves them. ejabberd 24.02 renamed the argument `group` to a
   * list `groups`; 23.01 (Debian 12) takes the string.
   */
  async presetRosters(owner: string, contacts: string[]): Promise<void> {
    const item = async (user: string, contact: string) => {
      const args = {
        localuser: user,
        localhost: this.domain,
        user: contact,
        host: this.domain,
        nick: contact,
      };
      try {
        await this.call("add_rosteritem", { ...args, group: "", subs: "both" });
      } catch (error) {
        if (!(error instanceof EjabberdApiError) || error.status !== 400) throw error;
        await this.call("add_rosteritem", { ...args, groups: [], subs: "both" });
      }
    };
    await inParallel(contacts, async (contact) => {
      await item(owner, contact);
      await item(contact, owner);
    });
  }
}

/** Runs `task` for every item, CONCURRENCY at a time. */
async function inParallel<T>(items: T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}
