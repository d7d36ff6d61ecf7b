// The view (RaftScope's script.js): draws a Run at a Playback's position as SVG. Every drawn event
// is an element with data-vm, data-clock, data-event, data-line, data-seq, data-count (events it
// stands for: 1 unless aggregated); every drawn message an element with data-msg and data-fate;
// every VM's gauge an element with data-gauge and data-clock (its clock at the play position).
import { idsOf, counters } from './model.js';

const NS = 'http://www.w3.org/2000/svg';
export const TOP = 30; // the axis band
const MAX_LANES = 64; // beyond, VMs share lanes
const params = typeof location !== 'undefined' ? new URLSearchParams(location.search) : new URLSearchParams();
const DOM_CAP = Math.max(500, +params.get('dom') || 3000); // events drawn at once
const ARROW_CAP = Math.max(50, +params.get('arrows') || 800); // messages drawn at once (the latest)

export function el(name, attrs, parent) {
  const e = document.createElementNS(NS, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}
function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c])); }

export class View {
  constructor(svg, run, pb) {
    this.svg = svg;
    this.run = run;
    this.pb = pb;
    this.axis = 'wall';
    this.zoom = { wall: 0.12, lamport: 10, hybrid: 0.12 };
    this.autoZoom = true;
    this.shift = null;
    this.follow = true;
    this.hidden = new Set();
    this.sel = null; // {ev} or {msg}
    this.quiz = null; // {events: Set of k, revealed}
    this.cut = null; // a cut drawn across the lanes: per VM, its tick events inside
    this.gen = 0; // layout generation: bumps when x positions change
    this.drawn = new Map(); // key -> element (events)
    this.drawnMsgs = new Map(); // id -> element
    this.labelsDrawn = new Map(); // k -> text
    this.geomKey = '';
    this.frames = [];
    this.syncs = [];
    const g = (id) => svg.querySelector('#' + id);
    this.g = { lanes: g('lanes'), content: g('content'), spans: g('spans'), msgs: g('msgs'), dots: g('dots'),
      clabels: g('clabels'), marks: g('marks'), labels: g('labels'), axis: g('axisg') };
  }

  // ---- geometry
  lecture() { return document.body.classList.contains('lecture'); }
  /** The page's font size in px (lecture mode scales it with the window). */
  bodyPx() {
    if (this._bodyPxAt !== this.gen) { this._bodyPx = parseFloat(getComputedStyle(document.body).fontSize) || 14; this._bodyPxAt = this.gen; }
    return this._bodyPx;
  }
  /** The clock labels' font size. */
  fontPx() { return this.lecture() ? Math.round(this.bodyPx() * 0.85) : 11; }
  left() { return this.lecture() ? Math.round(this.bodyPx() * 5.5) : 84; }

  /** Many lanes: messages drawn fainter, waits in a queue not drawn along the lane. */
  dense() { return this.lm && this.lm.lanes > 8; }

  laneMap() {
    const n = this.run.machines;
    const shown = [];
    for (let vm = 0; vm < n; vm++) if (!this.hidden.has(vm)) shown.push(vm);
    const lanes = Math.min(shown.length, MAX_LANES) || 1;
    const of = new Int32Array(n).fill(-1);
    shown.forEach((vm, i) => { of[vm] = shown.length <= MAX_LANES ? i : Math.floor(i * MAX_LANES / shown.length); });
    return { of, lanes, shown, shared: shown.length > MAX_LANES };
  }

  /** The pixel gap two of a VM's events need for a dot and its clock label each (lecture: larger). */
  gapPx() { return 2 * this.radius() + this.fontPx() * 0.62 * 3 + 8; }
  radius() { return Math.max(2, Math.min(this.laneH / 4, this.lecture() ? 9 : 6)); }

  layout() {
    const H = this.svg.clientHeight || 400;
    const lm = this.laneMap();
    const room = Math.max(60, H - TOP - 6);
    this.lm = lm;
    this.laneH = Math.max(8, Math.min(this.lecture() ? 200 : 90, room / lm.lanes));
  }
  laneY(vm) { return TOP + (this.lm.of[vm] + 0.5) * this.laneH; }

  /** Zoom fitted to the fastest rate: the fastest VM's events a gap apart (until the user zooms). */
  fitRates() {
    if (!this.autoZoom || !this.run.maxRate) return;
    const period = 1000 / this.run.maxRate;
    const gap = this.gapPx();
    const z = { wall: gap / period, lamport: gap, hybrid: gap / period };
    if (Math.abs(z.wall - this.zoom.wall) / this.zoom.wall > 0.01 || z.lamport !== this.zoom.lamport) {
      this.zoom = z;
      this.invalidate();
    }
  }

  invalidate() { this.gen++; this.geomKey = ''; }

  /**
   * An event's x in content coordinates. A VM's events never share a dot: on the Lamport and hybrid
   * axes equal clocks sit side by side; on the wall axis two lines of one millisecond (a START and
   * its first tick, a DROP and the tick after it) do.
   */
  x(ev) {
    if (ev._g === this.gen) return ev._x;
    // lay out forward from the nearest predecessor already laid out
    const chain = [];
    let p = ev;
    while (p && p._g !== this.gen && chain.length < 2e6) { chain.push(p); p = p.prev; }
    let prevX = p ? p._x : null, prev = p;
    const gap = 2 * this.radius() + 2;
    for (let i = chain.length - 1; i >= 0; i--) {
      const e = chain[i];
      let x;
      if (this.axis === 'wall') {
        x = ((e.wt != null ? e.wt : this.run.t0) - this.run.t0) * this.zoom.wall;
        if (prev && e.wt != null && prev.wt != null && Math.abs(e.wt - prev.wt) <= 1 && x - prevX < gap) x = prevX + gap;
      } else if (this.axis === 'lamport') {
        const raw = e.c * this.zoom.lamport;
        x = prev && prev.c === e.c ? prevX + Math.min(gap, this.zoom.lamport * 0.45) : raw;
        if (prevX != null && x < prevX) x = prevX;
      } else {
        const l = e.hl != null ? e.hl : prev ? prev.hl : this.run.hl0;
        const raw = ((l != null ? l : this.run.hl0) - this.run.hl0) * this.zoom.hybrid;
        const same = prev && prev.hl != null && e.hl != null && prev.hl === e.hl;
        x = same ? prevX + gap : Math.max(raw, prevX != null ? prevX : raw);
      }
      e._x = x; e._g = this.gen;
      prev = e; prevX = x;
    }
    return ev._x;
  }

  /** Whether the quiz hides ev's clock: its VM's events from the first it asks about, until graded. */
  hides(ev) {
    const q = this.quiz;
    return !!(q && !q.revealed && ev && ev.vm === q.vm && ev.k >= q.firstK);
  }

  // ---- the diagram
  /** Draws the run at position P (only what changed since the last call). */
  render(P) {
    const t0 = performance.now();
    const run = this.run;
    const W = this.svg.clientWidth || 1000;
    this.layout();
    this.fitRates();
    const LEFT = this.left();
    const key = [this.axis, this.gen, W, this.svg.clientHeight, this.laneH, this.lecture(), [...this.hidden].join('.'), run.machines].join('|');
    if (key !== this.geomKey) {
      this.geomKey = key;
      for (const k of ['spans', 'msgs', 'dots', 'clabels', 'marks']) this.g[k].textContent = '';
      this.drawn.clear(); this.drawnMsgs.clear(); this.labelsDrawn.clear();
      this.drawLanes(W);
    }
    const last = run.lastShown(P);
    const cursorX = last ? this.x(last) : 0;
    // where the window is: following the play position, or where the user put it
    if (this.follow || this.shift == null) {
      const step = Math.max(100, (W - LEFT) / 5);
      const at = this.shift == null ? null : cursorX + this.shift;
      if (at == null || at > W - 20 || at < W - 3 * step) this.shift = Math.round(Math.min(LEFT + 10, W - step - cursorX));
    }
    const shift = this.shift;
    this.g.content.setAttribute('transform', `translate(${shift},0)`);
    this.drawAxis(W, shift);
    const xl = LEFT - shift - 40, xr = W - shift + 40;
    const pr = this.prof || (this.prof = {});
    let t = performance.now();
    const lap = (k) => { const n = performance.now(); pr[k] = (pr[k] || 0) + n - t; t = n; };
    const want = this.visible(P, xl, xr); lap('visible');
    this.drawEvents(want); lap('events');
    this.drawMessages(P, want, cursorX); lap('messages');
    this.drawLabels(want, W, shift); lap('labels');
    this.drawMarks(P, last, cursorX); lap('marks');
    if (this.sel) this.highlight(P, want);
    this.laneStates(P); lap('lanes');
    this.syncs.push(performance.now() - t0);
    if (this.syncs.length > 5000) this.syncs.shift();
  }

  /** The events to draw: each shown VM's events with k < P inside [xl, xr], at most DOM_CAP (the latest). */
  visible(P, xl, xr) {
    const run = this.run;
    const per = [];
    let total = 0;
    for (const vm of this.lm.shown) {
      const a = run.evsOf[vm];
      if (!a || !a.length) continue;
      // the last shown (k < P), then the first at or right of xl
      let lo = 0, hi = a.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid].k < P) lo = mid + 1; else hi = mid; }
      const end = lo;
      lo = 0; hi = end;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (this.x(a[mid]) < xl) lo = mid + 1; else hi = mid; }
      let to = lo;
      while (to < end && this.x(a[to]) <= xr) to++;
      if (to > lo) { per.push([vm, lo, to]); total += to - lo; }
    }
    const out = [];
    const cap = this.lm.shared ? DOM_CAP / 2 : DOM_CAP; // shared lanes: each a few pixels tall
    const scale = total > cap ? cap / total : 1;
    const r = this.radius();
    for (const [vm, lo, to] of per) {
      const from = scale < 1 ? Math.max(lo, to - Math.ceil((to - lo) * scale)) : lo;
      const a = run.evsOf[vm];
      let agg = null;
      for (let i = from; i < to; i++) {
        const ev = a[i];
        const x = this.x(ev);
        // faster than the eye can follow: an INTERNAL event on the dot of its VM's previous
        // INTERNAL one joins it (one element, data-count events, data-event AGGREGATE)
        if (ev.e === 'INTERNAL' && agg && agg.vm === vm && x - agg.x0 < r * 1.6 && !(this.quiz && this.quiz.events.has(ev.k))) {
          agg.n++; agg.last = ev; agg.evs.push(ev);
          continue;
        }
        agg = ev.e === 'INTERNAL' ? { key: 'a' + ev.k, vm, x0: x, n: 1, first: ev, last: ev, evs: [ev] } : null;
        out.push(agg || { key: 'e' + ev.k, vm, x0: x, n: 1, first: ev, last: ev, evs: [ev] });
      }
    }
    return out;
  }

  drawEvents(want) {
    const keep = new Set();
    const r = this.radius();
    for (const w of want) {
      keep.add(w.key);
      let e = this.drawn.get(w.key);
      const type = w.n > 1 ? 'AGGREGATE' : w.first.e;
      if (e && e._n !== w.n) {
        e._n = w.n;
        e.dataset.count = w.n;
        e.dataset.event = type;
        e.dataset.clock = w.last.c;
        e.setAttribute('class', 'ev ' + (w.n > 1 ? 'AGG' : w.first.e) + (this.violated(w) ? ' violation' : ''));
      }
      if (e) continue;
      const ev = w.first;
      const x = w.x0, y = this.laneY(ev.vm);
      if (ev.e === 'START' || ev.e === 'STOP') {
        e = el('rect', { x: x - r * 0.6, y: y - r * 1.6, width: r * 1.2, height: r * 3.2 });
      } else if (ev.e === 'ERROR') {
        e = el('rect', { x: x - r, y: y - r, width: r * 2, height: r * 2, transform: `rotate(45 ${x} ${y})` });
      } else if (ev.e === 'DROP') {
        e = el('path', { d: `M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}` });
      } else if (ev.e === 'SNAPSHOT') {
        // a flag on the lane: the VM recorded its state for a snapshot here
        e = el('path', { d: `M${x},${y - r * 2}L${x},${y + r * 2}M${x},${y - r * 2}L${x + r * 1.4},${y - r * 1.4}L${x},${y - r * 0.8}` });
      } else {
        e = el('circle', { cx: x, cy: y, r });
      }
      e.setAttribute('class', 'ev ' + (w.n > 1 ? 'AGG' : ev.e) + (this.violated(w) ? ' violation' : ''));
      const d = e.dataset;
      d.vm = ev.vm; d.clock = w.last.c; d.event = type; d.line = ev.n; d.seq = ev.s; d.k = ev.k; d.count = w.n; d.x = x;
      e._n = w.n;
      if (ev.hl != null) d.hybrid = ev.hl + ':' + ev.hc;
      if (ev.vc) d.vc = ev.vc;
      if (ev.restart) d.restart = ev.restart;
      if (w.n === 1 && ev.m) d.msg = ev.m;
      this.g.dots.appendChild(e);
      this.drawn.set(w.key, e);
    }
    for (const [k, e] of this.drawn) if (!keep.has(k)) { e.remove(); this.drawn.delete(k); }
  }

  violated(w) {
    if (!this.run.violations.length) return false;
    for (const ev of w.evs) if (this.isViolation(ev)) return true;
    return false;
  }
  isViolation(ev) {
    if (!this._vset || this._vsetN !== this.run.violations.length) {
      this._vset = new Set(this.run.violations.filter((v) => v.vm != null).map((v) => v.vm + ':' + v.n));
      this._vsetN = this.run.violations.length;
    }
    return this._vset.has(ev.vm + ':' + ev.n);
  }

  /** The messages of the events drawn, and those waiting in a queue, with their fate at P. */
  drawMessages(P, want, cursorX) {
    const run = this.run;
    const ms = new Map();
    for (const w of want) {
      if (w.n !== 1) continue;
      const ev = w.first;
      if (ev.e === 'SEND' || ev.e === 'RECEIVE' || ev.e === 'DROP') for (const id of idsOf(ev)) { const m = run.msgs.get(id); if (m) ms.set(id, m); }
      if (ev.e === 'STOP' && ev.queued) for (const id of String(ev.queued).split(',')) { const m = run.msgs.get(id); if (m) ms.set(id, m); }
    }
    const queued = new Set();
    for (const vm of this.lm.shown) {
      const E = run.lastOf(vm, P);
      if (E && E.q > 0) for (const m of run.queuedAt(vm, P)) { queued.add(m.id); if (m.send) ms.set(m.id, m); }
    }
    let list = [...ms.values()].filter((m) => m.send && m.send.k < P);
    const acap = this.lm.shared ? ARROW_CAP / 2 : ARROW_CAP;
    if (list.length > acap) list = list.sort((a, b) => b.send.k - a.send.k).slice(0, acap);

    const keep = new Set();
    const r = this.radius();
    for (const m of list) {
      if (m.to == null || this.lm.of[m.from] < 0 || this.lm.of[m.to] < 0 || m.to >= run.machines) continue;
      let fate = run.fateAt(m, P);
      if (!fate) continue;
      if (fate === 'in-flight' && queued.has(m.id)) fate = 'queued';
      const end = fate === 'received' || fate === 'late' ? m.recv : fate === 'dropped' ? m.drops.find((d) => d.k < P) : fate === 'queued' ? (m.stop && m.stop.k < P ? m.stop : null) : null;
      const toCursor = !end && (fate === 'in-flight' || (fate === 'queued' && !this.dense()) || fate === 'late');
      const sig = fate + ':' + (end ? end.k : toCursor ? Math.round(cursorX) : '');
      const old = this.drawnMsgs.get(m.id);
      keep.add(m.id);
      if (old && old._sig === sig) continue;
      const x1 = this.x(m.send), y1 = this.laneY(m.from), y2 = this.laneY(m.to);
      let d;
      if (fate === 'received') {
        d = `M${x1},${y1}L${this.x(m.recv)},${y2 + (y2 > y1 ? -r : r)}`;
      } else if (fate === 'late') {
        const drop = m.drops[0];
        const mx = this.x(drop), my = y1 + Math.sign(y2 - y1) * this.laneH * 0.4;
        const tx = end ? this.x(end) : cursorX;
        d = `M${x1},${y1}L${mx},${my}L${tx},${y2 + (y2 > y1 ? -r : r)}`;
      } else if (fate === 'dropped') {
        // toward its receiver, ending at the DROP's time, still in the sender's lane
        const mx = Math.max(x1 + 4, this.x(end)), my = y1 + Math.sign(y2 - y1) * this.laneH * 0.4;
        d = `M${x1},${y1}L${mx},${my}m-5,-5l10,10m0,-10l-10,10`;
      } else if (fate === 'queued') {
        // waiting in the receiver's queue: it reached the lane, and waits there until taken (with
        // many lanes, only its arrival: the gauges say how many wait)
        const ax = x1 + Math.min(24, this.laneH * 0.4), wy = y2 + (y2 > y1 ? -r - 3 : r + 3);
        const tx = end ? this.x(end) : cursorX;
        d = this.dense() ? `M${x1},${y1}L${ax},${wy}` : `M${x1},${y1}L${ax},${wy}L${Math.max(ax + 4, tx)},${wy}`;
      } else {
        const tx = Math.max(cursorX, x1 + 8);
        d = `M${x1},${y1}L${tx},${y1 + (y2 - y1) * 0.8}`;
      }
      if (old && old._fate === fate) {
        // the same fate, drawn further (a message still in flight as the position moves): in place
        for (const p of old.children) p.setAttribute('d', d);
        old._sig = sig;
        continue;
      }
      if (old) old.remove();
      const g = el('g', { class: 'msg ' + fate + (this.dense() ? ' dense' : '') });
      g.dataset.msg = m.id; g.dataset.fate = fate;
      g.dataset.from = m.send.k; if (m.recv) g.dataset.to = m.recv.k;
      g._sig = sig; g._fate = fate;
      const head = this.lm.lanes > 24 ? '' : fate === 'received' || fate === 'late' ? 'url(#head)' : fate === 'in-flight' ? 'url(#headfly)' : '';
      const line = el('path', { d, class: 'line' }, g);
      if (head) line.setAttribute('marker-end', head);
      if (this.lm.lanes <= 24) el('path', { d, class: 'hit' }, g); // an arrow to click
      else line.classList.add('hit-self');
      this.g.msgs.appendChild(g);
      this.drawnMsgs.set(m.id, g);
    }
    for (const [id, e] of this.drawnMsgs) if (!keep.has(id)) { e.remove(); this.drawnMsgs.delete(id); }
  }

  /**
   * Each event's Lamport clock beside its dot, where there is room (never two labels overlapping):
   * above the dot, or right of it when the lanes are too short for that.
   */
  drawLabels(want, W, shift) {
    const r = this.radius();
    const keep = new Set();
    const LEFT = this.left();
    let fpx = this.fontPx();
    const above = this.laneH >= 2 * r + fpx + 6;
    if (!above) fpx = Math.min(fpx, Math.floor(this.laneH - 4));
    const room = !this.lm.shared && fpx >= 9;
    if (room) {
      // the ticks' clocks first (each changes the clock); a START's when there is room left; a
      // DROP's or a STOP's never (its clock is the line's before it)
      const placed = new Map(); // vm -> [[x0, x1], ...] in content x
      const free = (vm, a, b) => !(placed.get(vm) || []).some(([c, d]) => a < d + 3 && c < b + 3);
      for (const pass of [0, 1]) {
        for (const w of want) {
          if (w.n !== 1) continue;
          const ev = w.first;
          const tick = ev.e === 'SEND' || ev.e === 'RECEIVE' || ev.e === 'INTERNAL';
          if ((pass === 0) !== tick || (!tick && ev.e !== 'START') || ev.c == null) continue;
          const quizzed = this.quiz && !this.quiz.revealed && this.quiz.events.has(ev.k);
          if (this.hides(ev) && !quizzed) continue; // its clock would tell the quiz's answers
          const text = quizzed ? '?' : String(ev.c);
          const wpx = text.length * fpx * 0.62 + 2;
          const x0 = above ? w.x0 - wpx / 2 : w.x0 + r + 2;
          const x1 = x0 + wpx;
          if (x0 + shift < LEFT + 2 || x1 + shift > W - 2) continue;
          if (!free(ev.vm, x0, x1)) continue;
          if (!above) {
            // right of the dot: up to the next dot of its VM
            const next = ev.next ? this.x(ev.next) : Infinity;
            if (x1 + 2 > next - r) continue;
          }
          if (!placed.has(ev.vm)) placed.set(ev.vm, []);
          placed.get(ev.vm).push([x0, x1]);
          const k = ev.k + (quizzed ? 'h' : '') + (above ? '' : 'r') + fpx;
          keep.add(k);
          if (this.labelsDrawn.has(k)) continue;
          const y = above ? this.laneY(ev.vm) - r - 3 : this.laneY(ev.vm) + fpx * 0.35;
          const t = el('text', { x: above ? w.x0 : x0, y, class: 'clk' + (quizzed ? ' hidden' : '') + (above ? '' : ' right'), style: `font-size:${fpx}px` });
          t.textContent = text;
          t.dataset.k = ev.k;
          this.g.clabels.appendChild(t);
          this.labelsDrawn.set(k, t);
        }
      }
    }
    for (const [k, t] of this.labelsDrawn) if (!keep.has(k)) { t.remove(); this.labelsDrawn.delete(k); }
  }

  /** The play position's cursor, and each VM's crashes and downtime up to P. */
  drawMarks(P, last, cursorX) {
    const g = this.g.marks;
    g.textContent = '';
    this.g.spans.textContent = '';
    const r = this.radius();
    for (const d of this.run.downs) {
      if (d.fromK >= P || this.lm.of[d.vm] < 0 || !d.from) continue;
      const y = this.laneY(d.vm);
      const x1 = this.x(d.from);
      const x2 = d.to && d.to.k < P ? this.x(d.to) : cursorX;
      const s = el('rect', { x: x1, y: y - this.laneH * 0.3, width: Math.max(0, x2 - x1), height: this.laneH * 0.6, class: 'down ' + d.kind }, this.g.spans);
      s.dataset.vm = d.vm; s.dataset.kind = d.kind;
      if (d.kind !== 'stopped') {
        const m = el('path', { d: `M${x1 + r + 3},${y - r - 2}l${r},${r + 2}l${-r * 0.6},0l${r},${r + 2}`, class: 'crash' }, g);
        m.dataset.vm = d.vm;
      }
    }
    if (this.cut) this.drawCut(g);
    if (last) {
      el('line', { x1: cursorX, y1: TOP - 4, x2: cursorX, y2: TOP + this.lm.lanes * this.laneH, class: 'cursor' }, g);
      if (this.lm.of[last.vm] >= 0) el('circle', { cx: cursorX, cy: this.laneY(last.vm), r: r + 4, class: 'cursor-ring' }, g);
    }
  }

  /**
   * The cut: on each shown VM's lane a bar between its last event inside and its first outside,
   * joined lane to lane; red when it is not consistent, its breaking messages drawn thick.
   */
  drawCut(g) {
    const info = this.run.cutInfo(this.cut);
    const gap = 2 * this.radius() + 4;
    const pts = [];
    const order = [];
    for (let vm = 0; vm < this.run.machines; vm++) if (this.lm.of[vm] >= 0) order.push(vm);
    order.sort((a, b) => this.lm.of[a] - this.lm.of[b]);
    for (const vm of order) {
      const t = this.run.ticksOf[vm], base = this.run.tickBase[vm];
      const n = info.cut[vm] - base;
      const a = n > 0 ? t[n - 1] : null, b = n < t.length ? t[n] : null;
      let x;
      if (a && b) x = (this.x(a) + this.x(b)) / 2;
      else if (a) x = this.x(a) + gap;
      else if (b) x = this.x(b) - gap;
      else continue;
      const y = this.laneY(vm);
      pts.push([x, y - this.laneH * 0.45], [x, y + this.laneH * 0.45]);
    }
    if (!pts.length) return;
    const line = el('polyline', { points: pts.map((p) => p.join(',')).join(' '), class: 'cut' + (info.consistent ? '' : ' inconsistent') }, g);
    line.dataset.cut = info.cut.map((n, vm) => vm + ':' + n).join(',');
    line.dataset.consistent = String(info.consistent);
    for (const m of info.broken) {
      if (!m.send || !m.recv) continue;
      const b = el('line', { x1: this.x(m.send), y1: this.laneY(m.send.vm), x2: this.x(m.recv), y2: this.laneY(m.recv.vm), class: 'cut-broken' }, g);
      b.dataset.msg = m.id;
    }
  }

  drawLanes(W) {
    const g = this.g.lanes, labels = this.g.labels;
    g.textContent = ''; labels.textContent = '';
    const LEFT = this.left();
    const h = TOP + this.lm.lanes * this.laneH + 6;
    labels.appendChild(el('rect', { x: 0, y: 0, width: LEFT, height: Math.max(h, this.svg.clientHeight || h), class: 'panel' }));
    const fpx = Math.min(this.lecture() ? Math.round(this.bodyPx() * 1.05) : 12, this.laneH - 2);
    const per = this.lm.shown.length / this.lm.lanes;
    for (let i = 0; i < this.lm.lanes; i++) {
      const y = TOP + (i + 0.5) * this.laneH;
      const lg = el('g', { class: 'lane' }, g);
      lg.dataset.lane = i;
      el('line', { x1: LEFT, y1: y, x2: W, y2: y }, lg);
      const tg = el('g', { class: 'lane' }, labels);
      tg.dataset.lane = i;
      const vm = this.lm.shared ? this.lm.shown[Math.ceil(i * per)] : this.lm.shown[i];
      if (vm == null) continue;
      tg.dataset.vm = vm;
      const two = this.laneH >= 2 * fpx + 6;
      const t = el('text', { x: 6, y: two ? y - 2 : y + fpx * 0.35, class: 'name', style: `font-size:${fpx}px` }, tg);
      t.textContent = this.lm.shared ? 'vm' + vm + '-' + this.lm.shown[Math.min(this.lm.shown.length - 1, Math.ceil((i + 1) * per) - 1)] : 'vm' + vm;
      if (two && !this.lm.shared) {
        const st = el('text', { x: 6, y: y + fpx * 0.9, class: 'state', style: `font-size:${Math.round(fpx * 0.75)}px` }, tg);
        st.dataset.vm = vm;
      }
    }
  }

  /** Each lane's state word and style at P. */
  laneStates(P) {
    if (this.lm.shared) return;
    const st = this.run.stateAt(P);
    for (const tg of this.g.labels.children) {
      if (tg.dataset.vm == null) continue;
      const vm = +tg.dataset.vm;
      const v = st.vms[vm];
      const s = v ? v.state : 'connecting';
      const cls = 'lane ' + s;
      if (tg.getAttribute('class') !== cls) {
        tg.setAttribute('class', cls);
        const lane = this.g.lanes.children[+tg.dataset.lane];
        if (lane) lane.setAttribute('class', cls);
      }
      const t = tg.querySelector('.state');
      const word = s === 'live' ? '' : s;
      if (t && t.textContent !== word) t.textContent = word;
    }
  }

  drawAxis(W, shift) {
    const g = this.g.axis;
    g.textContent = '';
    const LEFT = this.left();
    const unit = this.axis === 'lamport' ? 1 : 1000;
    const z = this.zoom[this.axis] * unit;
    const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 50000, 100000];
    const minPx = this.lecture() ? this.bodyPx() * 7 : 90;
    const step = steps.find((s) => s * z >= minPx) || 100000;
    const from = Math.floor((LEFT - shift) / z / step) * step;
    for (let v = from; v * z + shift < W; v += step) {
      const x = v * z + shift;
      if (x < LEFT + 2) continue;
      el('line', { x1: x, y1: TOP - 10, x2: x, y2: TOP - 2 }, g);
      const text = this.axis === 'lamport' ? 'L ' + v : (this.axis === 'hybrid' ? 'hlc +' : '+') + v + ' s';
      if (x + 3 + text.length * this.bodyPx() * 0.55 > W) continue; // not cut at the window's edge
      const t = el('text', { x: x + 3, y: TOP - 13 }, g);
      t.textContent = text;
    }
  }

  // ---- causality and selection
  highlight(P, want) {
    const run = this.run;
    const sel = this.sel;
    let past = new Set(), future = new Set(), selK = -1;
    if (sel.ev) {
      selK = sel.ev.k;
      if (this._causalFor !== sel.ev || this._causalV !== run.version) {
        this._causal = run.causal(sel.ev);
        this._causalFor = sel.ev; this._causalV = run.version;
      }
      ({ past, future } = this._causal);
    }
    const ends = new Set();
    if (sel.msg) {
      if (sel.msg.send) ends.add(sel.msg.send.k);
      if (sel.msg.recv) ends.add(sel.msg.recv.k);
    }
    let np = 0, nf = 0, nc = 0;
    for (const e of this.g.dots.children) {
      const k = +e.dataset.k;
      const cls = k === selK || ends.has(k) ? 'selected' : past.has(k) ? 'past' : future.has(k) ? 'future' : 'concurrent';
      if (!e.classList.contains(cls)) { e.classList.remove('past', 'future', 'selected', 'concurrent'); e.classList.add(cls); }
      const c = +e.dataset.count;
      if (cls === 'past') np += c; else if (cls === 'future') nf += c; else if (cls === 'concurrent') nc += c;
    }
    for (const a of this.g.msgs.children) {
      const f = +a.dataset.from, t = a.dataset.to != null ? +a.dataset.to : NaN;
      const on = sel.msg ? a.dataset.msg === sel.msg.id
        : ((past.has(f) || f === selK) && (past.has(t) || t === selK)) || ((future.has(f) || f === selK) && future.has(t));
      a.classList.toggle('causal', on);
    }
    // the selected event on top of the others
    const se = sel.ev && this.g.dots.querySelector(`[data-k="${selK}"]`);
    if (se && se !== this.g.dots.lastChild) this.g.dots.appendChild(se);
    this.counts = { past: np, future: nf, concurrent: nc };
  }

  select(sel) {
    this.sel = sel;
    this.svg.classList.toggle('selecting', !!sel);
    if (!sel) {
      for (const e of this.g.dots.querySelectorAll('.past,.future,.selected,.concurrent')) e.classList.remove('past', 'future', 'selected', 'concurrent');
      for (const a of this.g.msgs.querySelectorAll('.causal')) a.classList.remove('causal');
      this.follow = true;
    } else {
      this.follow = false; // the selection stays in view
    }
  }

  /** Pans so content x lies in the window (the selection, a search's result). */
  reveal(cx) {
    const W = this.svg.clientWidth || 1000;
    const LEFT = this.left();
    const sx = cx + (this.shift || 0);
    if (sx < LEFT + 30 || sx > W - 30) this.shift = Math.round((LEFT + W) / 2 - cx);
    this.follow = false;
  }

  // ---- navigation
  setAxis(a) { this.axis = a; this.invalidate(); this.shift = null; }
  zoomBy(f, atScreenX) {
    this.autoZoom = false;
    const W = this.svg.clientWidth || 1000;
    const mx = atScreenX == null ? (this.follow ? W - 60 : W / 2) : atScreenX;
    const cx = mx - (this.shift || 0);
    this.zoom[this.axis] *= f;
    this.invalidate();
    if (this.axis === 'wall') { this.shift = Math.round(mx - cx * f); }
    else if (this.sel && this.sel.ev) { this.shift = null; }
  }
  pan(dx) { this.follow = false; this.shift = (this.shift || 0) + dx; }

  /** The whole kept run up to P in the window. */
  fit(P) {
    const run = this.run;
    let lo = Infinity, hi = -Infinity;
    for (const vm of this.lm.shown) {
      const a = run.evsOf[vm];
      if (!a || !a.length || a[0].k >= P) continue;
      lo = Math.min(lo, this.x(a[0]));
      hi = Math.max(hi, this.x(run.lastOf(vm, P)));
    }
    if (!(hi > lo)) return;
    const W = this.svg.clientWidth || 1000;
    const f = (W - this.left() - 50) / (hi - lo);
    this.autoZoom = false;
    this.zoom[this.axis] *= f;
    this.invalidate();
    let lo2 = Infinity;
    for (const vm of this.lm.shown) { const a = run.evsOf[vm]; if (a && a.length && a[0].k < P) lo2 = Math.min(lo2, this.x(a[0])); }
    this.shift = Math.round(this.left() + 20 - lo2);
    this.follow = false;
  }

  // ---- export: exactly what is on screen, every style inlined
  exportSvg() {
    const svg = this.svg;
    const clone = svg.cloneNode(true);
    const W = svg.clientWidth, H = svg.clientHeight;
    clone.setAttribute('xmlns', NS);
    clone.setAttribute('width', W);
    clone.setAttribute('height', H);
    clone.setAttribute('viewBox', `0 0 ${W} ${H}`);
    const props = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity',
      'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility', 'display', 'marker-end'];
    const a = [svg, ...svg.querySelectorAll('*')];
    const b = [clone, ...clone.querySelectorAll('*')];
    for (let i = 0; i < a.length; i++) {
      const cs = getComputedStyle(a[i]);
      let style = '';
      for (const p of props) {
        const v = cs.getPropertyValue(p);
        if (v && v !== 'normal' && !(p === 'marker-end' && v === 'none')) style += `${p}:${v};`;
      }
      b[i].setAttribute('style', style);
      b[i].removeAttribute('class');
    }
    const bg = el('rect', { x: 0, y: 0, width: W, height: H, fill: getComputedStyle(document.body).getPropertyValue('--bg').trim() || '#fff' });
    clone.insertBefore(bg, clone.firstChild);
    return new XMLSerializer().serializeToString(clone);
  }
}

/** The scrub bar: the whole kept run in a strip, the play position, the window, crashes, violations. */
export class Timeline {
  constructor(canvas, run, onSeek) {
    this.c = canvas;
    this.run = run;
    this.onSeek = onSeek;
    this.drag = false;
    this.cacheV = -1;
    const seek = (e) => {
      const rect = canvas.getBoundingClientRect();
      onSeek(this.kAt((e.clientX - rect.left) / rect.width));
    };
    canvas.addEventListener('pointerdown', (e) => { this.drag = true; canvas.setPointerCapture(e.pointerId); seek(e); });
    canvas.addEventListener('pointermove', (e) => { if (this.drag) seek(e); });
    canvas.addEventListener('pointerup', () => { this.drag = false; });
  }

  /** The strip's span of host time: from the first log line kept (not a wait before it) to the newest item. */
  range() {
    const run = this.run;
    if (run.kEnd === run.k0) return null;
    let k = run.k0;
    while (k < run.kEnd - 1 && run.item(k).e === 'STATE' && k - run.k0 < 10000) k++;
    return [run.item(k).hh, run.item(run.kEnd - 1).hh];
  }

  /** The position at fraction f of the strip (by host time). */
  kAt(f) {
    const run = this.run;
    const r = this.range();
    if (!r) return run.k0;
    if (f >= 0.999) return run.kEnd;
    if (f <= 0.001) return run.k0;
    const h = r[0] + Math.max(0, f) * (r[1] - r[0]);
    let lo = run.k0, hi = run.kEnd;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (run.item(mid).hh <= h) lo = mid + 1; else hi = mid; }
    return lo;
  }

  /**
   * The run's lines counted in buckets of B ms of host time from the first kept (2,048 at most: B
   * doubles as the run grows), taking only the items that came since the last call.
   */
  density(r) {
    const run = this.run;
    const MAXB = 2048;
    if (this.r0 !== r[0] || this.doneK == null || this.doneK < run.k0) {
      this.r0 = r[0]; this.B = 1; this.hist = new Float64Array(MAXB); this.badB = new Uint8Array(MAXB); this.doneK = run.k0;
    }
    while ((r[1] - r[0]) / this.B >= MAXB) {
      const h = new Float64Array(MAXB), b = new Uint8Array(MAXB);
      for (let i = 0; i < MAXB; i++) { h[i >> 1] += this.hist[i]; b[i >> 1] |= this.badB[i]; }
      this.hist = h; this.badB = b; this.B *= 2;
    }
    for (let k = this.doneK; k < run.kEnd; k++) {
      const it = run.item(k);
      if (it.e === 'STATE') continue;
      const i = Math.min(MAXB - 1, Math.floor((it.hh - this.r0) / this.B));
      this.hist[i]++;
      if (it.e === 'ERROR') this.badB[i] = 1;
    }
    this.doneK = run.kEnd;
  }

  draw(P, view) {
    const c = this.c;
    const w = c.clientWidth, h = c.clientHeight;
    if (!w || !h) return;
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.round(w * dpr)) { c.width = Math.round(w * dpr); c.height = Math.round(h * dpr); this.cacheV = -1; }
    const ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const run = this.run;
    const r = this.range();
    if (!this.colors || this.colorsFor !== document.body.className) {
      const css = getComputedStyle(document.body);
      this.colors = {};
      for (const v of ['--panel', '--muted', '--bad', '--past', '--sel']) this.colors[v] = css.getPropertyValue(v).trim();
      this.colorsFor = document.body.className;
    }
    const col = (v) => this.colors[v];
    ctx.fillStyle = col('--panel');
    ctx.fillRect(0, 0, w, h);
    if (!r) return;
    const span = Math.max(1, r[1] - r[0]);
    const xOf = (hh) => ((hh - r[0]) / span) * w;
    // event density (a column per pixel), recomputed when the run changed
    const BW = 3; // px a column
    this.density(r);
    // the buckets (B ms each from r[0]) summed into columns of BW px
    const ncol = Math.ceil(w / BW) + 1;
    const cols = new Float64Array(ncol);
    const bad = new Uint8Array(ncol);
    const per = (this.B / span) * w / BW; // columns per bucket
    for (let i = 0; i < this.hist.length; i++) {
      if (!this.hist[i] && !this.badB[i]) continue;
      const c = Math.min(ncol - 1, Math.floor(i * per));
      cols[c] += this.hist[i];
      if (this.badB[i]) bad[c] = 1;
    }
    let max = 1;
    for (const v of cols) if (v > max) max = v;
    ctx.fillStyle = col('--muted');
    for (let i = 0; i < ncol; i++) {
      if (!cols[i]) continue;
      const bh = Math.max(1, (h - 8) * Math.sqrt(cols[i] / max));
      ctx.fillRect(i * BW, h - bh, BW - 1, bh);
    }
    this.bad = bad;
    ctx.fillStyle = col('--bad');
    for (let i = 0; i < bad.length; i++) if (bad[i]) ctx.fillRect(i * BW, 0, BW, h);
    for (const v of run.violations) {
      const ev = v.vm != null ? run.byLine.get(v.vm + ':' + v.n) : null;
      if (ev) ctx.fillRect(xOf(ev.hh) - 1, 0, 2, h);
    }
    for (const d of run.downs) {
      if (!d.from) continue;
      const x1 = xOf(d.from.hh), x2 = d.to ? xOf(d.to.hh) : w;
      ctx.fillStyle = d.kind === 'stopped' ? col('--past') : col('--bad');
      ctx.globalAlpha = 0.35;
      ctx.fillRect(x1, 0, Math.max(2, x2 - x1), h);
      ctx.globalAlpha = 1;
    }
    // the play position
    const at = P > run.k0 ? run.item(Math.min(P, run.kEnd) - 1).hh : r[0];
    const px = xOf(at);
    ctx.fillStyle = col('--sel');
    ctx.fillRect(px - 1.5, 0, 3, h);
    ctx.beginPath(); ctx.moveTo(px - 6, 0); ctx.lineTo(px + 6, 0); ctx.lineTo(px, 7); ctx.fill();
  }
}

/** The gauges at the play position: one element per VM with data-gauge and data-clock. */
export function renderGauges(box, run, st, hidden, quizVm) {
  const n = run.machines;
  const compact = n > 24;
  box.classList.toggle('compact', compact);
  let maxQ = 1;
  for (const v of st.vms) if (v.queue > maxQ) maxQ = v.queue;
  if (compact) {
    // hundreds of VMs: cells made once, each changed in place only when its numbers change
    if (!box._compact || box.children.length !== n) {
      box.innerHTML = Array.from({ length: n }, (_, i) => `<div class="gauge" data-gauge="${i}" data-vm="${i}">${i}<span class="q"></span></div>`).join('');
      box._compact = true;
      box._cells = null;
    }
    for (let i = 0; i < n; i++) {
      const v = st.vms[i] || { state: 'connecting', clock: null, queue: 0, drops: 0, restarts: 0, why: '' };
      const clock = quizVm === i ? '?' : v.clock == null ? '\u2013' : v.clock;
      const cls = `gauge ${v.state}${hidden.has(i) ? ' hidden' : ''}`;
      const key = cls + clock + ':' + v.queue + ':' + maxQ + ':' + v.drops + ':' + v.restarts;
      const c = box.children[i];
      if (c._key === key) continue;
      c._key = key;
      c.className = cls;
      c.dataset.clock = clock; c.dataset.queue = v.queue; c.dataset.state = v.state;
      c.title = `vm${i} ${v.state}${v.restarts ? ' (restarted ' + v.restarts + '\u00d7)' : ''} clock ${clock} queue ${v.queue} drops ${v.drops}${v.why ? ' \u2013 ' + v.why : ''}`;
      c.firstElementChild.style.width = Math.round(100 * v.queue / maxQ) + '%';
    }
    return;
  }
  box._compact = false;
  box.classList.toggle('many', n > 6);
  const cells = [];
  for (let i = 0; i < n; i++) {
    const v = st.vms[i] || { state: 'connecting', clock: null, queue: 0, drops: 0, restarts: 0, rate: null, why: '' };
    const clock = quizVm === i ? '?' : v.clock == null ? '\u2013' : v.clock;
    const cls = `gauge ${v.state}${hidden.has(i) ? ' hidden' : ''}`;
    const attrs = `class="${cls}" data-gauge="${i}" data-vm="${i}" data-clock="${clock}" data-queue="${v.queue}" data-state="${v.state}"`;
    const word = v.state + (v.restarts ? ' (restarted ' + v.restarts + '\u00d7)' : '');
    cells.push(`<div ${attrs}><b class="vmname">vm${i}</b> <span class="st">${esc(word)}</span>` +
        `<span class="num">clock <b>${clock}</b></span><span class="num">queue <b>${v.queue}</b></span>` +
        `<span class="qbar"><span class="q" style="width:${Math.round(100 * v.queue / maxQ)}%"></span></span>` +
        `<span class="num more">rate ${v.rate == null ? '?' : v.rate}/s \u00b7 drops ${v.drops}</span>` +
        (v.why && /unreachable|failed|stopped|absent/.test(v.state) ? `<span class="why">${esc(shortWhy(v.why))}</span>` : '') + '</div>');
  }
  if (!box._cells || box._cells.length !== cells.length || box.children.length !== cells.length) {
    box.innerHTML = cells.join('');
  } else {
    for (let i = 0; i < cells.length; i++) if (cells[i] !== box._cells[i]) box.children[i].outerHTML = cells[i];
  }
  box._cells = cells;
}

/** gRPC's words for a VM that cannot be reached, as a person would say them. */
export function shortWhy(why) {
  const w = String(why);
  if (/Connection refused/i.test(w)) return 'connection refused: its process is not running';
  if (/Unable to resolve host|UnknownHost|resolve/i.test(w)) return "its name does not resolve (no such host yet)";
  if (/DEADLINE_EXCEEDED|timed out/i.test(w)) return 'no answer in time';
  if (/UNAVAILABLE/.test(w)) return 'unreachable: ' + w.replace(/^UNAVAILABLE:\s*/, '').slice(0, 80);
  return w.length > 100 ? w.slice(0, 100) + '\u2026' : w;
}

/** What each counter means (its tooltip). */
const MEANS = {
  lines: 'log lines shown so far',
  sent: 'messages sent (a SEND to two VMs sends two)',
  received: 'messages RECEIVEd (the late ones too)',
  dropped: 'messages DROPped and never delivered',
  late: 'delivered after their sender DROPped them, not knowing their fate (counted in received, not in dropped)',
  queued: 'left in a queue at its STOP',
  pending: 'sent, with no fate yet at the play position (on the way, or waiting in a queue)',
  violations: "lines that break one of analyze's rules",
  errors: 'lines that do not parse',
};

/** The counters at the play position. */
export function renderCounters(box, st, run, P) {
  const c = counters(st);
  c.violations = run.violationsAt(P).length;
  c.violationsMore = run.violationCount > run.violations.length && P >= run.kEnd;
  const keys = ['lines', 'sent', 'received', 'dropped', 'late', 'queued', 'pending', 'violations', 'errors'];
  const html = keys.map((k) => `<span data-counter="${k}" title="${MEANS[k]}">${k} <b>${c[k]}${k === 'violations' && c.violationsMore ? '+' : ''}</b></span>`).join('');
  if (box._html !== html) { box.innerHTML = html; box._html = html; }
  return c;
}
