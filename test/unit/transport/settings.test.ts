import { describe, expect, it } from "vitest";
import type { XmppSettings } from "../../../reconciler/src/fabric/types.ts";
import { backoffDelay, resolveTransportSettings } from "../../../reconciler/src/transport/index.ts";

const file: XmppSettings = {
  host: "xmpp.example.net",
  port: 5222,
  switchServer: "xmpp.example.net",
  domain: "example.net",
  mucService: "groups.example.net",
  reconcilerJid: "reconciler@example.net",
  reconcilerPassword: { kind: "env", name: "REC_PW" },
  caFile: "certs/ca.crt",
  tls: "starttls",
  cliMode: "multiline",
  maxReplyBytes: 8 * 1024 * 1024,
  operatorJids: [],
  sessionPrivilege: 15,
};
const readSecret = (ref: { kind: string; name?: string }) => {
  if (ref.kind === "env" && ref.name === "REC_PW") return "from-ref";
  throw new Error("not set");
};

describe("resolveTransportSettings", () => {
  it("takes the file's values, with relative paths in the repo", () => {
    const r = resolveTransportSettings(file, {}, {}, { readSecret, repoDir: "/repo" });
    expect(r.ok && r.settings).toMatchObject({
      host: "xmpp.example.net",
      port: 5222,
      caFile: "/repo/certs/ca.crt",
      password: "from-ref",
      jid: "reconciler@example.net",
      maxReplyBytes: 8 * 1024 * 1024,
    });
  });

  it("prefers flag over environment over file", () => {
    const env = {
      RECONCILER_XMPP_HOST: "env-host",
      RECONCILER_XMPP_PORT: "15222",
      RECONCILER_XMPP_DOMAIN: "lab.test",
      RECONCILER_XMPP_MUC: "groups.lab.test",
      RECONCILER_XMPP_CA: "/env/ca.crt",
      RECONCILER_XMPP_JID: "rec@lab.test",
      RECONCILER_XMPP_PASSWORD: "env-pw",
    };
    const r = resolveTransportSettings(file, env, { host: "flag-host", port: "16222" }, { readSecret });
    expect(r.ok && r.settings).toMatchObject({
      host: "flag-host",
      port: 16222,
      domain: "lab.test",
      mucService: "groups.lab.test",
      caFile: "/env/ca.crt",
      jid: "rec@lab.test",
      password: "env-pw",
    });
  });

  it("returns errors that say what to set", () => {
    const r = resolveTransportSettings(
      { ...file, reconcilerPassword: { kind: "env", name: "MISSING" } },
      { RECONCILER_XMPP_PORT: "http" },
      {},
      { readSecret },
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.code)).toEqual(["invalid-port", "unreadable-secret"]);
  });
});

describe("backoffDelay", () => {
  it("grows exponentially with jitter and stays under the cap", () => {
    const o = { initialMs: 100, maxMs: 1000, factor: 2 };
    expect(backoffDelay(0, o, 0)).toBe(50);
    expect(backoffDelay(0, o, 0.999)).toBeLessThanOrEqual(100);
    expect(backoffDelay(3, o, 0)).toBe(400);
    expect(backoffDelay(10, o, 1)).toBe(1000);
  });
});
