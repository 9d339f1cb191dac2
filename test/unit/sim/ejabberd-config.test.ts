import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCtlConfig, renderEjabberdConfig } from "../../../reconciler/sim/ejabberd/config.ts";

const input = {
  dir: "/tmp/x",
  port: 15222,
  apiPort: 15280,
  domain: "fabric.test",
  mucService: "groups.fabric.test",
  caFile: "/tmp/x/ca.crt",
  serverCert: "/tmp/x/server.crt",
  serverKey: "/tmp/x/server.key",
  clientCerts: false,
  stanzaLimit: 262_144,
  mucPresenceBroadcastModeratorOnly: false,
};

type Listener = Record<string, unknown>;

describe("throw-away ejabberd config", () => {
  it("requires STARTTLS on a loopback c2s port, keeps the admin API on loopback and runs no offline storage", () => {
    const config = parse(renderEjabberdConfig(input));
    const c2s = (config.listen as Listener[]).find((l) => l.module === "ejabberd_c2s")!;
    expect(c2s).toMatchObject({ port: 15222, ip: "127.0.0.1", starttls_required: true });
    const http = (config.listen as Listener[]).find((l) => l.module === "ejabberd_http")!;
    expect(http).toMatchObject({ port: 15280, ip: "127.0.0.1" });
    expect(config.api_permissions["loopback admin"].who).toEqual({ ip: "127.0.0.1/8" });
    expect(Object.keys(config.modules)).not.toContain("mod_offline");
    expect(Object.keys(config.modules)).not.toContain("mod_register");
    expect(config.modules.mod_muc.history_size).toBe(0);
    expect(config.modules.mod_muc.default_room_options.anonymous).toBe(false);
  });

  it("offers plaintext login and open registration only when deliberately misconfigured", () => {
    const config = parse(
      renderEjabberdConfig({ ...input, misconfigure: { plaintextAuth: true, openRegistration: true } }),
    );
    const c2s = (config.listen as Listener[]).find((l) => l.module === "ejabberd_c2s")!;
    expect(c2s.starttls_required).toBe(false);
    expect(config.modules.mod_register).toBeDefined();
    expect(config.access_rules.register).toEqual({ allow: "all" });
  });

  it("isolates the instance: own cookie, distribution port, no su to the ejabberd user", () => {
    const text = renderCtlConfig({ distPort: 15299, cookie: "abc123", pidFile: "/tmp/x/ejabberd.pid" });
    expect(text).toContain("EXEC_CMD=as_current_user");
    expect(text).toContain("ERL_DIST_PORT=15299");
    expect(text).toContain("-setcookie abc123 -kernel inet_dist_use_interface {127,0,0,1}");
    expect(() => renderCtlConfig({ distPort: 1, cookie: "a b", pidFile: "/p" })).toThrow(/cookie/);
  });
});
