/**
 * ejabberd's admin API (mod_http_api) on the instance's loopback port: accounts and rooms in ~5 ms a call,
 * where each `ejabberdctl` call starts an Erlang node (~0.3 s). Only loopback callers are allowed
 * (api_permissions in config.ts).
 */

/** How many accounts registerMany creates at once (SCRAM hashing runs in ejabberd's schedulers). */
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
    let next = 0;
    const worker = async () => {
      while (next < accounts.length) {
        const a = accounts[next++]!;
        await this.register(a.user, a.password);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }
}
