/** Checks of the group rooms and the switches, as the reconciler reaches them (pure). */
import { type DoctorCheck, fail, pass, perRoom, perSwitch, skip, warn } from "./outcome.ts";

export const FABRIC_CHECKS: DoctorCheck[] = [
  {
    id: "room-members-only",
    area: "rooms",
    title: "each group room is members-only",
    fix: "Prosody: muc_room_default_members_only = true, or set it in the room's configuration; ejabberd: default_room_options members_only: true, or ejabberdctl change_room_option ROOM SERVICE members_only true",
    evaluate: (o) =>
      perRoom(o, (r) =>
        r.membersOnly
          ? pass("members-only", r.room)
          : fail("anyone may join and receive its commands", r.room),
      ),
  },
  {
    id: "room-non-anonymous",
    area: "rooms",
    title: "each group room shows real JIDs (non-anonymous)",
    fix: "Prosody: muc_room_default_public_jids = true; ejabberd: default_room_options anonymous: false",
    evaluate: (o) =>
      perRoom(o, (r) =>
        r.nonAnonymous
          ? pass("non-anonymous", r.room)
          : fail("occupants' real JIDs are hidden: replies cannot be tied to switches", r.room),
      ),
  },
  {
    id: "room-no-history",
    area: "rooms",
    title: "each group room keeps no history",
    fix: "Prosody: muc_room_default_history_length = 0; ejabberd: mod_muc history_size: 0",
    evaluate: (o) =>
      perRoom(o, (r) =>
        r.historyLength === 0
          ? pass("history length 0", r.room)
          : r.historyLength === undefined
            ? warn(`history length not readable (${r.historyNote ?? "no field"})`, r.room)
            : fail(`replays the last ${r.historyLength} messages (old commands) to a joining switch`, r.room),
      ),
  },
  {
    id: "room-members-match-git",
    area: "rooms",
    title: "each group room's members are the group's switches in git",
    fix: "set the room's member list to the group's switches (muc#admin; ejabberdctl set_room_affiliation ROOM SERVICE JID member|none)",
    evaluate: (o) =>
      perRoom(o, (r) => {
        if (!r.members) return skip("member list not read", r.room);
        if (!Array.isArray(r.members)) return warn(`member list not readable: ${r.members.error}`, r.room);
        const have = new Set(r.members);
        const missing = r.expected.filter((j) => !have.has(j));
        const extra = r.members.filter((j) => !r.expected.includes(j));
        if (missing.length === 0 && extra.length === 0)
          return pass(`${r.expected.length} members, as in git`, r.room);
        return fail(
          [
            missing.length ? `missing ${missing.join(", ")}` : "",
            extra.length ? `not in git: ${extra.join(", ")}` : "",
          ]
            .filter(Boolean)
            .join("; "),
          r.room,
        );
      }),
  },
  {
    id: "switch-answers",
    area: "switches",
    title: "every switch answers over XMPP",
    fix: "check the switch's management xmpp block (server, username, no shutdown) and its account on the server",
    evaluate: (o) =>
      perSwitch(o, (s) =>
        s.error && s.error.code !== "not-authorized"
          ? fail(`${s.error.code}: ${s.error.message}`, s.device)
          : pass(`answered as ${s.jid}`, s.device),
      ),
  },
  {
    id: "switch-privilege",
    area: "switches",
    title: "every switch runs received commands at the fabric's privilege",
    fix: "management xmpp: session privilege 15 (or the AAA level of the reconciler's user)",
    evaluate: (o) =>
      perSwitch(o, (s) => {
        if (s.error?.code === "not-authorized")
          return fail(`refused a privileged show: ${s.error.message}`, s.device);
        if (!s.block) return skip("no answer", s.device);
        return s.block.privilege >= o.expected.privilege
          ? pass(`session privilege ${s.block.privilege}`, s.device)
          : fail(`session privilege ${s.block.privilege}, needs ${o.expected.privilege}`, s.device);
      }),
  },
  {
    id: "switch-tls-only",
    area: "switches",
    title: "no switch permits an unencrypted connection",
    fix: "management xmpp: no connection unencrypted permit",
    evaluate: (o) =>
      perSwitch(o, (s) =>
        !s.block
          ? skip("no answer", s.device)
          : s.block.unencryptedPermit
            ? fail("connection unencrypted permit is set", s.device)
            : pass("TLS only", s.device),
      ),
  },
  {
    id: "switch-server-domain",
    area: "switches",
    title: "every switch names the expected server and domain",
    fix: "management xmpp: server <xmpp.switchServer> and domain <xmpp.domain> (the reconciler renders them; apply)",
    evaluate: (o) =>
      perSwitch(o, (s) => {
        if (!s.block) return skip("no answer", s.device);
        const wrong = [
          s.block.server !== o.expected.switchServer
            ? `server ${s.block.server ?? "(none)"} (expected ${o.expected.switchServer})`
            : "",
          s.block.domain !== o.expected.domain
            ? `domain ${s.block.domain ?? "(none)"} (expected ${o.expected.domain})`
            : "",
        ].filter(Boolean);
        return wrong.length
          ? fail(wrong.join(", "), s.device)
          : pass(`server ${s.block.server}, domain ${s.block.domain}`, s.device);
      }),
  },
  {
    id: "switch-refuses-strangers",
    area: "switches",
    title: "every switch refuses commands from an unauthorized JID",
    fix: "authorize only the reconciler and operators (AAA for the sender's user; keep the domain closed)",
    evaluate(o) {
      if (!o.strangerTested)
        return [
          skip(
            "give a second, unauthorized test account with --probe-jid (password in RECONCILER_DOCTOR_PROBE_PASSWORD)",
          ),
        ];
      return perSwitch(o, (s) =>
        s.stranger === "answered"
          ? fail("ran a command from the unauthorized test account", s.device)
          : s.stranger === "refused"
            ? pass("refused the unauthorized test account", s.device)
            : skip("not tested", s.device),
      );
    },
  },
];
