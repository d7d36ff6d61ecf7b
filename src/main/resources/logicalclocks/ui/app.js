// logical-clocks live page: a space-time diagram fed by serve's /events (Server-Sent Events).
// No library, no network but its own server. Every drawn event is an SVG element with data-vm,
// data-clock, data-event, data-line, data-seq and data-count (events it stands for: 1 unless
// aggregated). Tests and users' scripts read them; window.lc exposes the model.
(function () {
  'use strict';
  const NS = 'http://www.w3.org/2000/svg';
  const params = new URLSearchParams(location.search);
  const CAP = Math.max(1000, +params.get('buffer') || 20000); // events kept for rewind
  const DOM_CAP = Math.max(500, +params.get('dom') || 3000); // events drawn at once
  const MAX_LANES = 64; // beyond, VMs share lanes (aggregated)
  const ARROW_CAP = Math.max(50, +params.get('arrows') || 800); // message arrows drawn at once (the latest)
  const LEFT = 96; // px for the lane labels
  const $ = (id) => document.getElementById(id);
  const svg = $('diagram');
  const dots = $('dots');
  const arrows = $('arrows');
  const flyG = $('inflight');
  const content = $('content');

  const S = {
    machines: 0, mode: '', buf: [], bySeq: new Map(), msgs: new Map(), lastOf: [],
    cursor: 0, // events shown: every seq < cursor
    byLine: new Map(), lastSeq: 0, paused: false, live: true, speed: 1, axis: 'wall',
    zoom: { wall: 0.12, lamport: 10, hybrid: 0.12 }, t0: null, hl0: null,
    drawn: new Map(), // seq -> element (an aggregated element is under each seq it holds)
    drawnArrows: new Map(), // msg id -> line
    lastDrawn: 0, firstDrawn: Infinity, laneLast: [], violations: new Map(), errors: [],
    sel: null, pb: null, vms: [], counters: {}, dirty: true, full: true, frames: [], syncs: [],
    skipped: 0, over: false,
  };
  window.lc = S;

  // ---- geometry
  function lanes() { return Math.min(S.machines, MAX_LANES) || 1; }
  function laneOf(vm) { return S.machines <= MAX_LANES ? vm : Math.floor(vm * MAX_LANES / S.machines); }
  function laneH() {
    const lecture = document.body.classList.contains('lecture');
    const room = Math.max(200, window.innerHeight - (lecture ? 380 : 300));
    return Math.max(lecture ? 14 : 9, Math.min(lecture ? 90 : 60, room / lanes()));
  }
  function laneY(vm) { return 28 + (laneOf(vm) + 0.5) * laneH(); }
  function radius() {
    const r = Math.min(laneH() / 4, document.body.classList.contains('lecture') ? 9 : 6);
    return Math.max(2, r);
  }
  function xOf(ev) {
    if (S.axis === 'lamport') return ev.c * S.zoom.lamport;
    if (S.axis === 'hybrid' && ev.hl != null && S.hl0 != null) {
      return (ev.hl - S.hl0 + Math.min(ev.hc || 0, 99) / 100) * S.zoom.hybrid;
    }
    return ((ev.ts != null ? ev.ts : S.t0) - S.t0) * S.zoom.wall;
  }

  // ---- the model: events kept, linked per VM and by message
  function add(ev) {
    if (ev.s <= S.lastSeq) return; // already have it
    S.lastSeq = ev.s;
    S.buf.push(ev);
    S.bySeq.set(ev.s, ev);
    S.byLine.set(ev.vm + ':' + ev.n, ev);
    if (ev.ts != null && (S.t0 == null || ev.ts < S.t0)) { S.t0 = ev.ts; S.full = true; }
    if (ev.hl != null && (S.hl0 == null || ev.hl < S.hl0)) { S.hl0 = ev.hl; S.full = true; }
    if (ev.err != null) {
      const prev = S.lastOf[ev.vm];
      ev.e = 'ERROR'; ev.c = prev ? prev.c : 0; ev.ts = prev ? prev.ts : S.t0; ev.hl = prev ? prev.hl : null;
      S.errors.push(ev);
      if (S.errors.length > 200) S.errors.shift();
      renderProblems();
    }
    const prev = S.lastOf[ev.vm];
    if (prev) { ev.prev = prev; prev.next = ev; }
    S.lastOf[ev.vm] = ev;
    if (ev.m) {
      const ids = ev.m.split(',');
      const to = (ev.to || '').split(',');
      ids.forEach((id, i) => {
        const m = S.msgs.get(id) || { id };
        if (ev.e === 'SEND') { m.send = ev; m.to = +to[i]; }
        else if (ev.e === 'RECEIVE') { (m.recv = m.recv || []).push(ev); }
        else if (ev.e === 'DROP') { m.drop = ev; m.to = +to[0]; }
        S.msgs.set(id, m);
      });
    }
    if (S.live && !S.paused) S.cursor = ev.s + 1;
  }

  function trim() {
    if (S.buf.length <= CAP) return;
    const cut = S.buf.splice(0, S.buf.length - Math.floor(CAP * 0.9));
    for (const ev of cut) {
      S.bySeq.delete(ev.s);
      S.byLine.delete(ev.vm + ':' + ev.n);
      if (ev.next) ev.next.prev = null;
      if (ev.m) for (const id of ev.m.split(',')) {
        const m = S.msgs.get(id);
        if (!m) continue;
        if (m.send === ev) m.send = null;
        if (m.drop === ev) m.drop = null;
        if (m.recv) m.recv = m.recv.filter((r) => r !== ev);
        if (!m.send && !m.drop && !(m.recv && m.recv.length)) S.msgs.delete(id);
      }
      undraw(ev);
    }
    if (S.cursor < S.buf[0].s) S.cursor = S.buf[0].s;
  }

  function firstSeq() { return S.buf.length ? S.buf[0].s : S.lastSeq + 1; }
  function shownCount() { return Math.max(0, S.cursor - firstSeq()); }

  // ---- drawing
  function el(name, attrs) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }

  function draw(ev, fast) {
    ev.x = xOf(ev);
    ev.y = laneY(ev.vm);
    const lane = laneOf(ev.vm);
    const last = S.laneLast[lane];
    // faster than the eye can follow: an INTERNAL event within a few pixels of its VM's previous
    // INTERNAL one joins it (one element, data-count events, data-event AGGREGATE)
    if (ev.e === 'INTERNAL' && last && last.isConnected && +last.dataset.vm === ev.vm
        && (last.dataset.event === 'INTERNAL' || last.dataset.event === 'AGGREGATE')
        && Math.abs(ev.x - +last.dataset.x) < (fast ? 4 : 2)) {
      last.dataset.count = +last.dataset.count + 1;
      last.dataset.event = 'AGGREGATE';
      last.dataset.clock = ev.c;
      last.setAttribute('class', 'ev AGG' + (S.violations.has(ev.vm + ':' + ev.n) || last.classList.contains('violation') ? ' violation' : ''));
      S.drawn.set(ev.s, last);
      return;
    }
    const r = radius();
    let e;
    if (ev.e === 'START' || ev.e === 'STOP') {
      e = el('rect', { x: ev.x - r, y: ev.y - r * 1.6, width: r * 1.2, height: r * 3.2 });
    } else if (ev.e === 'ERROR') {
      e = el('rect', { x: ev.x - r, y: ev.y - r, width: r * 2, height: r * 2, transform: `rotate(45 ${ev.x} ${ev.y})` });
    } else if (ev.e === 'DROP') {
      e = el('g', {});
      const m = S.msgs.get((ev.m || '').split(',')[0]);
      const ty = m && m.to != null ? laneY(m.to) : ev.y + laneH();
      e.appendChild(el('line', { class: 'stub', x1: ev.x, y1: ev.y, x2: ev.x + 14, y2: ev.y + (ty - ev.y) * 0.35 }));
      e.appendChild(el('circle', { cx: ev.x, cy: ev.y, r }));
    } else {
      e = el('circle', { cx: ev.x, cy: ev.y, r });
    }
    e.setAttribute('class', 'ev ' + ev.e + (S.violations.has(ev.vm + ':' + ev.n) ? ' violation' : ''));
    e.dataset.vm = ev.vm; e.dataset.clock = ev.c; e.dataset.event = ev.e; e.dataset.line = ev.n;
    e.dataset.seq = ev.s; e.dataset.count = 1; e.dataset.x = ev.x;
    if (ev.hl != null) e.dataset.hybrid = ev.hl + ':' + ev.hc;
    if (ev.vc) e.dataset.vc = ev.vc;
    if (ev.restart) e.dataset.restart = ev.restart;
    dots.appendChild(e);
    S.drawn.set(ev.s, e);
    S.laneLast[lane] = e;
    if (ev.m && (ev.e === 'RECEIVE' || ev.e === 'SEND')) {
      for (const id of ev.m.split(',')) arrow(S.msgs.get(id));
    }
  }

  function arrow(m) {
    if (!m || !m.send || !m.recv || S.drawnArrows.has(m.id)) return;
    const r = m.recv.find((x) => S.drawn.has(x.s) && x.s < S.cursor);
    if (!r || !S.drawn.has(m.send.s) || m.send.s >= S.cursor) return;
    const line = el('line', { class: 'msg', x1: m.send.x, y1: m.send.y, x2: r.x, y2: r.y });
    line.dataset.msg = m.id; line.dataset.from = m.send.s; line.dataset.to = r.s;
    arrows.appendChild(line);
    S.drawnArrows.set(m.id, line);
    // the oldest arrows leave first (Map keeps insertion order)
    while (S.drawnArrows.size > ARROW_CAP) {
      const [id, old] = S.drawnArrows.entries().next().value;
      old.remove();
      S.drawnArrows.delete(id);
    }
  }

  function undraw(ev) {
    const e = S.drawn.get(ev.s);
    if (!e) return;
    S.drawn.delete(ev.s);
    if (+e.dataset.seq === ev.s) {
      e.remove();
    } else {
      e.dataset.count = Math.max(1, +e.dataset.count - 1);
      if (+e.dataset.count === 1) { e.dataset.event = 'INTERNAL'; e.setAttribute('class', 'ev INTERNAL'); }
    }
    if (ev.m) for (const id of ev.m.split(',')) {
      const a = S.drawnArrows.get(id);
      if (a && (+a.dataset.from === ev.s || +a.dataset.to === ev.s)) { a.remove(); S.drawnArrows.delete(id); }
    }
  }

  function clearDrawing() {
    S.shift = null; S.drawnShift = null;
    dots.textContent = ''; arrows.textContent = ''; flyG.textContent = '';
    S.drawn.clear(); S.drawnArrows.clear(); S.laneLast = [];
    S.lastDrawn = firstSeq() - 1; S.firstDrawn = Infinity;
  }

  function drawLanes() {
    const g = $('lanes');
    const labels = $('labels');
    g.textContent = '';
    labels.textContent = '';
    const w = svg.clientWidth || 1000;
    const n = lanes();
    const per = S.machines / n;
    const h = 36 + n * laneH();
    // the labels' panel is opaque, above the events: what scrolls left of it is hidden
    labels.appendChild(el('rect', { x: 0, y: 0, width: LEFT, height: h, class: 'panel' }));
    labels.appendChild(el('rect', { x: LEFT, y: 0, width: w, height: 26, class: 'panel' }));
    for (let i = 0; i < n; i++) {
      const vm = S.machines <= MAX_LANES ? i : Math.ceil(i * per);
      const y = 28 + (i + 0.5) * laneH();
      const state = S.machines <= MAX_LANES && S.vms[i] ? S.vms[i].state : 'live';
      const lg = el('g', { class: 'lane ' + state });
      lg.dataset.lane = i;
      lg.appendChild(el('line', { x1: LEFT, y1: y, x2: w, y2: y }));
      g.appendChild(lg);
      const tg = el('g', { class: 'lane ' + state });
      tg.dataset.lane = i;
      const t = el('text', { x: 4, y: y + (state !== 'live' && laneH() >= 28 ? -2 : 4) });
      const last = S.machines <= MAX_LANES ? vm : Math.ceil((i + 1) * per) - 1;
      t.textContent = S.machines <= MAX_LANES ? 'vm' + vm : 'vm' + vm + '-' + last;
      if (laneH() < 14) t.setAttribute('style', 'font-size:' + Math.max(6, laneH() - 2) + 'px');
      tg.appendChild(t);
      if (state !== 'live' && S.machines <= MAX_LANES) {
        const st = el('text', { x: 4, y: laneH() >= 28 ? y + 12 : y + 4, class: 'state' });
        st.textContent = laneH() >= 28 ? state : '';
        tg.appendChild(st);
        t.dataset.state = state;
      }
      labels.appendChild(tg);
    }
    svg.setAttribute('height', h);
  }

  function anchor() {
    // the latest shown event stays in the right part of the window: the diagram scrolls in steps
    // of a fifth of its width (a whole-window repaint a few times a second, not at every batch)
    const w = svg.clientWidth || 1000;
    const lastShown = S.bySeq.get(S.cursor - 1) || null;
    const x = lastShown && lastShown.x != null ? lastShown.x : 0;
    const step = Math.max(100, (w - LEFT) / 5);
    const at = S.shift == null ? null : x + S.shift;
    if (at == null || at > w - 20 || at < w - 3 * step) S.shift = Math.min(LEFT + 10, w - step - x);
    return S.shift;
  }

  function drawAxis(shift) {
    const g = $('axisg');
    g.textContent = '';
    const w = svg.clientWidth || 1000;
    const unit = S.axis === 'lamport' ? 1 : 1000; // clock ticks or seconds
    const z = S.zoom[S.axis] * unit;
    const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 10000];
    const step = steps.find((s) => s * z >= 90) || 10000;
    const from = Math.floor((LEFT - shift) / z / step) * step;
    for (let v = from; v * z + shift < w; v += step) {
      const x = v * z + shift;
      if (x < LEFT) continue;
      g.appendChild(el('line', { x1: x, y1: 16, x2: x, y2: 24 }));
      const t = el('text', { x: x + 2, y: 13 });
      t.textContent = S.axis === 'lamport' ? 'L ' + v : (S.axis === 'hybrid' ? 'hlc +' : '+') + v + ' s';
      g.appendChild(t);
    }
  }

  function drawInFlight() {
    flyG.textContent = '';
    const lastShown = S.bySeq.get(S.cursor - 1);
    if (!lastShown || lastShown.x == null) return;
    const nowX = lastShown.x;
    let n = 0;
    for (let s = S.cursor - 1, cap = S.machines > MAX_LANES ? 40 : 100; s >= firstSeq() && n < cap && S.cursor - s < 1500; s--) {
      const ev = S.bySeq.get(s);
      if (!ev || ev.e !== 'SEND' || !S.drawn.has(s)) continue;
      ev.m.split(',').forEach((id) => {
        const m = S.msgs.get(id);
        if (!m || m.to == null) return;
        const settled = (m.recv && m.recv.some((r) => r.s < S.cursor)) || (m.drop && m.drop.s < S.cursor);
        if (settled) return;
        const l = el('line', { class: 'fly', x1: ev.x, y1: ev.y, x2: Math.max(nowX, ev.x + 8), y2: laneY(m.to) });
        l.dataset.msg = id;
        flyG.appendChild(l);
        n++;
      });
    }
  }

  function sync() {
    const t = performance.now();
    if (S.full) { clearDrawing(); drawLanes(); S.full = false; }
    const first = firstSeq();
    // step back: take away what is past the cursor
    while (S.lastDrawn >= S.cursor && S.lastDrawn >= first) {
      const ev = S.bySeq.get(S.lastDrawn);
      if (ev) undraw(ev);
      S.lastDrawn--;
    }
    if (S.lastDrawn < first - 1) S.lastDrawn = first - 1;
    const todo = S.cursor - 1 - S.lastDrawn;
    if (todo > DOM_CAP) { clearDrawing(); S.lastDrawn = S.cursor - 1 - DOM_CAP; }
    const fast = todo > 50;
    for (let s = S.lastDrawn + 1; s < S.cursor; s++) {
      const ev = S.bySeq.get(s);
      if (ev) { draw(ev, fast); S.firstDrawn = Math.min(S.firstDrawn, s); }
    }
    S.lastDrawn = Math.max(S.lastDrawn, S.cursor - 1);
    // keep at most DOM_CAP events drawn: the oldest leave the screen
    while (S.drawn.size > DOM_CAP && S.firstDrawn < S.lastDrawn) {
      const ev = S.bySeq.get(S.firstDrawn);
      if (ev) undraw(ev);
      S.firstDrawn++;
    }
    const shift = anchor();
    if (shift !== S.drawnShift) {
      S.drawnShift = shift;
      content.setAttribute('transform', `translate(${shift},0)`);
      drawAxis(shift);
    }
    drawInFlight();
    if (S.sel) highlight();
    $('position').textContent = (S.paused ? 'paused' : S.live ? 'live' : 'playing ' + S.speed + '\u00d7') +
      ' \u00b7 ' + shownCount() + ' of ' + S.buf.length + ' kept' + (S.skipped ? ' \u00b7 ' + S.skipped + ' not sent (too fast)' : '');
    S.syncs.push(performance.now() - t);
    if (S.syncs.length > 5000) S.syncs.shift();
  }

  // ---- playback
  function pause() { S.paused = true; S.live = false; S.pb = null; updateButtons(); S.dirty = true; }
  function play() { S.paused = false; if (S.cursor > S.lastSeq) S.live = true; updateButtons(); S.dirty = true; }
  function goLive() { S.paused = false; S.live = true; S.cursor = S.lastSeq + 1; updateButtons(); S.dirty = true; }
  function step(d) {
    if (!S.paused) pause();
    S.cursor = Math.max(firstSeq(), Math.min(S.lastSeq + 1, S.cursor + d));
    S.dirty = true;
  }
  function rewind() { S.live = false; S.paused = false; S.cursor = firstSeq(); S.pb = null; updateButtons(); S.dirty = true; }
  function advance(dtMs) {
    if (S.paused || S.live) return;
    const next = S.bySeq.get(S.cursor);
    if (!next) { if (S.cursor > S.lastSeq) { S.live = true; updateButtons(); } return; }
    if (S.pb == null) S.pb = next.h;
    S.pb += dtMs * S.speed;
    let n = 0;
    while (n < 5000) {
      const ev = S.bySeq.get(S.cursor);
      if (!ev) break;
      if (ev.h > S.pb) { if (ev.h - S.pb > 2000) S.pb = ev.h - 2000; break; }
      S.cursor++; n++;
    }
    if (n) S.dirty = true;
    if (S.cursor > S.lastSeq) { S.live = true; S.pb = null; updateButtons(); }
  }
  function updateButtons() {
    $('play').innerHTML = S.paused ? '&#9654; play' : '&#10074;&#10074; pause';
    $('live').classList.toggle('on', S.live && !S.paused);
  }

  // ---- causality: the chosen event's past and future, over the events kept
  function select(seq) {
    S.sel = seq == null ? null : S.bySeq.get(+seq) || null;
    svg.classList.toggle('selecting', !!S.sel);
    if (!S.sel) {
      for (const e of dots.querySelectorAll('.past,.future,.selected,.concurrent')) e.classList.remove('past', 'future', 'selected', 'concurrent');
      for (const a of arrows.querySelectorAll('.causal')) a.classList.remove('causal');
      $('detail').textContent = 'Click an event: its causal past and future are highlighted, concurrent events greyed.';
      return;
    }
    S.dirty = true;
  }
  function causal(ev) {
    const past = new Set();
    const stack = [ev];
    while (stack.length) {
      const e = stack.pop();
      const p = e.prev;
      if (p && !past.has(p.s)) { past.add(p.s); stack.push(p); }
      if (e.e === 'RECEIVE' && e.m) {
        const m = S.msgs.get(e.m);
        if (m && m.send && !past.has(m.send.s)) { past.add(m.send.s); stack.push(m.send); }
      }
    }
    const future = new Set();
    stack.push(ev);
    while (stack.length) {
      const e = stack.pop();
      const n = e.next;
      if (n && !future.has(n.s)) { future.add(n.s); stack.push(n); }
      if (e.e === 'SEND' && e.m) for (const id of e.m.split(',')) {
        const m = S.msgs.get(id);
        if (m && m.recv) for (const r of m.recv) if (!future.has(r.s)) { future.add(r.s); stack.push(r); }
      }
    }
    return { past, future };
  }
  function highlight() {
    const ev = S.sel;
    const { past, future } = causal(ev);
    let np = 0, nf = 0, nc = 0;
    for (const e of dots.children) {
      const s = +e.dataset.seq;
      const cls = s === ev.s ? 'selected' : past.has(s) ? 'past' : future.has(s) ? 'future' : 'concurrent';
      e.classList.remove('past', 'future', 'selected', 'concurrent');
      e.classList.add(cls);
      const c = +e.dataset.count;
      if (cls === 'past') np += c; else if (cls === 'future') nf += c; else if (cls === 'concurrent') nc += c;
    }
    for (const a of arrows.children) {
      const f = +a.dataset.from, t = +a.dataset.to;
      const on = (past.has(f) || f === ev.s) && (past.has(t) || t === ev.s) || (future.has(f) || f === ev.s) && future.has(t);
      a.classList.toggle('causal', on);
    }
    const vec = vectorOf(ev, past);
    $('detail').textContent =
      `vm${ev.vm} line ${ev.n}: ${ev.e}\n` +
      `Lamport clock ${ev.c}\n` +
      `vector clock  ${ev.vc ? ev.vc + ' (its log)' : vec + ' (from the events kept)'}\n` +
      `hybrid clock  ${ev.hl != null ? ev.hl + ':' + ev.hc : '(none in this log)'}\n` +
      `wall time     ${ev.ts != null ? new Date(ev.ts).toISOString() : '?'}\n` +
      `drawn: ${np} in its causal past, ${nf} in its future, ${nc} concurrent\n` + (ev.raw || '');
  }
  function vectorOf(ev, past) {
    const v = {};
    for (const s of past) { const e = S.bySeq.get(s); if (e) v[e.vm] = (v[e.vm] || 0) + 1; }
    v[ev.vm] = (v[ev.vm] || 0) + 1;
    return Object.keys(v).map((k) => k + ':' + v[k]).join(',') + ' (events counted)';
  }

  // ---- panels
  function renderState(b) {
    S.vms = b.vms || S.vms;
    S.counters = b.counters || S.counters;
    S.over = !!b.over;
    const v = $('verdict');
    v.textContent = b.verdict || '';
    v.className = 'verdict ' + ((b.counters && b.counters.violations) || (b.counters && b.counters.unreadable) ? 'bad' : b.over && b.verified ? 'ok' : '');
    const now = performance.now();
    if (!b.over && now - (S.gaugesAt || 0) < 500) { marks(b); return; }
    S.gaugesAt = now;
    const c = S.counters;
    $('counters').innerHTML = ['lines', 'sent', 'received', 'dropped', 'late', 'pending', 'violations', 'errors']
      .map((k) => `<span data-counter="${k}">${k} <b>${c[k] != null ? c[k] : 0}</b></span>`).join('');
    const g = $('gauges');
    const compact = S.vms.length > 16;
    g.classList.toggle('compact', compact);
    const maxQ = Math.max(1, ...S.vms.map((x) => x.queue));
    const cells = S.vms.map((x) => compact
      ? `<div class="gauge ${x.state}" data-vm="${x.id}" title="vm${x.id} ${x.state} rate ${x.rate}/s clock ${x.clock} queue ${x.queue} drops ${x.drops}">${x.id}<br><span class="q" style="width:${Math.round(100 * x.queue / maxQ)}%"></span></div>`
      : `<div class="gauge ${x.state}" data-vm="${x.id}"><b>vm${x.id}</b> ${x.state}${x.restarts ? ' (restarted ' + x.restarts + '\u00d7)' : ''}${x.detail ? ' \u2013 ' + esc(x.detail) : ''}<br>` +
        `rate <b>${x.rate}</b>/s \u00b7 clock <b data-gauge="clock">${x.clock}</b> \u00b7 drops <b>${x.drops}</b><br>` +
        `queue <b data-gauge="queue">${x.queue}</b> <span class="q" style="width:${Math.round(8 * x.queue / maxQ)}em"></span></div>`);
    // only the cells that changed are replaced (hundreds of VMs: a few cells a second, not all)
    if (!S.cells || S.cells.length !== cells.length || g.children.length !== cells.length) {
      g.innerHTML = cells.join('');
    } else {
      for (let i = 0; i < cells.length; i++) if (cells[i] !== S.cells[i]) g.children[i].outerHTML = cells[i];
    }
    S.cells = cells;
    marks(b);
  }
  function marks(b) {
    const before = S.violations.size;
    for (const x of b.violations || []) {
      if (x.vm == null) continue;
      const k = x.vm + ':' + x.n;
      if (!S.violations.has(k)) S.violations.set(k, x);
    }
    if (S.violations.size !== before) {
      for (const k of S.violations.keys()) {
        const ev = S.byLine.get(k);
        const e = ev && S.drawn.get(ev.s);
        if (e) e.classList.add('violation');
      }
      renderProblems(b.violations);
    }
    if (S.machines <= MAX_LANES) {
      for (const lg of $('lanes').children) {
        const x = S.vms[+lg.dataset.lane];
        if (x && !lg.classList.contains(x.state)) { S.full = true; S.dirty = true; break; }
      }
    }
  }
  function renderProblems(violations) {
    const p = $('problems');
    const lines = S.errors.slice(-20).map((e) => `vm${e.vm} line ${e.n}: unreadable (${e.err}): ${e.raw}`);
    const vs = violations || [...S.violations.values()];
    for (const v of vs.slice(0, 20)) lines.push(`${v.where}: [${v.rule}] ${v.message}`);
    p.innerHTML = lines.map((l) => `<div>${esc(l)}</div>`).join('');
  }
  function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c])); }

  // ---- export the window
  function exportSvg() {
    const clone = svg.cloneNode(true);
    clone.setAttribute('xmlns', NS);
    clone.setAttribute('width', svg.clientWidth);
    const style = document.createElementNS(NS, 'style');
    const cs = getComputedStyle(document.body);
    const vars = ['--bg', '--fg', '--muted', '--lane', '--send', '--recv', '--internal', '--drop', '--start', '--past', '--future', '--sel', '--bad'];
    let css = ':root{' + vars.map((v) => v + ':' + cs.getPropertyValue(v)).join(';') + '}';
    for (const sheet of document.styleSheets) {
      for (const r of sheet.cssRules) if (/\.(ev|msg|fly|stub|lane)|#axisg|svg/.test(r.selectorText || '')) css += r.cssText;
    }
    style.textContent = css;
    clone.insertBefore(style, clone.firstChild);
    clone.insertBefore(el('rect', { width: '100%', height: '100%', fill: cs.getPropertyValue('--bg') }), style.nextSibling);
    return new XMLSerializer().serializeToString(clone);
  }
  function download(name, blob) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }
  function saveSvg() {
    const text = exportSvg();
    S.lastExport = { kind: 'svg', size: text.length, text };
    download('logical-clocks-window.svg', new Blob([text], { type: 'image/svg+xml' }));
  }
  function savePng() {
    const text = exportSvg();
    const img = new Image();
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = svg.clientWidth * 2; c.height = svg.clientHeight * 2;
      const ctx = c.getContext('2d');
      ctx.scale(2, 2); ctx.drawImage(img, 0, 0);
      c.toBlob((b) => { S.lastExport = { kind: 'png', size: b.size }; download('logical-clocks-window.png', b); }, 'image/png');
    };
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
  }

  // ---- wiring
  function zoom(f) { S.zoom[S.axis] *= f; S.full = true; S.dirty = true; }
  function setAxis(a) { S.axis = a; $('axis').value = a; S.full = true; S.dirty = true; }
  $('play').onclick = () => (S.paused ? play() : pause());
  $('back').onclick = () => step(-1);
  $('fwd').onclick = () => step(1);
  $('rewind').onclick = rewind;
  $('live').onclick = goLive;
  $('speed').onchange = (e) => { S.speed = +e.target.value; };
  $('axis').onchange = (e) => setAxis(e.target.value);
  $('zoomin').onclick = () => zoom(1.5);
  $('zoomout').onclick = () => zoom(1 / 1.5);
  $('lecture').onclick = () => { document.body.classList.toggle('lecture'); $('lecture').classList.toggle('on'); S.full = true; S.dirty = true; };
  $('theme').onclick = () => { const d = document.body.classList.toggle('dark'); document.body.classList.toggle('light', !d); $('theme').textContent = d ? 'light' : 'dark'; };
  $('svg').onclick = saveSvg;
  $('png').onclick = savePng;
  dots.addEventListener('click', (e) => { const t = e.target.closest('.ev'); if (t) select(t.dataset.seq); });
  document.addEventListener('keydown', (e) => {
    if (e.target.tagName === 'SELECT' || e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key;
    if (k === ' ') { S.paused ? play() : pause(); }
    else if (k === 'ArrowRight') step(1);
    else if (k === 'ArrowLeft') step(-1);
    else if (k === '+' || k === '=') zoom(1.5);
    else if (k === '-' || k === '_') zoom(1 / 1.5);
    else if (k === 'Home') rewind();
    else if (k === 'End') goLive();
    else if (k === 'a') setAxis({ wall: 'lamport', lamport: 'hybrid', hybrid: 'wall' }[S.axis]);
    else if (k === 'l') $('lecture').click();
    else if (k === 't') $('theme').click();
    else if (k === 'Escape') select(null);
    else return;
    e.preventDefault();
  });
  window.addEventListener('resize', () => { S.full = true; S.dirty = true; });
  Object.assign(S, { pause, play, step, rewind, goLive, select, setAxis, exportSvg, causal });

  function connect() {
    const es = new EventSource('events');
    es.addEventListener('hello', (m) => {
      const h = JSON.parse(m.data);
      $('conn').textContent = h.mode === 'replay' ? 'replay' : 'live';
      $('title').textContent = 'logical-clocks: ' + h.title;
      document.title = 'logical-clocks: ' + h.title;
      if (S.machines && S.machines !== h.machines) location.reload();
      S.machines = h.machines; S.mode = h.mode;
      S.full = true; S.dirty = true;
    });
    es.addEventListener('batch', (m) => {
      const b = JSON.parse(m.data);
      if (b.skipped) S.skipped += b.skipped;
      for (const ev of b.events) add(ev);
      trim();
      renderState(b);
      S.dirty = true;
    });
    es.addEventListener('refused', (m) => {
      const r = $('refused');
      r.hidden = false;
      r.textContent = 'The server refused this page: ' + m.data;
      $('conn').textContent = 'refused';
      es.close();
    });
    es.onerror = () => { if ($('conn').textContent !== 'refused') $('conn').textContent = 'disconnected: retrying'; };
    es.onopen = () => { if (S.mode) $('conn').textContent = S.mode; };
  }

  let lastFrame = performance.now();
  function frame(now) {
    const dt = now - lastFrame;
    lastFrame = now;
    S.frames.push(dt);
    if (S.frames.length > 5000) S.frames.shift();
    advance(dt);
    if (S.dirty) { S.dirty = false; sync(); }
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
  connect();

  // bench: ?bench=SECONDS posts the frame times measured after a warm-up of 2 s
  const bench = +params.get('bench');
  if (bench > 0) {
    let seqAtStart = 0;
    setTimeout(() => { S.frames.length = 0; S.syncs.length = 0; seqAtStart = S.lastSeq; }, 2000);
    setTimeout(() => {
      const body = JSON.stringify({ frames: S.frames, syncs: S.syncs, drawn: dots.childElementCount,
        kept: S.buf.length, lastSeq: S.lastSeq, seqAtStart, lanes: lanes(), machines: S.machines, skipped: S.skipped });
      fetch('api/frames', { method: 'POST', body });
    }, 2000 + bench * 1000);
  }
})();
