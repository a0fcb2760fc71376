// Statusoversikt: the overview page of the action plan, built only on the
// public GraphQL API. It draws the charts as hand-written SVG, lists the
// tiltak at risk and who has not reported, and refreshes itself when a
// status report arrives over the statusReported subscription (server-sent
// events read with fetch, since EventSource cannot POST); while that stream
// is down it refetches every 30 seconds.
'use strict';

const endpoint = document.getElementById('dashboard').dataset.endpoint;
const SVG = 'http://www.w3.org/2000/svg';
const POLL_MS = 30000;

// The segments of a bar, left to right: active tiltak by health first.
const CATEGORIES = [
  { id: 'on-track', label: 'Pågår – i rute' },
  { id: 'minor-delays', label: 'Pågår – mindre forsinkelser' },
  { id: 'major-delays', label: 'Pågår – betydelige forsinkelser' },
  { id: 'unrated', label: 'Pågår – ikke vurdert' },
  { id: 'planned', label: 'Ikke startet' },
  { id: 'paused', label: 'Satt på vent' },
  { id: 'completed', label: 'Ferdigstilt' },
  { id: 'in-operation', label: 'I drift' },
  { id: 'discontinued', label: 'Avsluttet' },
  { id: 'unknown', label: 'Fase ukjent' },
];
const HEALTH = { ON_TRACK: 'I rute', MINOR_DELAYS: 'Mindre forsinkelser', MAJOR_DELAYS: 'Betydelige forsinkelser' };

const SUMMARY = 'total unknownPhase unratedActive byPhase { phase count } byHealth { health count }';
const OVERVIEW = `query Overview {
  reportingPeriods { key end deadline }
  lifeEvents(first: 100) { nodes { key name statusSummary { ${SUMMARY} } } }
  focusAreas(first: 100) { nodes { key number name statusSummary { ${SUMMARY} } } }
  atRisk: tiltak(first: 100, filter: { health: [MAJOR_DELAYS, MINOR_DELAYS] }) {
    totalCount
    nodes { key title health progress responsible { key name } latestStatus { period summary risks } }
  }
}`;
const ROUND = `query Round($period: String!) {
  reportingRound(period: $period) {
    period { key deadline } owed reported completeness
    missing { tiltak { key title } body { key name } }
    late { tiltak { key } }
  }
}`;
const LIVE = 'subscription Live { statusReported { period health progress tiltak { key title } body { name } } }';

const state = { period: null, live: false, timer: null, refreshing: null, again: false };

// gql posts one query and returns its data; GraphQL errors throw.
async function gql(query, variables) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok || body.errors) {
    const msg = body.errors ? body.errors.map((e) => e.message).join('; ') : `HTTP ${res.status}`;
    throw new Error(msg);
  }
  return body.data;
}

// el makes an HTML element with a class and text; never innerHTML.
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

// counts splits a StatusSummary into the bar's categories.
function counts(s) {
  const phase = Object.fromEntries(s.byPhase.map((p) => [p.phase, p.count]));
  const health = Object.fromEntries(s.byHealth.map((h) => [h.health, h.count]));
  return {
    'on-track': health.ON_TRACK || 0,
    'minor-delays': health.MINOR_DELAYS || 0,
    'major-delays': health.MAJOR_DELAYS || 0,
    unrated: s.unratedActive,
    planned: phase.PLANNED || 0,
    paused: phase.PAUSED || 0,
    completed: phase.COMPLETED || 0,
    'in-operation': phase.IN_OPERATION || 0,
    discontinued: phase.DISCONTINUED || 0,
    unknown: s.unknownPhase,
  };
}

// drawChart draws one horizontal stacked bar per row, scaled to the
// largest total, with the name on the left and the total on the right.
function drawChart(target, rows) {
  const labelW = 380, barW = 640, totalW = 44, rowH = 30, barH = 20, top = 4;
  const width = labelW + barW + totalW;
  const height = top * 2 + rows.length * rowH;
  target.replaceChildren();
  target.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const max = Math.max(1, ...rows.map((r) => r.summary.total));
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const g = svg('g', { class: 'bar', 'data-key': r.key, 'data-total': r.summary.total });
    const label = svg('text', { class: 'label', x: labelW - 10, y: y + rowH / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle' });
    label.textContent = r.name;
    g.appendChild(label);
    target.appendChild(g);
    fit(label, r.name, labelW - 16);
    const full = svg('title');
    full.textContent = `${r.name}: ${r.summary.total} tiltak`;
    label.appendChild(full);
    g.appendChild(svg('rect', { class: 'track', x: labelW, y: y + (rowH - barH) / 2, width: barW, height: barH }));
    const c = counts(r.summary);
    let x = labelW;
    for (const cat of CATEGORIES) {
      const n = c[cat.id];
      if (!n) continue;
      const w = (n / max) * barW;
      const rect = svg('rect', { class: `seg seg-${cat.id}`, 'data-category': cat.id, 'data-count': n,
        x: x.toFixed(2), y: y + (rowH - barH) / 2, width: w.toFixed(2), height: barH });
      const t = svg('title');
      t.textContent = `${r.name} – ${cat.label}: ${n}`;
      rect.appendChild(t);
      g.appendChild(rect);
      x += w;
    }
    const total = svg('text', { class: 'total', x: x + 6, y: y + rowH / 2, 'dominant-baseline': 'middle' });
    total.textContent = String(r.summary.total);
    g.appendChild(total);
  });
}

// fit shortens a label, word by word, until it fits in width.
function fit(label, text, width) {
  const words = text.split(' ');
  while (words.length > 1 && label.getComputedTextLength() > width) {
    words.pop();
    label.textContent = `${words.join(' ').replace(/[,.;:–-]$/, '')} …`;
  }
}

function drawLegend() {
  const ul = document.getElementById('legend');
  ul.replaceChildren(...CATEGORIES.map((c) => {
    const li = el('li');
    const sw = svg('svg', { width: 14, height: 14, 'aria-hidden': 'true' });
    sw.appendChild(svg('rect', { class: `seg seg-${c.id}`, width: 14, height: 14 }));
    li.append(sw, document.createTextNode(c.label));
    return li;
  }));
}

function drawAtRisk(conn) {
  const rank = { MAJOR_DELAYS: 0, MINOR_DELAYS: 1 };
  const items = [...conn.nodes].sort((a, b) => rank[a.health] - rank[b.health] || a.title.localeCompare(b.title, 'nb'));
  const tbody = document.querySelector('#at-risk tbody');
  tbody.replaceChildren(...items.map((t) => {
    const tr = el('tr');
    tr.dataset.key = t.key;
    const title = el('td');
    title.append(el('span', 'title', t.title));
    if (t.progress !== null) title.append(el('span', 'progress', ` ${t.progress} %`));
    const health = el('td');
    health.append(el('span', `badge badge-${t.health.toLowerCase().replace('_', '-')}`, HEALTH[t.health]));
    const report = el('td', 'report');
    if (t.latestStatus) {
      report.append(el('span', 'period', t.latestStatus.period));
      if (t.latestStatus.summary) report.append(el('span', 'summary', t.latestStatus.summary));
      if (t.latestStatus.risks) report.append(el('span', 'risks', `Risiko: ${t.latestStatus.risks}`));
    } else {
      report.append(el('span', 'none', 'Ingen rapport ennå'));
    }
    tr.append(title, health, el('td', 'body', t.responsible.name), report);
    return tr;
  }));
  document.getElementById('at-risk-count').textContent = `(${conn.totalCount})`;
  document.getElementById('at-risk-empty').hidden = items.length > 0;
}

function drawPeriods(periods) {
  const select = document.getElementById('period');
  if (!state.period) state.period = periods[periods.length - 1].key;
  select.replaceChildren(...[...periods].reverse().map((p) => {
    const o = el('option', null, p.key);
    o.value = p.key;
    o.selected = p.key === state.period;
    return o;
  }));
}

function drawRound(r) {
  const late = new Set(r.late.map((m) => m.tiltak.key));
  const pct = r.completeness === null ? '–' : `${Math.round(r.completeness)} %`;
  document.getElementById('round').textContent =
    `${r.reported} av ${r.owed} rapporter levert (${pct}); frist ${r.period.deadline}.`;
  const byBody = new Map();
  for (const m of r.missing) {
    if (!byBody.has(m.body.key)) byBody.set(m.body.key, { name: m.body.name, tiltak: [] });
    byBody.get(m.body.key).tiltak.push(m.tiltak);
  }
  const ul = document.getElementById('missing');
  ul.replaceChildren(...[...byBody.entries()].map(([key, b]) => {
    const li = el('li');
    li.dataset.key = key;
    li.append(el('span', 'body', `${b.name} (${b.tiltak.length})`));
    const inner = el('ul');
    for (const t of b.tiltak) {
      const item = el('li', late.has(t.key) ? 'late' : null, t.title);
      if (late.has(t.key)) item.append(el('span', 'badge badge-late', 'frist passert'));
      inner.append(item);
    }
    li.append(inner);
    return li;
  }));
  document.getElementById('missing-empty').hidden = r.missing.length > 0;
}

function showError(err) {
  const p = document.getElementById('error');
  p.hidden = !err;
  p.textContent = err ? `Kunne ikke hente data: ${err.message}` : '';
}

// refresh reloads everything; calls while one runs make it run once more.
async function refresh() {
  if (state.refreshing) {
    state.again = true;
    return state.refreshing;
  }
  state.refreshing = (async () => {
    do {
      state.again = false;
      try {
        const data = await gql(OVERVIEW);
        drawPeriods(data.reportingPeriods);
        drawChart(document.getElementById('life-events-chart'), data.lifeEvents.nodes.map((n) => ({ key: n.key, name: n.name, summary: n.statusSummary })));
        const areas = [...data.focusAreas.nodes].sort((a, b) => a.number.localeCompare(b.number, 'nb', { numeric: true }));
        drawChart(document.getElementById('focus-areas-chart'), areas.map((n) => ({ key: n.key, name: `${n.number}. ${n.name}`, summary: n.statusSummary })));
        drawAtRisk(data.atRisk);
        const round = await gql(ROUND, { period: state.period });
        if (round.reportingRound) drawRound(round.reportingRound);
        document.getElementById('updated').textContent = `Oppdatert ${new Date().toLocaleTimeString('nb-NO')}`;
        document.body.dataset.loaded = 'true';
        showError(null);
      } catch (err) {
        showError(err);
      }
    } while (state.again);
    state.refreshing = null;
  })();
  return state.refreshing;
}

function setLive(mode) {
  state.live = mode === 'live';
  const box = document.getElementById('live');
  box.dataset.state = mode;
  document.getElementById('live-text').textContent =
    { live: 'Direkte', polling: 'Oppdateres hvert 30. sekund', connecting: 'Kobler til …' }[mode];
}

function toast(r) {
  const t = document.getElementById('toast');
  const health = r.health ? `, ${HEALTH[r.health].toLowerCase()}` : '';
  t.textContent = `Ny statusrapport: ${r.tiltak.title} (${r.period}, ${r.progress} %${health}) fra ${r.body.name}`;
  t.hidden = false;
  clearTimeout(state.toastTimer);
  state.toastTimer = setTimeout(() => { t.hidden = true; }, 8000);
}

// onEvent handles one server-sent event block ("event: …\ndata: …").
function onEvent(block) {
  let event = 'message', data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data += line.slice(5).trim();
  }
  if (event !== 'next' || !data) return;
  const msg = JSON.parse(data);
  if (msg.data && msg.data.statusReported) {
    toast(msg.data.statusReported);
    refresh();
  }
}

// listen holds the subscription open and returns when the stream ends.
async function listen() {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify({ query: LIVE }),
  });
  if (!res.ok || !res.body || !(res.headers.get('Content-Type') || '').startsWith('text/event-stream')) {
    throw new Error(`event stream: HTTP ${res.status}`);
  }
  setLive('live');
  refresh(); // catch up on what happened while the stream was down
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value.replace(/\r\n/g, '\n');
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      onEvent(buf.slice(0, i));
      buf = buf.slice(i + 2);
    }
  }
}

// keepListening reconnects with backoff; meanwhile the page polls.
async function keepListening() {
  let wait = 1000;
  for (;;) {
    try {
      await listen();
      wait = 1000;
    } catch (err) {
      wait = Math.min(wait * 2, POLL_MS);
    }
    setLive('polling');
    await new Promise((r) => setTimeout(r, wait));
  }
}

document.getElementById('period').addEventListener('change', (e) => {
  state.period = e.target.value;
  refresh();
});
setInterval(() => { if (!state.live) refresh(); }, POLL_MS);
drawLegend();
refresh();
keepListening();
