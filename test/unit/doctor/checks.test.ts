import { describe, expect, it } from "vitest";
import { evaluateChecks, type Observations } from "../../../reconciler/src/doctor/index.ts";
import { readXmppBlock } from "../../../reconciler/src/doctor/observe-switches.ts";

/** A deployment that passes every check; each case below breaks one thing. */
function healthy(): Observations {
  return {
    server: {
      beforeTls: {
        starttlsOffered: true,
        starttlsRequired: true,
        mechanisms: [],
        plainAttempt: "not-offered",
      },
      certificate: {
        subject: "CN=securitydemo.lab",
        issuer: "CN=Fabric CA",
        validTo: "2030-01-01T00:00:00.000Z",
        daysLeft: 400,
        fingerprint256: "AA",
        chainsToPinnedCa: true,
        pinnedCa: true,
        namesDomain: true,
        selfSigned: false,
      },
      afterTls: {
        mechanisms: ["SCRAM-SHA-1", "PLAIN"],
        registerOffered: false,
        registration: "refused-not-allowed",
      },
    },
    rooms: [
      {
        group: "leaf",
        room: "leaf@groups.securitydemo.lab",
        membersOnly: true,
        nonAnonymous: true,
        historyLength: 0,
        members: ["leaf1@securitydemo.lab"],
        expected: ["leaf1@securitydemo.lab"],
      },
    ],
    switches: [
      {
        device: "leaf1",
        jid: "leaf1@securitydemo.lab",
        block: { privilege: 15, unencryptedPermit: false, server: "10.0.0.1", domain: "securitydemo.lab" },
        stranger: "refused",
      },
    ],
    local: {
      webhookSecret: { source: "RECONCILER_WEBHOOK_SECRET", length: 64 },
      stateDir: { path: "/var/lib/fabric-reconciler", mode: 0o40700 },
      secretFiles: [],
      github: { kind: "token", scopes: ["repo"] },
    },
    expected: { domain: "securitydemo.lab", switchServer: "10.0.0.1", privilege: 15 },
    strangerTested: true,
  };
}

const failing = (o: Observations) =>
  evaluateChecks(o)
    .filter((r) => r.status === "fail")
    .map((r) => `${r.check}: ${r.detail}`);

describe("the doctor's checks", () => {
  it("pass a healthy deployment", () => {
    expect(failing(healthy())).toEqual([]);
  });

  it.each<[string, (o: Observations) => void, string]>([
    [
      "an expired certificate",
      (o) => Object.assign(o.server.certificate!, { daysLeft: -2, validTo: "2026-01-01" }),
      "cert-validity: expired on 2026-01-01",
    ],
    [
      "a certificate expiring in 10 days",
      (o) => Object.assign(o.server.certificate!, { daysLeft: 10.5, validTo: "2026-12-12" }),
      "cert-validity: expires on 2026-12-12, in 10 days",
    ],
    [
      "a self-signed certificate",
      (o) => Object.assign(o.server.certificate!, { selfSigned: true }),
      "cert-not-self-signed: it is signed by its own key",
    ],
    [
      "a sample certificate",
      (o) => Object.assign(o.server.certificate!, { sample: "Debian ssl-cert snakeoil" }),
      "cert-not-sample: it is the Debian ssl-cert snakeoil",
    ],
    [
      "ANONYMOUS inside TLS",
      (o) => o.server.afterTls!.mechanisms.push("ANONYMOUS"),
      "no-leaky-mechanism: offers ANONYMOUS: lets anyone log in without an account",
    ],
    [
      "a PLAIN password checked before TLS",
      (o) =>
        Object.assign(o.server.beforeTls!, { mechanisms: ["PLAIN"], plainAttempt: "refused-not-authorized" }),
      "no-auth-before-tls: it checked a PLAIN password sent before TLS (the password crossed the wire in clear)",
    ],
    [
      "a room that replays history",
      (o) => Object.assign(o.rooms![0]!, { historyLength: 20 }),
      "room-no-history: replays the last 20 messages (old commands) to a joining switch",
    ],
    [
      "a room member not in git",
      (o) => (o.rooms![0]!.members = ["leaf1@securitydemo.lab", "rogue@securitydemo.lab"]),
      "room-members-match-git: not in git: rogue@securitydemo.lab",
    ],
    [
      "a switch at privilege 1",
      (o) => Object.assign(o.switches![0]!.block!, { privilege: 1 }),
      "switch-privilege: session privilege 1, needs 15",
    ],
    [
      "a switch on another domain",
      (o) => Object.assign(o.switches![0]!.block!, { domain: "other.lab" }),
      "switch-server-domain: domain other.lab (expected securitydemo.lab)",
    ],
    [
      "a switch that obeys strangers",
      (o) => Object.assign(o.switches![0]!, { stranger: "answered" }),
      "switch-refuses-strangers: ran a command from the unauthorized test account",
    ],
    [
      "a group-readable secret file",
      (o) => o.local.secretFiles.push({ path: "/etc/rec/pw", what: "xmpp.password", mode: 0o100640 }),
      "secret-files-private: xmpp.password: 0640, readable by others",
    ],
  ])("fail %s", (_name, breakIt, expected) => {
    const o = healthy();
    breakIt(o);
    expect(failing(o)).toEqual([expected]);
  });

  it("says once why nothing past the connection was examined", () => {
    const o: Observations = {
      ...healthy(),
      server: { error: "cannot connect to 10.0.0.9:5222: ECONNREFUSED" },
    };
    const results = evaluateChecks(o);
    expect(results.filter((r) => r.status === "fail").map((r) => r.check)).toEqual(["server-reachable"]);
    expect(results.find((r) => r.check === "cert-validity")?.status).toBe("skip");
  });
});

describe("readXmppBlock", () => {
  it("reads EOS's management xmpp block, privilege 1 when unset", () => {
    const shown = [
      "management xmpp",
      "   no shutdown",
      "   connection unencrypted permit",
      "   server 172.17.3.253",
      "   username spine2@securitydemo.lab",
      "   password 7 0A1B2C",
      "   domain securitydemo.lab",
    ].join("\n");
    expect(readXmppBlock(shown)).toEqual({
      privilege: 1,
      unencryptedPermit: true,
      server: "172.17.3.253",
      domain: "securitydemo.lab",
    });
    expect(readXmppBlock(`${shown}\n   session privilege 15`).privilege).toBe(15);
  });
});
