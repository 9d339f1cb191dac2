import { fabricError } from "../errors.ts";
import type { FabricError } from "../types.ts";
import { type FabricRule, fieldPosition, type RuleContext } from "./rule.ts";

/** Group and device names become room names and JIDs: keep them to safe characters. */
const namePattern = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

export const fileNames: FabricRule = {
  name: "fileNames",
  check({ fabric }) {
    const errors = [...Object.values(fabric.groups), ...Object.values(fabric.devices)]
      .filter((item) => !namePattern.test(item.name))
      .map((item) =>
        fabricError(
          "bad-file-name",
          item.position,
          `"${item.name}" (from the file name ${item.position.file}) is not a valid name`,
          "Rename the file: lowercase letters, digits, dots, dashes and underscores, starting with a letter or digit.",
        ),
      );
    return { errors };
  },
};

export const noDuplicateHostnames: FabricRule = {
  name: "noDuplicateHostnames",
  check(context) {
    const devices = Object.values(context.fabric.devices);
    return {
      errors: duplicates(
        context,
        devices.map((d) => ({
          key: d.hostname.toLowerCase(),
          shown: d.hostname,
          device: d.name,
          file: d.position.file,
        })),
        ["hostname"],
        (shown, first) => ({
          code: "duplicate-hostname",
          message: `hostname ${shown} is also the hostname of ${first}`,
          hint: "Give every switch its own hostname: (it defaults to the file name).",
        }),
      ),
    };
  },
};

export const noDuplicateJids: FabricRule = {
  name: "noDuplicateJids",
  needsSettings: true,
  check(context) {
    const { xmpp } = context.fabric;
    const devices = Object.values(context.fabric.devices);
    const errors = duplicates(
      context,
      devices.map((d) => ({
        key: d.xmpp.jid.toLowerCase(),
        shown: d.xmpp.jid,
        device: d.name,
        file: d.position.file,
      })),
      ["xmpp", "user"],
      (shown, first) => ({
        code: "duplicate-jid",
        message: `XMPP account ${shown} is also the account of ${first}`,
        hint: "Give every switch its own XMPP user (xmpp.user, default: the file name): one login per switch.",
      }),
    );
    const senders = new Set([xmpp.reconcilerJid, ...xmpp.operatorJids].map((jid) => jid.toLowerCase()));
    for (const device of devices) {
      if (!senders.has(device.xmpp.jid.toLowerCase())) continue;
      errors.push(
        fabricError(
          "duplicate-jid",
          fieldPosition(context, device.position.file, ["xmpp", "user"]),
          `device ${device.name} uses the XMPP account ${device.xmpp.jid}, which fabric.yaml gives to the reconciler or an operator`,
          "Use a separate account per switch; the reconciler's and operators' accounts send commands.",
        ),
      );
    }
    return { errors };
  },
};

/** EOS refuses commands from a sender whose domain is not its own (reference/eos-xmpp.md §2.1). */
export const sendersInDomain: FabricRule = {
  name: "sendersInDomain",
  needsSettings: true,
  check(context) {
    const { xmpp } = context.fabric;
    const check = (jid: string, path: (string | number)[], who: string) =>
      jid.split("@")[1]?.toLowerCase() === xmpp.domain
        ? []
        : [
            fabricError(
              "foreign-domain-jid",
              fieldPosition(context, "fabric.yaml", path),
              `${who} ${jid} is not in the fabric's domain ${xmpp.domain}, so the switches would refuse its commands`,
              `Use an account in ${xmpp.domain} (EOS only accepts commands from its own domain).`,
            ),
          ];
    const errors = [
      ...check(xmpp.reconcilerJid, ["xmpp", "reconcilerJid"], "the reconciler JID"),
      ...xmpp.operatorJids.flatMap((jid, index) =>
        check(jid, ["xmpp", "operatorJids", index], "operator JID"),
      ),
    ];
    const warnings =
      xmpp.sessionPrivilege < 15
        ? [
            fabricError(
              "low-session-privilege",
              fieldPosition(context, "fabric.yaml", ["xmpp", "sessionPrivilege"]),
              `session privilege ${xmpp.sessionPrivilege}: switches will refuse configuration commands over XMPP`,
              "Use sessionPrivilege: 15 unless AAA gives the reconciler's user its privilege level.",
            ),
          ]
        : [];
    return { errors, warnings };
  },
};

function duplicates(
  context: RuleContext,
  entries: { key: string; shown: string; device: string; file: string }[],
  path: string[],
  describe: (shown: string, first: string) => { code: string; message: string; hint: string },
): FabricError[] {
  const first = new Map<string, string>();
  const errors: FabricError[] = [];
  for (const entry of entries) {
    const earlier = first.get(entry.key);
    if (earlier === undefined) {
      first.set(entry.key, entry.device);
      continue;
    }
    const { code, message, hint } = describe(entry.shown, earlier);
    errors.push(fabricError(code, fieldPosition(context, entry.file, path), message, hint));
  }
  return errors;
}
