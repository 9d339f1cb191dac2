import { App, Octokit } from "octokit";

/** How the reconciler authenticates to GitHub: a token, or a GitHub App installation (reference/github.md §6). */
export type GithubAuth =
  | { kind: "token"; token: string }
  | { kind: "app"; appId: string | number; privateKey: string; installationId: number };

export interface GithubLog {
  debug: (message: string, ...rest: unknown[]) => void;
  info: (message: string, ...rest: unknown[]) => void;
  warn: (message: string, ...rest: unknown[]) => void;
  error: (message: string, ...rest: unknown[]) => void;
}

export interface GithubClientOptions {
  auth: GithubAuth;
  /** REST root; GITHUB_API_URL in Actions, a GHES address, or a local fake in tests. */
  baseUrl?: string;
  /**
   * octokit's throttling plugin (queues writes, waits out rate limits and retries once). Tests turn
   * it off (`{ enabled: false }`) except where they exercise it with a small `retryAfterBaseValue`.
   */
  throttle?: { enabled?: boolean; retryAfterBaseValue?: number };
  /** octokit's retry plugin (5xx and network errors, 3 times by default, waits (n+1)² × base ms). */
  retry?: { enabled?: boolean; retries?: number; retryAfterBaseValue?: number };
  log?: GithubLog;
}

export type GithubClient = Octokit;

/** An authenticated octokit with retry and rate-limit handling, for a token or an App installation. */
export async function createGithubClient(options: GithubClientOptions): Promise<GithubClient> {
  const log = options.log;
  // Same policy as octokit's defaults (retry a rate-limited request once, after the wait GitHub asks
  // for), restated because passing any throttle option replaces the default handlers.
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string; request: { retryCount: number } }) => {
      log?.warn(`github: ${kind} for ${request.method} ${request.url}; retry after ${retryAfter} s`);
      return request.request.retryCount === 0;
    };
  const defaults = {
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(log ? { log } : {}),
    throttle: {
      enabled: options.throttle?.enabled ?? true,
      ...(options.throttle?.retryAfterBaseValue !== undefined
        ? { retryAfterBaseValue: options.throttle.retryAfterBaseValue }
        : {}),
      onRateLimit: onLimit("rate limit exhausted"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
    },
    retry: { enabled: options.retry?.enabled ?? true, ...options.retry },
  };
  if (options.auth.kind === "token") return new Octokit({ ...defaults, auth: options.auth.token });
  const app = new App({
    appId: options.auth.appId,
    privateKey: options.auth.privateKey,
    Octokit: Octokit.defaults(defaults),
  });
  return app.getInstallationOctokit(options.auth.installationId);
}
