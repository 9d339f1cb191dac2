/**
 * The EOS keywords the safety policy needs, as data: which words may follow which, so that an
 * abbreviation is expanded the way EOS's parser expands it (a unique prefix of a keyword at that
 * position is that keyword; case does not matter). The table is deliberately a subset of EOS's:
 * every word in it is a real EOS keyword, so a prefix that is ambiguous here is ambiguous on the
 * switch too. A prefix the table finds unique may still be ambiguous on EOS; the policy then
 * denies something EOS would refuse anyway, which is the safe direction.
 *
 * Sources: shared/reference/eos-xmpp.md §3 (sessions, commit timer, configure replace), the EOS
 * command families napalm and ansible send, and the EOS EXEC/config command names.
 */

/** The keywords that may come next, and what follows an argument that is none of them. */
export interface KeywordTable {
  readonly words: Readonly<Record<string, KeywordTable>>;
  /** What follows an argument (a name, a URL, a number); absent: nothing more is expanded. */
  readonly afterArgument?: KeywordTable;
}

const end: KeywordTable = { words: {} };

function table(words: Record<string, KeywordTable>, afterArgument?: KeywordTable): KeywordTable {
  return afterArgument ? { words, afterArgument } : { words };
}

/** Sources and destinations of `copy` (file URLs are arguments; the named configs are keywords). */
const copyArguments: { words: Record<string, KeywordTable>; afterArgument?: KeywordTable } = { words: {} };
for (const word of ["running-config", "startup-config", "clean-config", "flash:", "file:", "system:"])
  copyArguments.words[word] = copyArguments;
copyArguments.afterArgument = copyArguments;

/** What follows `reload`, `write`, `configure`, … (EOS EXEC mode). */
const execWords: Record<string, KeywordTable> = {
  abort: end,
  bash: table({ timeout: table({}, end) }, end),
  clear: table({}, end),
  commit: table({ timer: table({}, end) }),
  configure: table({
    checkpoint: table({}, end),
    convert: table({}, end),
    memory: end,
    network: table({}, end),
    replace: table({ "clean-config": end, "startup-config": end }, end),
    session: table({}, table({ abort: end, commit: table({ timer: table({}, end) }) })),
    terminal: end,
  }),
  copy: copyArguments,
  delete: table({}, end),
  diff: table({}, end),
  dir: table({}, end),
  disable: end,
  do: end, // replaced below: `do` is followed by any command
  enable: table({ password: end, secret: end }, end),
  end,
  erase: table({ "startup-config": end }, end),
  exit: end,
  install: table({}, end),
  more: table({}, end),
  ping: table({}, end),
  reload: table({ all: end, at: end, cancel: end, force: end, in: end, now: end, power: end }),
  rename: table({}, end),
  reset: table({}, end),
  rollback: table({ "clean-config": end }, end),
  run: table({}, end),
  show: table({}, end),
  ssh: table({}, end),
  telnet: table({}, end),
  terminal: table({}, end),
  traceroute: table({}, end),
  watch: table({}, end),
  write: table({ erase: end, memory: end, network: end, terminal: end }),
  zerotouch: table({ cancel: end, disable: end, enable: end, "script-exit": end }),
};

/** First words of config-mode commands (global and the common sub-modes) that begin with the same letters. */
const configWords: Record<string, KeywordTable> = {
  aaa: table({}, end),
  alias: table({}, end),
  banner: table({}, end),
  boot: table({}, end),
  clock: table({}, end),
  comment: end,
  daemon: table({}, end),
  default: end, // replaced below
  description: table({}, end),
  dns: table({}, end),
  dot1x: table({}, end),
  "event-handler": table({}, end),
  "event-monitor": table({}, end),
  exec: table({}, end),
  extension: table({}, end),
  hostname: table({}, end),
  interface: table({}, end),
  ip: table({}, end),
  ipv6: table({}, end),
  logging: table({}, end),
  management: table({}, end),
  mtu: table({}, end),
  name: table({}, end),
  neighbor: table({}, end),
  network: table({}, end),
  no: end, // replaced below
  ntp: table({}, end),
  redundancy: table({}, end),
  "route-map": table({}, end),
  router: table({}, end),
  "router-id": table({}, end),
  schedule: table({}, end),
  service: table({}, end),
  shutdown: end,
  "snmp-server": table({}, end),
  "spanning-tree": table({}, end),
  switchport: table({}, end),
  username: table({}, end),
  vlan: table({}, end),
  vrf: table({}, end),
};

const commandWords: Record<string, KeywordTable> = { ...configWords, ...execWords };

/**
 * The first word of any command line, in any mode. EOS runs EXEC commands from config mode with
 * `do`, and a desired-config line may land in any mode, so both sets are one table; `do`, `no` and
 * `default` are followed by a command again.
 */
export const commandStart: KeywordTable = { words: commandWords };
commandWords.do = commandStart;
commandWords.no = commandStart;
commandWords.default = commandStart;

/** Words that only lead into another command; the policy matches what follows them. */
export const leadingWords = { exec: "do", negations: ["no", "default"] } as const;
