import { fabricError, fileStart, sortErrors, uniqueErrors } from "./errors.ts";
import { type FabricSettings, normaliseDevice, normaliseGroup, normaliseSettings } from "./normalise.ts";
import { parseYamlFile } from "./parse-yaml.ts";
import { compilePolicy } from "./policy.ts";
import { type DeviceRender, renderDevice } from "./render.ts";
import { fabricRules, findInlineSecretKeys, type RuleContext } from "./rules/index.ts";
import { checkSchema, type FileKind } from "./schema-check.ts";
import type { Device, Fabric, FabricError, FabricFiles, Group, ValidationResult } from "./types.ts";
import type { ParsedYaml } from "./yaml-position.ts";

export const fabricFile = "fabric.yaml";
const memberFile = /^(groups|devices)\/([^/]+)\.ya?ml$/;

/**
 * The pure validation pipeline (STYLE: changesets): parse with positions → schema → normalise → named
 * semantic rules. Every stage reports what it can about every file, so one run lists all the errors.
 */
export function validateFabric(files: FabricFiles): ValidationResult {
  const errors: FabricError[] = [];
  const warnings: FabricError[] = [];
  const parsedFiles = new Map<string, ParsedYaml>();
  const valid = new Map<string, ParsedYaml>();

  const paths = Object.keys(files.files).sort();
  const kinds = new Map<string, { kind: FileKind; name: string }>();
  for (const path of paths) {
    if (path === fabricFile) kinds.set(path, { kind: "fabric", name: "" });
    const match = memberFile.exec(path);
    if (match) kinds.set(path, { kind: match[1] === "groups" ? "group" : "device", name: match[2]! });
  }
  if (files.files[fabricFile] === undefined && !files.refused?.some((r) => r.file === fabricFile)) {
    errors.push(
      fabricError(
        "missing-fabric-file",
        fileStart(fabricFile),
        "no fabric.yaml: this is not a fabric repo (or an empty one)",
        "Run in the desired-state repo's root or pass its path (reconciler validate PATH); a repo needs fabric.yaml, groups/*.yaml and devices/*.yaml (see fabric-repo-example/).",
      ),
    );
  }

  for (const { file, kind } of files.refused ?? []) {
    errors.push(
      fabricError(
        kind === "symlink" ? "symlink" : "special-file",
        fileStart(file),
        kind === "symlink"
          ? `${file} is a symbolic link; the reconciler does not follow links in the desired-state repo`
          : `${file} is not a regular file (a FIFO, device or socket)`,
        "Commit the file's content as a regular file (links may point outside the repo, e.g. at secrets).",
      ),
    );
  }

  for (const [path, { kind }] of kinds) {
    const outcome = parseYamlFile(path, files.files[path]!);
    errors.push(...outcome.errors);
    warnings.push(...outcome.warnings);
    if (!outcome.parsed) continue;
    parsedFiles.set(path, outcome.parsed);
    const secrets = findInlineSecretKeys(outcome.parsed);
    const schemaErrors = checkSchema(outcome.parsed, kind, secrets.paths);
    errors.push(...secrets.errors, ...schemaErrors);
    if (schemaErrors.length === 0) valid.set(path, outcome.parsed);
  }

  let settings: FabricSettings | undefined;
  const fabricParsed = valid.get(fabricFile);
  if (fabricParsed) {
    const normalised = normaliseSettings(fabricParsed);
    errors.push(...normalised.errors);
    settings = normalised.settings;
  }

  const groups: Record<string, Group> = {};
  const devices: Record<string, Device> = {};
  const groupFiles = new Set<string>();
  const seenNames = new Map<string, string>();
  for (const [path, { kind, name }] of kinds) {
    if (kind === "fabric") continue;
    const earlier = seenNames.get(`${kind}:${name}`);
    if (earlier) {
      errors.push(
        fabricError(
          "duplicate-name",
          fileStart(path),
          `${path} and ${earlier} both define ${kind} ${name}`,
          "Keep one of the two files (use the .yaml extension).",
        ),
      );
      continue;
    }
    seenNames.set(`${kind}:${name}`, path);
    if (kind === "group") groupFiles.add(name);
    const parsed = valid.get(path);
    if (!parsed) continue;
    if (kind === "group") {
      const normalised = normaliseGroup(name, parsed);
      errors.push(...normalised.errors);
      groups[name] = normalised.group;
    } else {
      const normalised = normaliseDevice(name, parsed, settings?.xmpp.domain ?? "");
      errors.push(...normalised.errors);
      devices[name] = normalised.device;
    }
  }
  for (const device of Object.values(devices)) {
    for (const group of device.groups) groups[group]?.members.push(device.name);
  }
  if (kinds.size > 0 && ![...kinds.values()].some((entry) => entry.kind === "device")) {
    warnings.push(
      fabricError(
        "no-devices",
        fileStart("devices/"),
        "the fabric has no devices",
        "Add one file per switch: devices/<name>.yaml (see fabric-repo-example/devices/).",
      ),
    );
  }

  const fabric: Fabric = { ...(settings ?? placeholderSettings()), groups, devices };
  const renders = new Map<string, DeviceRender>();
  // A device in a missing or invalid group already has an error; rendering it without that group's vars
  // would only add false unknown-variable errors.
  const isRenderable = (device: Device) => device.groups.every((group) => groups[group] !== undefined);
  if (settings) {
    for (const device of Object.values(devices)) {
      if (isRenderable(device)) renders.set(device.name, renderDevice(fabric, device));
    }
  }
  const context: RuleContext = {
    fabric,
    hasSettings: settings !== undefined,
    files: parsedFiles,
    groupFiles,
    renders,
    policy: compilePolicy(settings?.policy),
  };
  for (const rule of fabricRules) {
    if (rule.needsSettings && !context.hasSettings) continue;
    const findings = rule.check(context);
    errors.push(...(findings.errors ?? []));
    warnings.push(...(findings.warnings ?? []));
  }

  // A line that already has an error needs no warning on top (e.g. "reload" is also outside the scope).
  const place = (e: FabricError) => `${e.position.file}:${e.position.line}:${e.position.col}`;
  const errorPlaces = new Set(errors.map(place));
  const allWarnings = sortErrors(uniqueErrors(warnings.filter((w) => !errorPlaces.has(place(w)))));
  if (errors.length > 0 || !settings) {
    return { ok: false, errors: sortErrors(uniqueErrors(errors)), warnings: allWarnings };
  }
  return { ok: true, fabric, warnings: allWarnings, renders };
}

/** Settings for running the rules that do not need fabric.yaml when it is missing or invalid. */
function placeholderSettings(): FabricSettings {
  return {
    name: "",
    xmpp: {
      host: "",
      port: 5222,
      switchServer: "",
      domain: "",
      mucService: "",
      reconcilerJid: "",
      tls: "starttls",
      cliMode: "auto",
      maxReplyBytes: 8 * 1024 * 1024,
      operatorJids: [],
      sessionPrivilege: 15,
    },
    scope: { sections: [], ignore: [] },
    managementPath: {},
    rollout: {
      order: [],
      canarySwitches: 0,
      waves: "per-group",
      maxParallel: 1,
      commitTimer: "00:05:00",
      verify: "session-diff",
      replyTimeoutMs: 30_000,
      verifyTimeoutMs: 120_000,
      stopOnFailure: true,
      freeze: [],
    },
    drift: { schedule: "*/15 * * * *", selfHeal: false },
    policy: { deny: [], allowCommandSections: [] },
    events: { rules: [], maxChangesPerHour: 0 },
    baseline: [],
    vars: {},
  };
}
