// Preloaded into the reconciler's process by bench/scale.ts (`node --import ./bench/measure-preload.mjs
// bin/reconciler.mjs …`): at exit it writes to $BENCH_MEASURE_OUT the process's peak RSS and the bytes
// it wrote to its TCP sockets (TLS records included: what crossed the wire to the XMPP server).
import { writeFileSync } from "node:fs";
import net from "node:net";

const out = process.env.BENCH_MEASURE_OUT;
const sockets = new Set();
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  sockets.add(this);
  return connect.apply(this, args);
};
process.on("exit", () => {
  if (!out) return;
  let bytesSent = 0;
  let bytesReceived = 0;
  for (const s of sockets) {
    bytesSent += s.bytesWritten ?? 0;
    bytesReceived += s.bytesRead ?? 0;
  }
  writeFileSync(
    out,
    JSON.stringify({
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      // user + system CPU: on a loaded machine wall time also measures the wait for a core
      cpuMs: Math.round((process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000),
      bytesSent,
      bytesReceived,
    }),
  );
});
