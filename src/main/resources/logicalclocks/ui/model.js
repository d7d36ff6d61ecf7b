// The run as the page knows it: the items serve's feed sent (log lines and VM state changes, in
// the order they happened), the messages and their fates, causality, the state of every VM at any
// play position, the rules' narration and the quiz. No DOM: unit-tested under Node (src/test/js),
// on the JSON that Feed.java writes (its contract is in Feed's javadoc).
//
// A position P means: the items numbered k < P have happened (k is the page's own numbering of the
// items it kept, 0, 1, 2, ...; an item's s is the server's).

/** The events a tick can do: the ones whose clock rule the narration and the quiz state. */
export const TICKS = new Set(['SEND', 'RECEIVE', 'INTERNAL']);

/** A message's fate at a position, as the page draws it (data-fate). */
export const FATES = ['received', 'late', 'dropped', 'queued', 'in-flight'];

/** Items between two checkpoints of the running state. */
export const CP = 1024;

function emptyState(machines) {
  const vms = [];
  for (let i = 0; i < machines; i++) vms.push(vmState());
  return { vms, c: { lines: 0, sent: 0, received: 0, dropped: 0, late: 0, queued: 0, settled: 0, errors: 0 } };
}
function vmState() {
  return { clock: null, queue: 0, drops: 0, lines: 0, state: 'connecting', why: '', restarts: 0, rate: null, last: -1 };
}
function cloneState(st) {
  return { vms: st.vms.map((v) => ({ ...v })), c: { ...st.c } };
}

/** Message ids of an item (its msg key), [] when none. */
/** "0:4,1:5,2:10" (analyze's witness) as [4, 5, 10]; null when it is not one. */
export function parseCut(text, machines) {
  const out = new Array(machines).fill(0);
  if (!text || !/^\s*\d+:\d+(\s*,\s*\d+:\d+)*\s*$/.test(text)) return null;
  for (const part of text.split(',')) {
    const [vm, n] = part.split(':').map((x) => +x.trim());
    if (vm >= machines) return null;
    out[vm] = n;
  }
  return out;
}

/** [4, 5, 10] as "0:4,1:5,2:10". */
export function cutText(cut) { return cut.map((n, vm) => vm + ':' + n).join(','); }

export function idsOf(ev) {
  return ev && ev.m ? String(ev.m).split(',') : [];
}
function listOf(v) {
  return v == null || v === '' ? [] : String(v).split(',');
}

/** A vector clock "0:3,2:1" as {0: 3, 2: 1}. */
export function parseVc(vc) {
  const v = {};
  for (const part of listOf(vc)) {
    const [k, n] = part.split(':');
    v[+k] = +n;
  }
  return v;
}
/** {0: 3, 2: 1} as "[0:3,2:1]" (ids in order, zero entries left out). */
export function vcText(v) {
  return '[' + Object.keys(v).map(Number).sort((a, b) => a - b).filter((k) => v[k]).map((k) => k + ':' + v[k]).join(',') + ']';
}

export class Run {
  /** @param cap items kept at most (the oldest leave first, CP at a time) */
  constructor(cap = Infinity) {
    this.cap = cap;
    this.items = []; // kept items; items[i].k === this.k0 + i
    this.k0 = 0;
    this.kEnd = 0;
    this.lastSeq = 0;
    this.machines = 0;
    this.mode = 'live';
    this.title = '';
    this.evsOf = []; // per VM: its kept log events (and unreadable lines), in its log's order
    this.ticksOf = []; // per VM: its SEND, RECEIVE and INTERNAL events kept; ev.ti is its 1-based place
    this.tickBase = []; // per VM: its tick events no longer kept (trimmed), before ticksOf[vm][0]
    this.msgs = new Map(); // id -> {id, from, to, send, recv, drops: [], stop}
    this.snapshots = new Map(); // snapshot id -> per VM, its events before its SNAPSHOT line (null: none yet)
    this.toVm = []; // per VM: the messages sent to it, in the order their SEND came
    this.pendingTo = []; // per VM: the messages sent to it not settled after the last item (id -> message)
    this.byLine = new Map(); // 'vm:n' -> event
    this.errors = []; // the unreadable lines kept, in order
    this.downs = []; // spans a VM was down: {vm, from (its last event before), fromK, to (the event after), kind}
    this.cps = [{ k: 0, st: emptyState(0) }];
    this.st = emptyState(0); // the state after the last item
    this.t0 = null; // the smallest wall-axis time seen (wall axis origin)
    this.hl0 = null; // the smallest hybrid l seen
    this.maxRate = 0; // the fastest rate a START declared
    this.hhLast = -Infinity;
    this.server = { verdict: '', over: false, verified: false, counters: {}, vms: [] };
    this.violations = []; // [{vm, n, rule, message, where}] as the server found them
    this.violationCount = 0;
    this.skipped = 0;
    this.version = 0;
  }

  /**
   * The cut at play position P: per VM, how many of its tick events (SEND, RECEIVE, INTERNAL) come
   * before P. Not always consistent: the feed orders lines by time, and a RECEIVE may come before
   * its SEND when clocks disagree.
   */
  cutAt(P) {
    return this.ticksOf.map((t, vm) => {
      let lo = 0, hi = t.length; // ticks are in k order: the first with k >= P
      while (lo < hi) { const mid = (lo + hi) >> 1; if (t[mid].k < P) lo = mid + 1; else hi = mid; }
      return this.tickBase[vm] + lo;
    });
  }

  /**
   * A cut (per VM, how many of its tick events are inside, as analyze --possibly's witness writes
   * it): whether it is consistent, the messages that make it not (received inside, sent outside),
   * the messages crossing it (sent inside, not received inside: in transit), and each VM's clock
   * and queue at it (after its last event inside; 0 before any). Counted from the first event the
   * page holds (a replay holds every one).
   */
  cutInfo(cut) {
    const base = this.tickBase;
    const e = this.ticksOf.map((t, i) => Math.max(base[i], Math.min(base[i] + t.length, cut[i] || 0)));
    const inside = (ev) => ev != null && ev.ti != null && ev.ti <= e[ev.vm];
    const broken = [], crossing = [];
    for (const m of this.msgs.values()) {
      const sentIn = inside(m.send), recvIn = inside(m.recv);
      if (recvIn && !sentIn) broken.push(m);
      else if (sentIn && !recvIn) crossing.push(m);
    }
    const vms = e.map((n, vm) => {
      const last = n > base[vm] ? this.ticksOf[vm][n - 1 - base[vm]] : null;
      return { vm, events: n, clock: last ? last.c : 0, queue: last ? last.q : 0, last };
    });
    return { cut: e, consistent: broken.length === 0, broken, crossing, vms };
  }

  /**
   * The snapshots whose state every VM recorded (a SNAPSHOT line on every lane), by id ascending:
   * {id, cut} with cut as cutInfo takes it.
   */
  snapshotCuts() {
    const out = [];
    for (const [id, cut] of this.snapshots) {
      let whole = cut.length === this.machines;
      for (let i = 0; i < this.machines && whole; i++) if (cut[i] == null) whole = false;
      if (whole) out.push({ id, cut: cut.slice() });
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /** The server's hello: how many VMs, the title, live or replay. */
  hello(h) {
    this.machines = h.machines;
    this.mode = h.mode || 'live';
    this.title = h.title || '';
    while (this.evsOf.length < this.machines) { this.evsOf.push([]); this.ticksOf.push([]); this.tickBase.push(0); this.toVm.push([]); this.pendingTo.push(new Map()); }
    const grow = (st) => { while (st.vms.length < this.machines) st.vms.push(vmState()); };
    grow(this.st);
    for (const cp of this.cps) grow(cp.st);
    this.version++;
  }

  /** The item numbered k, or null when it is not kept. */
  item(k) {
    return k >= this.k0 && k < this.kEnd ? this.items[k - this.k0] : null;
  }

  /** Takes the server's next items (a batch's events), in order; ones already taken are ignored. */
  addAll(items) {
    for (const it of items) this.add(it);
    this.trim();
  }

  add(it) {
    if (it.s <= this.lastSeq) return false;
    if (it.vm >= this.machines) this.hello({ machines: it.vm + 1, mode: this.mode, title: this.title });
    this.lastSeq = it.s;
    it.k = this.kEnd;
    if (it.k > 0 && it.k % CP === 0) this.cps.push({ k: it.k, st: cloneState(this.st) });
    this.kEnd++;
    this.items.push(it);
    // host time, never going back; items before the first that has one take its time
    if (it.h != null) {
      it.hh = Math.max(this.hhLast, +it.h);
      for (const early of this.noHost || []) early.hh = it.hh;
      this.noHost = null;
      this.hhLast = it.hh;
    } else if (isFinite(this.hhLast)) {
      it.hh = this.hhLast;
    } else {
      it.hh = 0;
      (this.noHost = this.noHost || []).push(it);
    }
    if (it.e === 'STATE') {
      this.stateChange(it);
    } else {
      this.logLine(it);
    }
    apply(this.st, it, this);
    this.version++;
    return true;
  }

  logLine(ev) {
    const mine = this.evsOf[ev.vm];
    const prev = mine.length ? mine[mine.length - 1] : null;
    if (ev.err != null) {
      // an unreadable line: drawn where its VM was, at its clock
      ev.e = 'ERROR';
      ev.c = prev ? prev.c : 0;
      ev.ts = prev ? prev.ts : this.t0;
      ev.w = prev ? prev.w : null;
      ev.hl = prev ? prev.hl : null;
      ev.hc = prev ? prev.hc : null;
      ev.q = prev ? prev.q : 0;
      this.errors.push(ev);
    }
    if (prev) { ev.prev = prev; prev.next = ev; }
    mine.push(ev);
    if (TICKS.has(ev.e)) { const t = this.ticksOf[ev.vm]; t.push(ev); ev.ti = this.tickBase[ev.vm] + t.length; }
    this.byLine.set(ev.vm + ':' + ev.n, ev);
    // its place on the wall axis: its time in host time (w: its VM's declared clock undone), so
    // VMs with skewed clocks are drawn side by side; its own ts when the feed has no w
    ev.wt = ev.w != null ? ev.w : ev.ts;
    if (ev.wt != null && (this.t0 == null || ev.wt < this.t0)) this.t0 = ev.wt;
    if (ev.hl != null && (this.hl0 == null || ev.hl < this.hl0)) this.hl0 = ev.hl;
    if (ev.e === 'START') {
      if (ev.rate > this.maxRate) this.maxRate = +ev.rate;
      // a restart: its VM was down since its last line (crashed, or stopped by a signal)
      const open = this.openDown(ev.vm);
      if (open) { open.to = ev; }
      else if (ev.restart && prev) {
        this.downs.push({ vm: ev.vm, from: prev, fromK: prev.k, to: ev, kind: prev.e === 'STOP' ? 'stopped' : 'crashed' });
      }
    } else if (ev.e !== 'ERROR') {
      const open = this.openDown(ev.vm);
      if (open) open.to = ev; // it came back without a START we saw
    }
    if (ev.e === 'SEND') {
      const ids = idsOf(ev);
      const to = listOf(ev.to);
      ids.forEach((id, i) => {
        const m = this.msg(id);
        m.send = ev; m.from = ev.vm; m.to = +to[i];
        this.toVm[m.to] && this.toVm[m.to].push(m);
        if (!m.recv && !m.stop && !m.drops.length && this.pendingTo[m.to]) this.pendingTo[m.to].set(id, m);
      });
    } else if (ev.e === 'RECEIVE') {
      for (const id of idsOf(ev)) {
        const m = this.msg(id);
        if (!m.recv) m.recv = ev; else (m.extra = m.extra || []).push(ev);
        m.to = ev.vm;
        this.settle(m);
        if (m.from == null && ev.from != null) m.from = +ev.from;
      }
    } else if (ev.e === 'DROP') {
      const to = listOf(ev.to);
      idsOf(ev).forEach((id, i) => {
        const m = this.msg(id);
        m.drops.push(ev);
        if (m.to == null && to.length) m.to = +to[Math.min(i, to.length - 1)];
        if (m.from == null) m.from = ev.vm;
        this.settle(m);
      });
    } else if (ev.e === 'SNAPSHOT' && ev.snap != null) {
      // the VM's state recorded for a snapshot: its cut on this lane is after its events so far
      let cut = this.snapshots.get(ev.snap);
      if (!cut) { cut = []; this.snapshots.set(ev.snap, cut); }
      cut[ev.vm] = this.tickBase[ev.vm] + this.ticksOf[ev.vm].length;
    } else if (ev.e === 'STOP') {
      for (const id of listOf(ev.queued)) {
        const m = this.msg(id);
        m.stop = ev;
        if (m.to == null) m.to = ev.vm;
        this.settle(m);
      }
    }
  }

  stateChange(it) {
    const vm = it.vm;
    const last = this.evsOf[vm] && this.evsOf[vm].length ? this.evsOf[vm][this.evsOf[vm].length - 1] : null;
    if ((it.st === 'unreachable' || it.st === 'failed') && last && last.e !== 'STOP' && !this.openDown(vm)) {
      // it was running and its log ends here: killed, or cut off
      this.downs.push({ vm, from: last, fromK: it.k, to: null, kind: it.st === 'failed' ? 'failed' : 'crashed', why: it.why });
    } else if (it.st === 'live') {
      const open = this.openDown(vm);
      if (open && open.kind === 'unreachable') open.to = null;
    }
  }

  openDown(vm) {
    for (let i = this.downs.length - 1; i >= 0; i--) {
      const d = this.downs[i];
      if (d.vm === vm) return d.to ? null : d;
    }
    return null;
  }

  settle(m) {
    if (m.to != null && this.pendingTo[m.to]) this.pendingTo[m.to].delete(m.id);
  }

  msg(id) {
    let m = this.msgs.get(id);
    if (!m) { m = { id, from: null, to: null, send: null, recv: null, drops: [], stop: null }; this.msgs.set(id, m); }
    return m;
  }

  /** Drops the oldest items beyond the cap, CP at a time (a checkpoint stays at the first kept). */
  trim() {
    if (this.items.length <= this.cap) return;
    let cut = this.items.length - Math.floor(this.cap * 0.9);
    cut = Math.ceil((this.k0 + cut) / CP) * CP - this.k0;
    if (cut <= 0 || cut >= this.items.length) return;
    const gone = this.items.splice(0, cut);
    this.k0 += cut;
    for (const ev of gone) {
      if (ev.e === 'STATE') continue;
      this.byLine.delete(ev.vm + ':' + ev.n);
      if (ev.next) ev.next.prev = null;
      for (const id of idsOf(ev).concat(listOf(ev.queued))) {
        const m = this.msgs.get(id);
        if (!m) continue;
        if (m.send === ev) m.send = null;
        if (m.recv === ev) m.recv = null;
        if (m.stop === ev) m.stop = null;
        m.drops = m.drops.filter((d) => d !== ev);
        if (!m.send && !m.recv && !m.stop && !m.drops.length) this.msgs.delete(id);
      }
    }
    for (let vm = 0; vm < this.evsOf.length; vm++) {
      const a = this.evsOf[vm];
      let i = 0;
      while (i < a.length && a[i].k < this.k0) i++;
      if (i) a.splice(0, i);
      const ticks = this.ticksOf[vm];
      let h = 0;
      while (h < ticks.length && ticks[h].k < this.k0) h++;
      if (h) { ticks.splice(0, h); this.tickBase[vm] += h; }
      const t = this.toVm[vm];
      let j = 0;
      while (j < t.length && (!t[j].send || t[j].send.k < this.k0)) j++;
      if (j) t.splice(0, j);
      for (const [id, m] of this.pendingTo[vm]) if (!m.send) this.pendingTo[vm].delete(id);
    }
    this.downs = this.downs.filter((d) => !d.to || d.to.k >= this.k0);
    this.errors = this.errors.filter((e) => e.k >= this.k0);
    this.cps = this.cps.filter((c) => c.k >= this.k0);
    this.version++;
  }

  /** The state at position P: each VM's clock, queue, state; the counters. */
  stateAt(P) {
    P = Math.max(this.k0, Math.min(P, this.kEnd));
    let st;
    if (P === this.kEnd) {
      st = this.st;
    } else {
      let lo = 0, hi = this.cps.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (this.cps[mid].k <= P) lo = mid; else hi = mid - 1; }
      const cp = this.cps[lo];
      st = cloneState(cp.st);
      for (let k = cp.k; k < P; k++) apply(st, this.item(k), this);
    }
    return this.withDowns(st, P);
  }

  /**
   * A VM inside one of its down spans at P is down, whatever its last line said (a replay has no
   * follower to say it was unreachable: only its restart's START tells it crashed).
   */
  withDowns(st, P) {
    let out = st;
    for (const d of this.downs) {
      if (!d.from || d.fromK >= P || (d.to && d.to.k < P)) continue;
      const v = out.vms[d.vm];
      if (!v || (v.state !== 'live' && v.state !== 'connecting')) continue;
      if (out === st) out = cloneState(st);
      const word = d.kind === 'stopped' ? 'stopped' : d.kind === 'failed' ? 'failed' : 'crashed';
      out.vms[d.vm].state = word;
      out.vms[d.vm].why = `its log ends at line ${d.from.n}` + (d.kind === 'stopped' ? ' (a signal): waiting for its restart' : ': killed or cut off, until its restart');
    }
    return out;
  }

  /** The violations the server found whose line is shown at P (in the order found), and how many in all. */
  violationsAt(P) {
    const shown = [];
    for (const v of this.violations) {
      const ev = v.vm != null ? this.byLine.get(v.vm + ':' + v.n) : null;
      if (ev ? ev.k < P : P >= this.kEnd) shown.push(v);
    }
    return shown;
  }

  /** The server's state (gauges, counters, verdict) as its batch said. */
  serverState(b) {
    this.server = { verdict: b.verdict || '', over: !!b.over, verified: !!b.verified, counters: b.counters || {}, vms: b.vms || [] };
    if (b.violations && b.violationsFrom != null) {
      // the violations found since the last batch, after the ones this page has
      this.violations.length = Math.min(this.violations.length, b.violationsFrom);
      for (const v of b.violations) this.violations.push(v);
    } else if (b.violations) {
      this.violations = b.violations;
    }
    this.violationCount = (b.counters && b.counters.violations) || this.violations.length;
    this.version++;
  }

  /** The log events of VM vm shown at P. */
  shownOf(vm, P) {
    const a = this.evsOf[vm] || [];
    let lo = 0, hi = a.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid].k < P) lo = mid + 1; else hi = mid; }
    return a.slice(0, lo);
  }

  /** VM vm's last log event shown at P, or null. */
  lastOf(vm, P) {
    const a = this.evsOf[vm] || [];
    let lo = 0, hi = a.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid].k < P) lo = mid + 1; else hi = mid; }
    return lo ? a[lo - 1] : null;
  }

  /** The last log line shown at P (the event a step lands on), or null. */
  lastShown(P) {
    for (let k = Math.min(P, this.kEnd) - 1; k >= this.k0; k--) {
      const it = this.item(k);
      if (it && it.e !== 'STATE') return it;
    }
    return null;
  }

  /**
   * A message's fate at P: received, late (a RECEIVE or a place in the queue at STOP after an
   * ambiguous DROP), dropped, queued (its receiver's STOP left it in the queue), in-flight (sent,
   * nothing yet), or null (not sent yet at P). Whether an in-flight message is already in its
   * receiver's queue is queuedAt's to say.
   */
  fateAt(m, P) {
    const dropped = m.drops.some((d) => d.k < P);
    if (m.recv && m.recv.k < P) return dropped ? 'late' : 'received';
    if (m.stop && m.stop.k < P) return dropped ? 'late' : 'queued';
    if (dropped) return 'dropped';
    if (m.send && m.send.k < P) return 'in-flight';
    return null;
  }

  /**
   * The messages waiting in VM vm's queue at P. Its queue is FIFO (Inbox), so after its last event
   * E shown, holding q messages, they are the messages its next q RECEIVEs take (or its STOP names
   * as queued); when the log does not go that far yet, the oldest messages sent to it and not
   * settled make up the rest.
   */
  queuedAt(vm, P) {
    const E = this.lastOf(vm, P);
    const out = [];
    if (!E || !(E.q > 0) || E.e === 'STOP') {
      if (E && E.e === 'STOP') for (const id of listOf(E.queued)) { const m = this.msgs.get(id); if (m) out.push(m); }
      return out;
    }
    const want = E.q;
    const seen = new Set();
    for (let x = E.next; x && out.length < want; x = x.next) {
      if (x.e === 'RECEIVE') {
        for (const id of idsOf(x)) { const m = this.msgs.get(id); if (m && !seen.has(id)) { seen.add(id); out.push(m); } }
      } else if (x.e === 'STOP') {
        for (const id of listOf(x.queued)) { const m = this.msgs.get(id); if (m && !seen.has(id) && out.length < want) { seen.add(id); out.push(m); } }
        break;
      }
    }
    if (out.length < want && P >= this.kEnd) {
      // at the newest item: the oldest messages sent to it before E and not settled
      for (const m of (this.pendingTo[vm] || new Map()).values()) {
        if (out.length >= want || !m.send || m.send.k >= E.k) break;
        if (!seen.has(m.id)) { seen.add(m.id); out.push(m); }
      }
    } else if (out.length < want) {
      // the oldest unsettled messages sent to it before E: looked for among the latest sent to it
      // (a message stays unsettled for a few seconds at most), oldest first
      const t = this.toVm[vm] || [];
      const found = [];
      for (let i = t.length - 1, seenN = 0; i >= 0 && seenN < 4 * want + 256; i--, seenN++) {
        const m = t[i];
        if (seen.has(m.id) || !m.send || m.send.k >= E.k) continue;
        if (this.fateAt(m, P) === 'in-flight') found.push(m);
      }
      for (let i = found.length - 1; i >= 0 && out.length < want; i--) { seen.add(found[i].id); out.push(found[i]); }
    }
    return out;
  }

  /** The kept events in ev's causal past and future (sets of k), through its VM's order and messages. */
  causal(ev) {
    const past = new Set();
    const stack = [ev];
    while (stack.length) {
      const e = stack.pop();
      const p = e.prev;
      if (p && !past.has(p.k)) { past.add(p.k); stack.push(p); }
      if (e.e === 'RECEIVE') for (const id of idsOf(e)) {
        const m = this.msgs.get(id);
        if (m && m.send && !past.has(m.send.k)) { past.add(m.send.k); stack.push(m.send); }
      }
    }
    const future = new Set();
    stack.push(ev);
    while (stack.length) {
      const e = stack.pop();
      const n = e.next;
      if (n && !future.has(n.k)) { future.add(n.k); stack.push(n); }
      if (e.e === 'SEND') for (const id of idsOf(e)) {
        const m = this.msgs.get(id);
        if (m && m.recv && !future.has(m.recv.k)) { future.add(m.recv.k); stack.push(m.recv); }
      }
    }
    return { past, future };
  }

  /** A message's latency (ms of host time between its SEND and its fate), or null. */
  latency(m) {
    const end = m.recv || m.stop || m.drops[0];
    return m.send && end ? Math.max(0, end.hh - m.send.hh) : null;
  }

  /**
   * Finds what the user typed: a message id (2-17), a line (vm1:23), a clock value (c=59 or 59),
   * or text of a line. Returns {ev} or {msg}, or null.
   */
  find(query, after = -1) {
    const q = String(query || '').trim();
    if (!q) return null;
    let x;
    // from the item after 'after' on, then from the start: Enter again finds the next
    const scan = (test) => {
      const n = this.items.length;
      const from = Math.max(0, Math.min(n, after + 1 - this.k0));
      for (let i = 0; i < n; i++) { const it = this.items[(from + i) % n]; if (it.e !== 'STATE' && test(it)) return it; }
      return null;
    };
    if ((x = /^(?:msg\s*)?(\d+-\d+)$/.exec(q))) {
      const m = this.msgs.get(x[1]);
      return m ? { msg: m } : null;
    }
    if ((x = /^vm\s*(\d+)\s*[:\s]\s*(?:line\s*)?(\d+)$/i.exec(q))) {
      const ev = this.byLine.get(+x[1] + ':' + +x[2]);
      return ev ? { ev } : null;
    }
    if ((x = /^(?:c|clock|l)?\s*=?\s*(\d+)$/i.exec(q))) {
      const c = +x[1];
      const ev = scan((it) => it.e !== 'ERROR' && it.c === c);
      return ev ? { ev } : null;
    }
    const ev = scan((it) => it.raw && it.raw.includes(q));
    return ev ? { ev } : null;
  }

  /** The last event before ev on its VM that carries key (hl or vc), or null. */
  prevWith(ev, key) {
    for (let p = ev.prev; p; p = p.prev) if (p[key] != null) return p;
    return null;
  }

  /**
   * The rules behind ev's clocks, with its numbers: {lamport, vector, hybrid} lines (null when the
   * clock is not in the log), and ok false when a number the rule gives differs from the log's.
   */
  narrate(ev, hide, hidden) {
    const vm = 'vm' + ev.vm;
    const show = (v) => (hide ? '?' : v);
    const prev = ev.prev;
    const L = prev ? prev.c : null;
    const Ls = L == null ? '?' : L;
    let lamport;
    let expected = null;
    const ids = idsOf(ev);
    switch (ev.e) {
      case 'SEND': {
        expected = L == null ? null : L + 1;
        const to = listOf(ev.to).map((t) => 'vm' + t).join(', ');
        lamport = `${vm} SEND to ${to} (msg ${ids.join(', ')}): clock ${Ls} + 1 = ${show(expected == null ? ev.c : expected)}`;
        break;
      }
      case 'INTERNAL':
        expected = L == null ? null : L + 1;
        lamport = `${vm} INTERNAL${ev.die != null ? ' (die ' + ev.die + ')' : ''}: clock ${Ls} + 1 = ${show(expected == null ? ev.c : expected)}`;
        break;
      case 'RECEIVE': {
        const sent = ev.sent != null ? +ev.sent : null;
        expected = L == null || sent == null ? null : Math.max(L, sent) + 1;
        // a quiz hides the clock its message carried when its SEND is one of the quiz's
        const m = this.msgs.get(ids[0]);
        const veil = hidden && m && m.send && hidden(m.send);
        if (veil) hide = true;
        lamport = `${vm} RECEIVE msg ${ids.join(', ')} from vm${ev.from}: clock = max(${Ls}, ${sent == null || veil ? '?' : sent}) + 1 = ${show(expected == null ? ev.c : expected)}`;
        break;
      }
      case 'START':
        lamport = ev.restart
          ? `${vm} START (restart ${ev.restart}): its clock resumes at ${show(ev.c)}, the last its log holds`
          : `${vm} START: clock ${show(ev.c)}${ev.rate != null ? ', ' + ev.rate + ' ticks/s' : ''}`;
        break;
      case 'STOP':
        expected = L;
        lamport = `${vm} STOP (${ev.reason || '?'}): clock stays ${show(L == null ? ev.c : L)}` +
          (ev.q ? `; ${ev.q} message(s) left in its queue` : '');
        break;
      case 'DROP':
        expected = L;
        lamport = `${vm} DROP msg ${ids.join(', ')} to vm${ev.to} (${ev.reason || '?'}): clock stays ${show(L == null ? ev.c : L)}` +
          (ev.amb ? '; its fate is open: it may still arrive (a late delivery)' : '');
        break;
      case 'ERROR':
        lamport = `${vm} line ${ev.n}: unreadable (${ev.err})`;
        break;
      default:
        lamport = `${vm} ${ev.e}`;
    }
    if (L == null && ev.e !== 'START' && ev.e !== 'ERROR') lamport += ' (its line before is not kept)';
    let ok = true;
    if (expected != null && expected !== ev.c) {
      ok = false;
      if (!hide) lamport += ` \u2014 but its log says ${ev.c}: a violation`;
    }
    return { lamport, vector: this.vectorRule(ev, hide), hybrid: this.hybridRule(ev, hide), ok, expected };
  }

  /**
   * The vector clock rule with its numbers: in full for small vectors, else only the entries that
   * change (the message's that rise above the VM's, then its own).
   */
  vectorRule(ev, hide) {
    if (ev.vc == null || !TICKS.has(ev.e)) return null;
    const pv = this.prevWith(ev, 'vc');
    const mine = pv ? parseVc(pv.vc) : {};
    const logged = parseVc(ev.vc);
    const merged = { ...mine };
    let theirs = null;
    if (ev.e === 'RECEIVE') {
      const m = this.msgs.get(idsOf(ev)[0]);
      if (!m || !m.send || m.send.vc == null) return `vector: max(its own, the message's: its SEND is not kept); vm${ev.vm} + 1 = ${hide ? '?' : vcText(logged)}`;
      theirs = parseVc(m.send.vc);
      for (const k in theirs) merged[k] = Math.max(merged[k] || 0, theirs[k]);
    }
    const before = { ...merged };
    merged[ev.vm] = (merged[ev.vm] || 0) + 1;
    const same = vcText(merged) === vcText(logged);
    const but = same || hide ? '' : ` \u2014 but its log says ${vcText(logged)}`;
    const size = Object.keys(merged).length;
    if (size <= 4) {
      const text = theirs ? `max(${vcText(mine)}, ${vcText(theirs)}) = ${vcText(before)}; ` : vcText(mine) + (size <= 1 && !Object.keys(mine).length ? ' (all zero); ' : '; ');
      return 'vector: ' + text + `vm${ev.vm} + 1 = ${hide ? '?' : vcText(merged)}` + but;
    }
    // many VMs: what changes
    const rise = [];
    if (theirs) for (const k of Object.keys(theirs).map(Number).sort((a, b) => a - b)) {
      if (+k !== ev.vm && (theirs[k] || 0) > (mine[k] || 0)) rise.push(`${k}: ${mine[k] || 0}\u2192${theirs[k]}`);
    }
    const own = `${ev.vm}: ${before[ev.vm] || 0}\u2192${hide ? '?' : merged[ev.vm]}`;
    return `vector (${size} entries): ` + (theirs ? `max with the message's raises ${rise.length ? rise.map((r) => 'vm' + r).join(', ') : 'no entry'}; ` : '') +
      `its own entry + 1, vm${own}` + but;
  }

  /** A hybrid l (Unix ms) as a time of day, UTC, to the ms: 00:48:10.452. */
  static tod(ms) {
    const d = new Date(+ms);
    return isNaN(d) ? String(ms) : d.toISOString().slice(11, 23);
  }

  hybridRule(ev, hide) {
    const T = Run.tod;
    if (ev.hl == null || !TICKS.has(ev.e)) return null;
    const ph = this.prevWith(ev, 'hl');
    const lp = ph ? +ph.hl : 0, cp = ph ? +ph.hc : 0;
    const pt = ev.ts;
    let l, c, text;
    if (ev.e === 'RECEIVE') {
      const m = this.msgs.get(idsOf(ev)[0]);
      if (!m || !m.send || m.send.hl == null) return `hybrid: l = max(${T(lp)}, the message's, pt ${T(pt)}) = ${hide ? '?' : T(ev.hl)}, c = ${hide ? '?' : ev.hc} (its SEND is not kept)`;
      const lm = +m.send.hl, cm = +m.send.hc;
      l = Math.max(lp, lm, pt);
      c = l === lp && l === lm ? Math.max(cp, cm) + 1 : l === lp ? cp + 1 : l === lm ? cm + 1 : 0;
      text = `hybrid: l = max(its ${T(lp)}, the message's ${T(lm)}, pt ${T(pt)}) = ${hide ? '?' : T(l)}, c = ` +
        (l === lp && l === lm ? `max(${cp}, ${cm}) + 1` : l === lp ? `${cp} + 1` : l === lm ? `${cm} + 1` : '0 (pt is ahead)') + ` = ${hide ? '?' : c}`;
    } else {
      l = Math.max(lp, pt);
      c = l === lp ? cp + 1 : 0;
      text = `hybrid: l = max(its ${T(lp)}, pt ${T(pt)}) = ${hide ? '?' : T(l)}, c = ` + (l === lp ? `${cp} + 1` : '0 (pt is ahead)') + ` = ${hide ? '?' : c}`;
    }
    if (!hide && (l !== +ev.hl || c !== +ev.hc)) text += ` \u2014 but its log says ${T(ev.hl)}:${ev.hc} (${ev.hl}:${ev.hc})`;
    return text;
  }

  /** The VM a quiz asks about when the user names none: the slowest (its clock jumps most), lowest id first. */
  quizVm() {
    let best = 0, rate = Infinity;
    for (let vm = 0; vm < this.machines; vm++) {
      const st = this.evsOf[vm] && this.evsOf[vm].find((e) => e.e === 'START');
      const r = st && st.rate != null ? +st.rate : Infinity;
      if (r < rate) { rate = r; best = vm; }
    }
    return best;
  }

  /**
   * A quiz: VM vm's next n tick events (SEND, RECEIVE, INTERNAL) from position P on, whose clocks
   * the page hides until graded. Only the run decides it, so the same logs give the same quiz.
   */
  quiz(vm, n, P) {
    const out = [];
    for (const ev of this.evsOf[vm] || []) {
      if (ev.k < P || !TICKS.has(ev.e)) continue;
      out.push(ev);
      if (out.length >= n) break;
    }
    return { vm, from: P, events: out };
  }

  /** Grades answers (one per quiz event): each right when it equals the log's clock, with the rule. */
  grade(quiz, answers) {
    return quiz.events.map((ev, i) => {
      const raw = answers[i] == null ? '' : String(answers[i]).trim();
      const given = raw === '' ? null : Number(raw);
      return { ev, given, expected: ev.c, ok: given != null && given === ev.c, rule: this.narrate(ev).lamport };
    });
  }
}

/**
 * Applies item it to state st (the page's counting of the run so far: the same fates as the
 * server's ledger, a message counted once in each of sent, received, dropped, late, queued).
 */
export function apply(st, it, run) {
  if (!it) return;
  const v = st.vms[it.vm] || (st.vms[it.vm] = vmState());
  if (it.e === 'STATE') { v.state = it.st; v.why = it.why || ''; return; }
  v.lines++;
  st.c.lines++;
  v.last = it.k;
  if (it.e === 'ERROR') { st.c.errors++; return; }
  v.clock = it.c;
  v.queue = it.q;
  const earlier = (m, k) => m.drops.some((d) => d.k < k);
  switch (it.e) {
    case 'START':
      v.state = 'live'; v.why = '';
      if (it.restart) v.restarts = it.restart;
      if (it.rate != null) v.rate = it.rate;
      break;
    case 'STOP':
      v.state = it.st || 'finished'; v.why = it.reason ? 'reason=' + it.reason : '';
      for (const id of listOf(it.queued)) {
        const m = run.msgs.get(id);
        st.c.queued++;
        if (m && earlier(m, it.k)) { st.c.dropped--; st.c.late++; } else st.c.settled++;
      }
      break;
    case 'SEND':
      st.c.sent += idsOf(it).length;
      if (v.state !== 'live') v.state = 'live';
      break;
    case 'RECEIVE':
      for (const id of idsOf(it)) {
        const m = run.msgs.get(id);
        st.c.received++;
        if (m && m.recv !== it) continue; // a second RECEIVE of one message: the verifier's to name
        if (m && earlier(m, it.k)) { st.c.dropped--; st.c.late++; } else st.c.settled++;
      }
      if (v.state !== 'live') v.state = 'live';
      break;
    case 'DROP':
      v.drops++;
      for (const id of idsOf(it)) {
        const m = run.msgs.get(id);
        const had = m && ((m.recv && m.recv.k < it.k) || (m.stop && m.stop.k < it.k));
        if (had) st.c.late++;
        else if (m && earlier(m, it.k)) st.c.dropped++; // a second DROP
        else { st.c.dropped++; st.c.settled++; }
      }
      break;
    default:
      if (v.state !== 'live' && it.e === 'INTERNAL') v.state = 'live';
  }
}

/** The counters the page shows at a position, from a state: pending is sent and not settled. */
export function counters(st) {
  const c = st.c;
  return {
    lines: c.lines, sent: c.sent, received: c.received, dropped: c.dropped, late: c.late,
    queued: c.queued, pending: Math.max(0, c.sent - c.settled), errors: c.errors,
  };
}
