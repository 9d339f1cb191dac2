/**
 * The page's only script, served by the service itself (no CDN): it listens to /api/live
 * (server-sent events) and keeps the run panel, the counts and the state badges current. When a run
 * ends it swaps in a fresh copy of the page's main content. Everything is set with textContent, never
 * as markup. Without JavaScript the page is complete as served.
 */
export const LIVE_SCRIPT = `(() => {
  if (!("EventSource" in window)) return;
  const root = new URL(document.querySelector('nav a').getAttribute('href'), location.href);
  const labels = {"in-sync":"in sync",drifted:"drifted",changes:"changes pending",unreachable:"unreachable",unplannable:"unplannable",unknown:"not checked"};
  let running = !!document.querySelector('#live:not([hidden])');
  const source = new EventSource(new URL('api/live', root));
  const refresh = async () => {
    const response = await fetch(location.href, { headers: { accept: 'text/html' } });
    if (!response.ok) return;
    const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
    const next = doc.querySelector('main');
    if (next) document.querySelector('main').replaceWith(next);
  };
  source.addEventListener('fabric', (message) => {
    const data = JSON.parse(message.data);
    const panel = document.getElementById('live');
    if (panel) {
      panel.hidden = !data.live;
      if (data.live) {
        const l = data.live;
        document.getElementById('live-phase').textContent = 'run ' + l.runId + ': ' + l.phase + (l.detail ? ' ' + l.detail : '') + (l.wave !== undefined ? ', wave ' + l.wave : '');
        const list = document.getElementById('live-steps');
        list.replaceChildren(...Object.entries(l.steps).map(([device, step]) => {
          const li = document.createElement('li');
          li.dataset.device = device;
          li.textContent = device + ': ' + step;
          return li;
        }));
      }
    }
    for (const [key, n] of Object.entries(data.counts)) {
      const b = document.querySelector('[data-count="' + key + '"] b');
      if (b) b.textContent = String(n);
    }
    for (const s of data.switches) {
      for (const badge of document.querySelectorAll('tr[data-device="' + CSS.escape(s.device) + '"] .badge')) {
        badge.className = 'badge s-' + s.state;
        badge.dataset.state = s.state;
        badge.textContent = labels[s.state] || s.state;
      }
    }
    if (running && !data.live) void refresh();
    running = !!data.live;
  });
})();
`;
