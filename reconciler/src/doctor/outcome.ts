/** The pieces every check is made of: an outcome, the check record, and the per-subject helpers. */
import type { CheckStatus, Observations } from "./types.ts";

export interface Outcome {
  status: CheckStatus;
  detail: string;
  subject?: string;
}

export interface DoctorCheck {
  id: string;
  area: "server" | "certificate" | "rooms" | "switches" | "reconciler";
  title: string;
  fix: string;
  evaluate(o: Observations): Outcome[];
}

export const pass = (detail: string, subject?: string): Outcome => ({ status: "pass", detail, subject });
export const fail = (detail: string, subject?: string): Outcome => ({ status: "fail", detail, subject });
export const warn = (detail: string, subject?: string): Outcome => ({ status: "warn", detail, subject });
export const skip = (detail: string, subject?: string): Outcome => ({ status: "skip", detail, subject });
export const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** Not examined because the server (or the login) failed first: said once, by the check that failed. */
export function unexamined(o: Observations, what: "stream" | "tls" | "login"): Outcome[] | undefined {
  if (o.server.error) return [skip(`not examined: ${o.server.error}`)];
  if (what !== "stream" && !o.server.certificate) return [skip("not examined: no TLS session")];
  if (what === "login" && o.loginError) return [skip(`not examined: ${o.loginError}`)];
  return undefined;
}
export function perRoom(
  o: Observations,
  judge: (r: NonNullable<Observations["rooms"]>[number]) => Outcome,
): Outcome[] {
  const early = unexamined(o, "login");
  if (early) return early;
  const rooms = o.rooms ?? [];
  if (rooms.length === 0) return [skip("the fabric has no groups")];
  return rooms.map((r) => (r.error ? fail(r.error, r.room) : judge(r)));
}

export function perSwitch(
  o: Observations,
  judge: (s: NonNullable<Observations["switches"]>[number]) => Outcome,
): Outcome[] {
  const early = unexamined(o, "login");
  if (early) return early;
  return (o.switches ?? []).map(judge);
}
