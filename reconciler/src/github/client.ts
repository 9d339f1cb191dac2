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
  const { defaults, app } = build(options);
  if (options.auth.kind === "token") return new Octokit({ ...defaults, auth: options.auth.token });
  return app!.getInstallationOctokit(options.auth.installationId);
}

/**
 * The login our comments appear under, so that only they are updated: the token's user, or
 * "<app-slug>[bot]" for an App. Undefined when GitHub will not say (the Actions GITHUB_TOKEN may not
 * read /user); then set it in the config ("github-actions[bot]").
 */
export async function resolveCommentAuthor(options: GithubClientOptions): Promise<string | undefined> {
  const { defaults, app } = build(options);
  try {
    if (options.auth.kind === "token") {
      const client = new Octokit({ ...defaults, auth: options.auth.token });
      return (await client.rest.users.getAuthenticated()).data.login;
    }
    const { data } = await app!.octokit.rest.apps.getAuthenticated();
    return data?.slug ? `${data.slug}[bot]` : undefined;
  } catch (error) {
    options.log?.warn(
      `github: cannot tell which login the reconciler comments as: ${(error as Error).message}`,
    );
    return undefined;
  }
}

function build(options: GithubClientOptions) {
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
  const app =
    options.auth.kind === "app"
      ? new App({
          appId: options.auth.appId,
          privateKey: options.auth.privateKey,
          Octokit: Octokit.defaults(defaults),
        })
      : undefined;
  return { defaults, app };
}
