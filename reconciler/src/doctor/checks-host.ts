/** Checks of the reconciler's own side on this host: secrets, modes, the GitHub token (pure). */
import { type DoctorCheck, fail, octal, pass, skip, warn } from "./outcome.ts";
import { NEEDED_SCOPES, WEBHOOK_SECRET_MIN_LENGTH } from "./rules.ts";

export const HOST_CHECKS: DoctorCheck[] = [
  {
    id: "webhook-secret",
    area: "reconciler",
    title: `the webhook secret is set and at least ${WEBHOOK_SECRET_MIN_LENGTH} characters`,
    fix: "RECONCILER_WEBHOOK_SECRET(_FILE): a random secret, e.g. openssl rand -hex 32, the same in the GitHub webhook",
    evaluate(o) {
      const w = o.local.webhookSecret;
      if (!w) return [warn("not set (needed by reconciler serve)")];
      return w.length >= WEBHOOK_SECRET_MIN_LENGTH
        ? [pass(`${w.length} characters from ${w.source}`)]
        : [fail(`only ${w.length} characters (${w.source})`)];
    },
  },
  {
    id: "state-dir-private",
    area: "reconciler",
    title: "the state dir is private (0700)",
    fix: "chmod 700 the state dir (it holds the journal, the lock and the repo cache)",
    evaluate(o) {
      const d = o.local.stateDir;
      if (d.missing) return [warn(`${d.path} does not exist yet (created 0700 at the first run)`)];
      return (d.mode! & 0o077) === 0
        ? [pass(`${d.path} is ${octal(d.mode!)}`)]
        : [fail(`${d.path} is ${octal(d.mode!)}`)];
    },
  },
  {
    id: "secret-files-private",
    area: "reconciler",
    title: "secret files are readable by their owner only (0600)",
    fix: "chmod 600 the file",
    evaluate(o) {
      if (o.local.secretFiles.length === 0) return [pass("no secret is read from a file")];
      return o.local.secretFiles.map((f) =>
        f.error
          ? fail(`${f.what}: ${f.error}`, f.path)
          : (f.mode! & 0o077) === 0
            ? pass(`${f.what}: ${octal(f.mode!)}`, f.path)
            : fail(`${f.what}: ${octal(f.mode!)}, readable by others`, f.path),
      );
    },
  },
  {
    id: "github-token-scope",
    area: "reconciler",
    title: "the GitHub token has no wider permissions than needed",
    fix: "use a fine-grained token (or a GitHub App) with Pull requests and Commit statuses read/write and Contents read-only",
    evaluate(o) {
      const g = o.local.github;
      if (g.kind === "none") return [skip("no GITHUB_TOKEN")];
      if (g.kind === "app") return [pass("a GitHub App: its installation's permissions are set on the App")];
      if (g.error) return [warn(`could not ask GitHub: ${g.error}`)];
      if (!g.scopes)
        return [
          warn(
            "a fine-grained token: its permissions are not readable through the API; check them in GitHub's settings",
          ),
        ];
      const extra = g.scopes.filter((s) => !NEEDED_SCOPES.has(s));
      return extra.length > 0
        ? [fail(`scopes ${extra.join(", ")} are more than it needs (${[...NEEDED_SCOPES].join(", ")})`)]
        : [pass(`scopes ${g.scopes.join(", ") || "(none)"}`)];
    },
  },
];
