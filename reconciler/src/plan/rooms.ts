/**
 * Which group rooms a switch is in now, read from its running config's `management xmpp`
 * `switch-group ROOM@SERVICE` lines (EOS joins every listed room). Rooms of another MUC service are
 * not the fabric's groups and are left out.
 */
export function roomsInRunningConfig(running: string, mucService: string): string[] {
  const rooms: string[] = [];
  // Every observed config is read: most lines are skipped on their first character, without a
  // string or a regular expression per line.
  if (!running.includes("switch-group")) return rooms;
  let inXmpp = false;
  for (let start = 0; start <= running.length; ) {
    let end = running.indexOf("\n", start);
    if (end < 0) end = running.length;
    const lineStart = start;
    start = end + 1;
    if (lineStart === end) continue;
    const first = running.charCodeAt(lineStart);
    if (first !== 32 && first !== 9 && TOP_LEVEL.test(running[lineStart]!)) {
      inXmpp = XMPP_HEADER.test(running.slice(lineStart, end));
      continue;
    }
    if (!inXmpp) continue;
    const match = SWITCH_GROUP.exec(running.slice(lineStart, end));
    if (match && match[2] === mucService) rooms.push(match[1]!);
  }
  return rooms;
}

const TOP_LEVEL = /^\S/;
const XMPP_HEADER = /^management xmpp\s*$/;
const SWITCH_GROUP = /^\s+switch-group\s+([^@\s]+)@(\S+)/;
