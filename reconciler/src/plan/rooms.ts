/**
 * Which group rooms a switch is in now, read from its running config's `management xmpp`
 * `switch-group ROOM@SERVICE` lines (EOS joins every listed room). Rooms of another MUC service are
 * not the fabric's groups and are left out.
 */
export function roomsInRunningConfig(running: string, mucService: string): string[] {
  const rooms: string[] = [];
  let inXmpp = false;
  for (const line of running.split("\n")) {
    if (/^\S/.test(line)) inXmpp = /^management xmpp\s*$/.test(line);
    if (!inXmpp) continue;
    const match = /^\s+switch-group\s+([^@\s]+)@(\S+)/.exec(line);
    if (match && match[2] === mucService) rooms.push(match[1]!);
  }
  return rooms;
}
