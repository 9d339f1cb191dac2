/**
 * An event rule's change template: `${name}` takes a capture of the event or a value of the declaring
 * group or device; any other `${var}` stays as written, for the normal rendering of the file it lands in
 * (so `router bgp ${asn}` is written to git as it reads everywhere else).
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name]! : whole,
  );
}

/**
 * What a capture may hold before it is written into config: one token of letters, digits and
 * . : / _ - (addresses, names, numbers). A space or a line break would let a sender write a second
 * word or a second command into the switch's config.
 */
export const SAFE_CAPTURE = /^[A-Za-z0-9.:/_-]{1,128}$/;
