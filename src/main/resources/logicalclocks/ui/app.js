// The live page's presenter: wires the model (model.js), the play position (playback.js), the
// drawing (view.js) and the wire (wire.js) to the page's controls. window.lc exposes them for
// tests and users' scripts.
import { Run, counters, TICKS, parseCut, cutText } from './model.js';
import { Playback, SPEEDS } from './playback.js';
import { View, Timeline, renderGauges, renderCounters, shortWhy } from './view.js';
import { connect } from './wire.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const CAP = Math.max(1000, +params.get('buffer') || 2000000); // items kept for rewind and scrub

const run = new Run(CAP);
const pb = new Playback(run);
const view = new View($('diagram'), run, pb);
let dirty = true;
let panelsAt = 0;
let lastExport = null;
let narrated = null;

const timeline = new Timeline($('scrub'), run, (k) => { pb.seek(k); if (!pb.paused) pb.pause(); view.follow = !view.sel; dirty = true; });

// ---- the wire
connect('events', {
  hello(h) {
    $('conn').textContent = h.mode === 'replay' ? 'replay' : 'live';
    $('title').textContent = 'logical-clocks: ' + h.title;
    document.title = 'logical-clocks: ' + h.title;
    if (run.machines && run.machines !== h.machines) location.reload();
    const fresh = run.kEnd === 0;
    run.hello(h);
    run.expected = h.seq;
    if (fresh) {
      pb.start(h.mode, h.speed != null ? +h.speed : 1);
      setSpeedBox(pb.speed);
      fillQuizVms();
    }
    view.invalidate();
    dirty = true;
  },
  batch(b) {
    if (b.skipped) run.skipped += b.skipped;
    run.addAll(b.events);
    run.serverState(b);
    pb.appended();
  },
  refused(why) {
    const r = $('refused');
    r.hidden = false;
    r.textContent = 'The server refused this page: ' + why;
    $('conn').textContent = 'refused';
    $('conn').dataset.status = 'refused';
  },
  status(s) {
    if ($('conn').dataset.status === 'refused') return;
    $('conn').dataset.status = s || '';
    $('conn').textContent = s || run.mode;
  },
});

function setSpeedBox(x) {
  const box = $('speed');
  if (![...box.options].some((o) => +o.value === x)) {
    const o = document.createElement('option');
    o.value = x; o.textContent = x + '\u00d7';
    box.appendChild(o);
  }
  box.value = String(x);
}

// ---- panels at the play position
function panels(force) {
  const now = performance.now();
  if (!force && now - panelsAt < (pb.live && !pb.paused ? 250 : 120)) return;
  panelsAt = now;
  const P = pb.pos;
  const st = run.stateAt(P);
  const quizVm = view.quiz && !view.quiz.revealed ? view.quiz.vm : null;
  renderGauges($('gauges'), run, st, view.hidden, quizVm);
  const c = renderCounters($('counters'), st, run, P);
  $('position').textContent = pb.describe(st);
  verdict(st, c, P);
  problems(P);
  const m = view.sel && view.sel.msg;
  const current = view.sel && view.sel.ev ? view.sel.ev : m ? (m.recv && m.recv.k < P ? m.recv : m.send) : run.lastShown(P);
  if (current !== narrated || force) { narrated = current; narrate(current); }
  cutPanel();
  if (view.sel) detail();
  else if ($('detail').dataset.intro !== '1') { $('detail').textContent = INTRO; $('detail').dataset.intro = '1'; }
  const over = run.server.over && pb.atEnd();
  $('play').innerHTML = pb.paused || over ? '&#9654;' : '&#10074;&#10074;';
  $('play').title = (pb.paused || over ? 'play' : 'pause') + ' (space)';
  $('live').classList.toggle('on', pb.live && !pb.paused && !run.server.over);
  const badge = $('conn');
  if (badge.dataset.status !== 'refused') {
    const word = badge.dataset.status || (run.mode === 'replay' ? 'replay' : run.server.over ? 'live run, over' : 'live');
    if (badge.textContent !== word) badge.textContent = word;
  }
}

function verdict(st, c, P) {
  const v = $('verdict');
  const s = run.server;
  const unreadable = (s.counters && s.counters.unreadable) || 0;
  const all = run.violationCount;
  if (pb.atEnd()) {
    const bad = all || unreadable;
    v.textContent = !s.verdict ? 'no events yet'
      : s.over ? (bad ? 'not verified: ' + [all ? all + ' violation(s)' : '', unreadable ? unreadable + ' unreadable line(s)' : ''].filter(Boolean).join(', ') : 'verified \u2713')
        : bad ? `so far: ${[all ? all + ' violation(s)' : '', unreadable ? unreadable + ' unreadable line(s)' : ''].filter(Boolean).join(', ')}` : 'so far: no violation';
    v.title = s.verdict;
    v.className = 'verdict ' + (bad ? 'bad' : s.over && s.verified ? 'ok' : '');
  } else {
    const n = c.violations;
    v.textContent = n ? `so far: ${n}${c.violationsMore ? '+' : ''} violation(s)` : c.errors ? `so far: ${c.errors} unreadable line(s)` : 'so far: no violation';
    v.title = 'the verdict over the lines up to the play position' + (n ? ', the first ' + run.violationsAt(P)[0].where : '') + '; End: the newest';
    v.className = 'verdict ' + (n || c.errors ? 'bad' : '');
  }
}

function problems(P) {
  const lines = [];
  for (const it of run.errors) {
    if (it.k >= P || lines.length >= 20) break;
    lines.push(`vm${it.vm} line ${it.n}: unreadable (${it.err}): ${it.raw}`);
  }
  for (const v of run.violationsAt(P).slice(0, 20)) lines.push(`${v.where}: [${v.rule}] ${v.message}`);
  const html = lines.map((l) => `<div>${esc(l)}</div>`).join('');
  const p = $('problems');
  if (p._html !== html) { p.innerHTML = html; p._html = html; }
}

function hiddenFor(ev) {
  return view.hides(ev);
}

function narrate(ev) {
  const box = $('narration');
  if (!ev) { box.textContent = 'Step (\u2192) or click an event: its clock rule is written here with its numbers.'; return; }
  if (hiddenFor(ev)) {
    box.textContent = `vm${ev.vm} ${ev.e}${ev.e === 'RECEIVE' ? ' msg ' + ev.m + ' from vm' + ev.from : ''}: clock = ? (quiz)`;
    box.dataset.k = ev.k;
    return;
  }
  const n = run.narrate(ev, false, (e) => view.hides(e));
  box.textContent = [n.lamport, n.vector, n.hybrid].filter(Boolean).join('\n');
  box.dataset.k = ev.k;
  box.dataset.vm = ev.vm; box.dataset.line = ev.n;
}

const INTRO = 'Click an event: its causal past and future are highlighted, concurrent events greyed. Click an arrow: the message, its fate and its latency.';
function detail() {
  const d = $('detail');
  d.dataset.intro = '';
  const sel = view.sel;
  if (!sel) return;
  if (sel.ev) {
    const ev = sel.ev;
    const hide = hiddenFor(ev);
    const cnt = view.counts || { past: 0, future: 0, concurrent: 0 };
    const vc = ev.vc ? String(ev.vc).split(',') : null;
    const lecture = document.body.classList.contains('lecture');
    const m = ev.e === 'RECEIVE' && run.msgs.get(String(ev.m).split(',')[0]);
    const veiled = hide || (m && m.send && view.hides(m.send)); // its line says what the quiz hides
    d.textContent =
      `vm${ev.vm} line ${ev.n}: ${ev.e} \u00b7 Lamport clock ${hide ? '?' : ev.c}\n` +
      `vector ${!vc ? '(none in this log)' : hide ? '?' : vc.length <= 8 || !lecture ? '[' + ev.vc + '] (vm:count, zeros left out)' : vc.length + ' entries (hover the dot)'}\n` +
      `hybrid ${ev.hl != null ? (hide ? '?' : Run.tod(ev.hl) + ' UTC, c ' + ev.hc) : '(none in this log)'}\n` +
      `its own wall clock ${ev.ts != null ? Run.tod(ev.ts) + ' UTC' : '?'}\n` +
      (ev.clocks ? `other clocks ${Object.entries(ev.clocks).map(([k, v]) => k + ' ' + (hide ? '?' : v)).join(', ')}\n` : '') +
      `${cnt.past} in its causal past, ${cnt.future} in its future, ${cnt.concurrent} concurrent (drawn)` +
      (veiled ? '\n(its line is hidden until the quiz is graded)' : lecture ? '' : '\n' + (ev.raw || ''));
  } else {
    const m = sel.msg;
    const fate = run.fateAt(m, pb.pos) || 'not sent yet at the play position';
    const q = fate === 'in-flight' && run.queuedAt(m.to, pb.pos).includes(m);
    const lat = run.latency(m);
    const words = {
      received: m.recv ? `received by vm${m.recv.vm} (its line ${m.recv.n}, clock ${m.recv.c})` : 'received',
      late: `a late delivery: DROPped (${m.drops[0] && m.drops[0].reason}) by its sender, which could not know its fate, then ${m.recv ? 'received (vm' + m.recv.vm + ' line ' + m.recv.n + ')' : 'found in the queue at STOP'}`,
      dropped: `dropped: ${m.drops[0] && m.drops[0].reason} (vm${m.from} line ${m.drops[0] && m.drops[0].n})`,
      queued: `left in vm${m.to}'s queue at its STOP`,
      'in-flight': q ? `waiting in vm${m.to}'s queue` : 'in flight (sent, not in its receiver\'s queue yet)',
    };
    const veiled = m.send && view.hides(m.send);
    d.textContent =
      `message ${m.id}: vm${m.from} \u2192 vm${m.to}\n` +
      (m.send ? `SEND: vm${m.send.vm} line ${m.send.n}, clock ${veiled ? '?' : m.send.c}\n` : 'its SEND is not kept\n') +
      `fate at the play position: ${veiled ? (words[fate] || fate).replace(/clock \d+/, 'clock ?') : words[fate] || fate}\n` +
      (lat != null ? `latency: ${lat} ms of host time from SEND to its fate\n` : '') +
      (m.send && !veiled ? m.send.raw : '');
  }
}

function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c])); }

// ---- selection, hover, search
function selectEv(ev) {
  view.select(ev ? { ev } : null);
  if (ev) { view.reveal(view.x(ev)); }
  dirty = true;
  panels(true);
}
function selectMsg(m) {
  view.select(m ? { msg: m } : null);
  if (m && m.send) view.reveal(view.x(m.send));
  dirty = true;
  panels(true);
}

// ---- a cut across the lanes: from the URL (#cut=0:4,1:5,2:10, as analyze --possibly prints its
// witness), the play position (the cut button, c), or moved on a lane by shift-clicking an event
let pendingCut = (location.hash.match(/cut=([0-9:,]+)/) || [])[1] || null;
let revealCut = false;
let snapsShown = 0;
let revealNow = false; // a snapshot chosen: bring its cut into view now, not once the run is loaded
function snapshotChoice() {
  const sel = $('snapsel');
  const cuts = run.snapshotCuts();
  if (cuts.length === snapsShown) return;
  snapsShown = cuts.length;
  const keep = sel.value;
  sel.replaceChildren(new Option('snapshots (' + cuts.length + ')', ''));
  for (const c of cuts) sel.add(new Option('snapshot ' + c.id, String(c.id)));
  sel.value = keep;
  sel.hidden = cuts.length === 0;
  $('legsnap').hidden = cuts.length === 0;
}
$('snapsel').addEventListener('change', () => {
  const id = +$('snapsel').value;
  const c = run.snapshotCuts().find((s) => s.id === id);
  view.cut = c ? c.cut : null;
  revealCut = revealNow = !!c;
  dirty = true;
  panels(true);
});
// ---- a predicate over the global state, asked of the replayed run (the server answers with
// analyze's own code: possibly with a witness, definitely, and its value at the cut shown)
$('predbox').addEventListener('submit', async (e) => {
  e.preventDefault();
  const expr = $('pred').value.trim();
  const out = $('predout');
  if (!expr) return;
  if (expr.length > 2000) { out.textContent = 'a predicate of at most 2000 characters, got ' + expr.length; out.dataset.possibly = 'error'; return; }
  out.textContent = 'asking…';
  const q = new URLSearchParams({ expr });
  if (view.cut) q.set('cut', cutText(view.cut));
  let a;
  try {
    const r = await fetch('api/predicate?' + q);
    if (!(r.headers.get('content-type') || '').includes('json')) throw new Error('the server answered HTTP ' + r.status);
    a = await r.json();
  } catch (err) {
    out.textContent = 'no answer: ' + err.message;
    return;
  }
  out.dataset.possibly = String(a.possibly);
  if (a.error) { out.textContent = a.error; out.dataset.possibly = 'error'; return; }
  const word = (v) => (v === true ? 'yes' : v === false ? 'no' : 'unknown (the walk stopped at its bound)');
  let text = 'possibly: ' + word(a.possibly);
  if (a.witness) {
    text += ', witness ' + a.witness + ' (drawn)';
    const c = parseCut(a.witness, run.machines);
    if (c) { view.cut = c; revealCut = revealNow = true; }
  }
  text += ' · definitely: ' + word(a.definitely);
  if (a.consistent === true && !a.witness) text += ' · at the cut shown: ' + (a.at ? 'true' : 'false');
  out.textContent = text;
  dirty = true;
  panels(true);
});
$('pred').addEventListener('keydown', (e) => {
  if (e.key === 'Escape') $('pred').blur();
  e.stopPropagation(); // typed, not the page's keys
});
// ---- fork here: the server replays this run up to the selected event, changes it there,
// simulates on and compares the two runs (replay --fork, then diff); its page opens in a new tab
$('forkbox').addEventListener('submit', async (e) => {
  e.preventDefault();
  const ev = view.sel && view.sel.ev;
  const out = $('forkout');
  if (!ev) return;
  out.textContent = 'forking…';
  out.dataset.state = 'busy';
  const q = new URLSearchParams({ vm: ev.vm, line: ev.n, change: $('forkchange').value });
  let a;
  try {
    const r = await fetch('api/fork?' + q, { method: 'POST' });
    if (!(r.headers.get('content-type') || '').includes('json')) throw new Error('the server answered HTTP ' + r.status);
    a = await r.json();
  } catch (err) {
    out.textContent = 'no fork: ' + err.message;
    out.dataset.state = 'error';
    return;
  }
  if (a.error) { out.textContent = a.error; out.dataset.state = 'error'; return; }
  const lines = a.diff.split('\n').filter((l) => /^vm\d+: |^happens-before/.test(l));
  out.innerHTML = esc('fork ' + a.fork + ' (' + a.spec + '):\n' + lines.join('\n')) +
    '\n<a id="forklink" href="' + esc(a.page) + '" target="_blank" rel="noopener">the two runs, one above the other</a>';
  out.dataset.state = 'done';
});
function forkPanel() {
  const ev = view.sel && view.sel.ev;
  const show = run.mode === 'replay' && !!ev && ['SEND', 'RECEIVE', 'INTERNAL'].includes(ev.e);
  if ($('forkbox').hidden === show) $('forkbox').hidden = !show;
  if (show) {
    const key = ev.vm + ':' + ev.n;
    if ($('forkbox').dataset.at !== key) { $('forkbox').dataset.at = key; $('forkout').textContent = ''; delete $('forkout').dataset.state; }
  }
}
function cutPanel() {
  forkPanel();
  snapshotChoice();
  $('predbox').hidden = !view.cut || run.mode !== 'replay';
  const box = $('cut');
  if (pendingCut && run.machines > 0) {
    const c = parseCut(pendingCut, run.machines);
    if (c) { view.cut = c; pendingCut = null; revealCut = true; dirty = true; }
  }
  if (revealCut && view.cut && (run.server.over || revealNow)) {
    // bring the cut into the window once the run is loaded: its lanes' events, on average
    const xs = [];
    view.cut.forEach((n, vm) => {
      const t = run.ticksOf[vm] || [], i = n - (run.tickBase[vm] || 0);
      const ev = t[Math.min(t.length - 1, Math.max(0, i - 1))];
      if (ev) xs.push(view.x(ev));
    });
    if (xs.length) { view.reveal(xs.reduce((a, b) => a + b, 0) / xs.length); revealCut = revealNow = false; dirty = true; }
  }
  if (!view.cut) { if (!box.hidden) box.hidden = true; return; }
  const info = run.cutInfo(view.cut);
  const line = (ev) => (ev ? 'VM ' + ev.vm + ' line ' + ev.n : 'a line not held');
  const snap = run.snapshotCuts().find((s) => cutText(s.cut) === cutText(info.cut));
  let text = (snap ? 'Snapshot ' + snap.id + ': the cut its VMs recorded, ' : 'Cut ') + cutText(info.cut) + ' (each VM: its SEND, RECEIVE and INTERNAL events inside). ';
  if (info.consistent) {
    text += 'Consistent: no message is received inside it and sent outside. ';
  } else {
    text += 'NOT consistent: ' + info.broken.slice(0, 3).map((m) => 'message ' + m.id + ' is received inside (' + line(m.recv) + ') but sent outside (' + line(m.send) + ')').join('; ') + (info.broken.length > 3 ? '; and ' + (info.broken.length - 3) + ' more' : '') + '. ';
  }
  text += 'Crossing it (sent inside, not received inside): ' + info.crossing.length + (info.crossing.length ? ' (' + info.crossing.slice(0, 8).map((m) => m.id).join(', ') + (info.crossing.length > 8 ? ', ...' : '') + ')' : '') + '. ';
  text += 'At the cut: ' + info.vms.map((v) => 'VM ' + v.vm + ' clock ' + v.clock + ', queue ' + v.queue).join('; ') + '. Shift-click an event to move the cut on its lane to just after it; c: the cut at the play position, or none.';
  if (box.textContent !== text) box.textContent = text;
  box.dataset.consistent = String(info.consistent);
  box.dataset.cut = cutText(info.cut);
  box.hidden = false;
}
function cutHere() {
  view.cut = view.cut ? null : run.cutAt(pb.pos);
  dirty = true;
}

const svg = $('diagram');
svg.addEventListener('click', (e) => {
  if (dragged) return;
  const t = e.target.closest('.ev, .msg');
  if (!t) return;
  if (e.shiftKey && t.classList.contains('ev')) {
    const ev = run.item(+t.dataset.k);
    if (ev && ev.ti != null) {
      if (!view.cut) view.cut = run.cutAt(pb.pos);
      view.cut[ev.vm] = ev.ti;
      dirty = true;
      panels(true);
      return;
    }
  }
  if (t.classList.contains('msg')) selectMsg(run.msgs.get(t.dataset.msg));
  else selectEv(run.item(+t.dataset.k));
});
$('labels').addEventListener('click', (e) => {
  const t = e.target.closest('[data-vm]');
  if (t) toggleVm(+t.dataset.vm);
});
$('gauges').addEventListener('click', (e) => {
  const t = e.target.closest('[data-gauge]');
  if (t) toggleVm(+t.dataset.gauge);
});
function toggleVm(vm) {
  if (view.hidden.has(vm)) view.hidden.delete(vm); else view.hidden.add(vm);
  if (view.hidden.size >= run.machines) view.hidden.delete(vm); // one VM stays
  dirty = true;
  panels(true);
}

const hover = $('hover');
svg.addEventListener('pointermove', (e) => {
  const t = e.target.closest('.ev, .msg');
  if (!t || dragging) { hover.hidden = true; return; }
  let text;
  if (t.classList.contains('msg')) {
    const m = run.msgs.get(t.dataset.msg);
    if (!m) { hover.hidden = true; return; }
    const lat = run.latency(m);
    text = `message ${m.id}: vm${m.from} \u2192 vm${m.to}\n${t.dataset.fate}${lat != null ? ', ' + lat + ' ms from SEND to its fate' : ''}\n(click: select it)`;
  } else {
    const ev = run.item(+t.dataset.k);
    if (!ev) { hover.hidden = true; return; }
    const hide = hiddenFor(ev);
    const n = +t.dataset.count > 1 ? `${t.dataset.count} INTERNAL events, the last at clock ${t.dataset.clock}\n` : '';
    const rm = ev.e === 'RECEIVE' && run.msgs.get(String(ev.m).split(',')[0]);
    const veiled = hide || (rm && rm.send && view.hides(rm.send));
    text = n + `vm${ev.vm} line ${ev.n}: ${ev.e} \u00b7 Lamport ${hide ? '?' : ev.c}` +
      (ev.vc ? ` \u00b7 vector [${hide ? '?' : ev.vc}]` : '') + (ev.hl != null ? ` \u00b7 hybrid ${hide ? '?' : Run.tod(ev.hl) + ', c ' + ev.hc}` : '') +
      '\n' + run.narrate(ev, hide, (e) => view.hides(e)).lamport + (veiled ? '' : '\n' + (ev.raw || ''));
  }
  hover.textContent = text;
  hover.hidden = false;
  const w = hover.offsetWidth, h = hover.offsetHeight;
  hover.style.left = Math.max(4, Math.min(innerWidth - w - 4, e.clientX + 14)) + 'px';
  hover.style.top = Math.max(4, Math.min(innerHeight - h - 4, e.clientY + 14)) + 'px';
});
svg.addEventListener('pointerleave', () => { hover.hidden = true; });

// drag to pan, wheel to zoom
let dragging = null, dragged = false;
svg.addEventListener('pointerdown', (e) => {
  if (e.button !== 0) return;
  dragging = { x: e.clientX, moved: 0 };
  dragged = false;
});
window.addEventListener('pointermove', (e) => {
  if (!dragging) return;
  const dx = e.clientX - dragging.x;
  dragging.x = e.clientX;
  dragging.moved += Math.abs(dx);
  if (dragging.moved > 4) { dragged = true; view.pan(dx); dirty = true; }
});
window.addEventListener('pointerup', () => { dragging = null; setTimeout(() => { dragged = false; }, 0); });
svg.addEventListener('wheel', (e) => {
  e.preventDefault();
  const r = svg.getBoundingClientRect();
  view.zoomBy(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left);
  dirty = true;
}, { passive: false });

let lastFind = null;
function find() {
  const q = $('search').value;
  const at = view.sel ? (view.sel.ev ? view.sel.ev.k : view.sel.msg.send ? view.sel.msg.send.k : -1) : -1;
  const res = run.find(q, lastFind === q ? at : -1);
  lastFind = q;
  $('search').classList.toggle('notfound', !res);
  $('search').title = res ? 'found' : `nothing kept matches '${q}'`;
  if (!res) return;
  const ev = res.ev || (res.msg && res.msg.send);
  if (ev && ev.k >= pb.pos) pb.seek(ev.k + 1);
  if (!pb.paused) pb.pause();
  if (res.ev) selectEv(res.ev); else selectMsg(res.msg);
}
$('search').addEventListener('keydown', (e) => {
  if (e.key === 'Enter') { e.preventDefault(); find(); }
  if (e.key === 'Escape') $('search').blur();
  e.stopPropagation();
});

// ---- quiz: predict the next clocks of a VM, then reveal and grade
function fillQuizVms() {
  const s = $('quizvm');
  s.innerHTML = '';
  for (let i = 0; i < run.machines; i++) {
    const o = document.createElement('option');
    o.value = i; o.textContent = 'vm' + i;
    s.appendChild(o);
  }
}
function quizOpen() {
  const q = $('quiz');
  q.hidden = !q.hidden;
  $('quizbtn').classList.toggle('on', !q.hidden);
  if (!q.hidden && !view.quiz) $('quizvm').value = String(run.quizVm());
  if (q.hidden) quizEnd();
}
function quizStart() {
  pb.pause();
  const vm = +$('quizvm').value;
  const n = Math.max(1, Math.min(10, +$('quizn').value || 3));
  const q = run.quiz(vm, n, pb.pos);
  const items = $('quizitems');
  items.innerHTML = '';
  $('quizscore').textContent = '';
  if (!q.events.length) {
    $('quizscore').textContent = `vm${vm} has no event after the play position yet: play on, or rewind`;
    return;
  }
  view.quiz = { vm, events: new Set(q.events.map((e) => e.k)), revealed: false, q, firstK: q.events[0].k };
  view.geomKey = ''; // redraw the labels
  pb.seek(q.events[q.events.length - 1].k + 1);
  pb.pause();
  q.events.forEach((ev, i) => {
    const li = document.createElement('li');
    li.dataset.k = ev.k;
    const what = ev.e === 'RECEIVE' ? `RECEIVE msg ${ev.m} from vm${ev.from}` : ev.e === 'SEND' ? `SEND to vm${String(ev.to).split(',').join(', vm')}` : 'INTERNAL';
    li.innerHTML = `vm${ev.vm} ${what} (line ${ev.n}): clock <input type="text" inputmode="numeric" data-i="${i}" aria-label="predicted clock ${i + 1}">`;
    items.appendChild(li);
  });
  if (q.events.length < n) $('quizscore').textContent = `only ${q.events.length} event(s) of vm${vm} are there yet`;
  $('quizcheck').hidden = false;
  const first = items.querySelector('input');
  if (first) first.focus();
  dirty = true;
  panels(true);
}
function quizCheck() {
  if (!view.quiz) return;
  const answers = [...$('quizitems').querySelectorAll('input')].map((i) => i.value);
  const graded = run.grade(view.quiz.q, answers);
  let right = 0;
  graded.forEach((g, i) => {
    const li = $('quizitems').children[i];
    li.className = g.ok ? 'ok' : 'wrong';
    li.dataset.ok = g.ok;
    if (g.ok) right++;
    const mark = g.ok ? `\u2713 ${g.expected}` : `\u2717 ${g.given == null ? 'no answer' : 'you said ' + g.given}; it is ${g.expected}`;
    li.innerHTML = `${esc(li.textContent.replace(/clock\s*$/, 'clock'))} <b>${esc(mark)}</b><span class="rule">${esc(g.rule)}</span>`;
  });
  $('quizscore').textContent = `${right} of ${graded.length} right`;
  $('quizscore').dataset.right = right;
  view.quiz.revealed = true;
  view.geomKey = '';
  $('quizcheck').hidden = true;
  dirty = true;
  panels(true);
}
function quizEnd() {
  view.quiz = null;
  view.geomKey = '';
  $('quizitems').innerHTML = '';
  $('quizcheck').hidden = true;
  $('quizscore').textContent = '';
  dirty = true;
}
$('quizbtn').onclick = quizOpen;
$('quizstart').onclick = quizStart;
$('quizcheck').onclick = quizCheck;
$('quizitems').addEventListener('keydown', (e) => {
  e.stopPropagation();
  if (e.key === 'Enter') {
    const next = $('quizitems').querySelector(`input[data-i="${+e.target.dataset.i + 1}"]`);
    if (next) next.focus(); else quizCheck();
  }
});

// ---- export exactly what is on screen
function download(name, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
function saveSvg() {
  const text = view.exportSvg();
  lastExport = { kind: 'svg', size: text.length, text };
  download('logical-clocks.svg', new Blob([text], { type: 'image/svg+xml' }));
}
function savePng() {
  const text = view.exportSvg();
  const img = new Image();
  img.onload = () => {
    const c = document.createElement('canvas');
    c.width = svg.clientWidth * 2; c.height = svg.clientHeight * 2;
    const ctx = c.getContext('2d');
    ctx.scale(2, 2); ctx.drawImage(img, 0, 0);
    const url = c.toDataURL('image/png');
    c.toBlob((b) => { lastExport = { kind: 'png', size: b.size, url, width: c.width, height: c.height }; download('logical-clocks.png', b); }, 'image/png');
  };
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
}

// ---- controls: none keeps the keyboard
function act(id, f) {
  $(id).addEventListener('click', (e) => { f(e); e.currentTarget.blur(); dirty = true; panels(true); });
}
function toggle() {
  const was = pb.paused;
  pb.toggle();
  if (was && !pb.paused) window.lc.playAt = performance.now(); // when play was pressed
  if (!was && pb.paused) window.lc.pausedAt = performance.now();
}
act('play', toggle);
act('back', () => pb.step(-1));
act('fwd', () => pb.step(1));
act('rewind', () => { pb.rewind(); view.follow = true; });
act('live', () => { pb.goLive(); view.select(null); view.follow = true; });
act('zoomin', () => view.zoomBy(1.5));
act('zoomout', () => view.zoomBy(1 / 1.5));
act('fit', () => view.fit(pb.pos));
act('lecture', () => { document.body.classList.toggle('lecture'); $('lecture').classList.toggle('on'); view.invalidate(); view.autoZoom = true; });
act('theme', () => { const d = document.body.classList.toggle('dark'); document.body.classList.toggle('light', !d); $('theme').textContent = d ? 'light' : 'dark'; });
act('svg', saveSvg);
act('png', savePng);
act('cutbtn', cutHere);
$('speed').addEventListener('change', (e) => { pb.setSpeed(+e.target.value); e.target.blur(); dirty = true; });
$('axis').addEventListener('change', (e) => { view.setAxis(e.target.value); e.target.blur(); dirty = true; });
function setAxis(a) { $('axis').value = a; view.setAxis(a); dirty = true; }

document.addEventListener('keydown', (e) => {
  const t = e.target;
  if (t && (t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && t.type !== 'button'))) return;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const k = e.key;
  if (k === ' ') toggle();
  else if (k === 'ArrowRight') pb.step(1);
  else if (k === 'ArrowLeft') pb.step(-1);
  else if (k === '+' || k === '=') view.zoomBy(1.5);
  else if (k === '-' || k === '_') view.zoomBy(1 / 1.5);
  else if (k === 'Home') { pb.rewind(); view.follow = true; }
  else if (k === 'End') { pb.goLive(); view.select(null); view.follow = true; }
  else if (k === 'a') setAxis({ wall: 'lamport', lamport: 'hybrid', hybrid: 'wall' }[view.axis]);
  else if (k === 'f') view.fit(pb.pos);
  else if (k === 'l') $('lecture').click();
  else if (k === 't') $('theme').click();
  else if (k === 'q') quizOpen();
  else if (k === 'c') cutHere();
  else if (k === '/') { $('search').focus(); }
  else if (k === 'Escape') { view.select(null); }
  else return;
  if (t && t.blur && t !== document.body) t.blur();
  e.preventDefault();
  dirty = true;
  panels(true);
});
window.addEventListener('resize', () => { view.invalidate(); dirty = true; });

// ---- the frame loop
let lastFrame = performance.now();
let drawnPos = -1, drawnVersion = -1, timelineAt = 0, renderedAt = 0, renderCost = 0;
function frame(now) {
  const dt = Math.min(1000, now - lastFrame);
  lastFrame = now;
  view.frames.push(dt);
  if (view.frames.length > 5000) view.frames.shift();
  const wasLive = pb.live;
  if (pb.advance(dt)) dirty = true;
  if (pb.live && !wasLive) window.lc.liveAt = now; // when playing caught up with the run
  if (pb.live && !pb.paused && pb.pos !== run.kEnd) { pb.pos = run.kEnd; dirty = true; }
  // following a live run, a redraw waits at least three times as long as the last one took (at
  // hundreds of VMs the page draws fewer times a second rather than stutter)
  const following = pb.live && !pb.paused && !dirty;
  const wait = Math.max(3 * renderCost, view.lm && view.lm.lanes > 16 ? 200 : 0);
  if ((dirty || pb.pos !== drawnPos || run.version !== drawnVersion) && (!following || now - renderedAt >= wait)) {
    dirty = false;
    renderedAt = now;
    drawnPos = pb.pos; drawnVersion = run.version;
    const pr = view.prof || (view.prof = {});
    let t = performance.now();
    view.render(pb.pos);
    pr.render = (pr.render || 0) + performance.now() - t; t = performance.now();
    // the scrub bar: once a second while following a live run
    if (!(pb.live && !pb.paused) || now - timelineAt > 1000) { timeline.draw(pb.pos, view); timelineAt = now; }
    pr.timeline = (pr.timeline || 0) + performance.now() - t; t = performance.now();
    panels(true); // the panels say what the diagram shows
    pr.panels = (pr.panels || 0) + performance.now() - t;
    renderCost = Math.min(100, performance.now() - now);
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
setInterval(() => panels(false), 250); // the position's text and the verdict even when nothing is drawn

// ---- for tests and users' scripts
window.lc = {
  run, pb, view, counters, TICKS, shortWhy,
  get cursor() { return pb.pos; },
  get end() { return run.kEnd; },
  get lastSeq() { return run.lastSeq; },
  get dirty() { return dirty || pb.pos !== drawnPos || run.version !== drawnVersion; },
  get axis() { return view.axis; },
  get lastExport() { return lastExport; },
  stateAt: (k) => run.stateAt(k == null ? pb.pos : k),
  select: (k) => selectEv(run.item(k)),
  selectMsg: (id) => selectMsg(run.msgs.get(id)),
  seek: (k) => { pb.seek(k); dirty = true; panels(true); },
  SPEEDS,
};

// bench: ?scrub=N waits for every item there was when it joined, then goes to N places evenly
// along the scrub bar, drawing each, and posts how long loading and each of them took
const scrub = +params.get('scrub');
if (scrub > 1) {
  const t0 = performance.now();
  const wait = setInterval(() => {
    if (!run.expected || run.lastSeq < run.expected) return;
    clearInterval(wait);
    const loadMs = performance.now() - t0;
    const seeks = [], cursors = [], drawn = [], clocks = [];
    pb.pause();
    for (let i = 0; i < scrub; i++) {
      const s0 = performance.now();
      pb.seek(timeline.kAt(i / (scrub - 1)));
      view.render(pb.pos);
      timeline.draw(pb.pos, view);
      panels(true);
      seeks.push(performance.now() - s0);
      cursors.push(pb.pos);
      drawn.push($('dots').childElementCount);
      clocks.push([...document.querySelectorAll('[data-gauge]')].map((g) => g.dataset.clock).join(','));
    }
    const body = JSON.stringify({ scrub: true, loadMs, seeks, cursors, drawn, clocks, end: run.kEnd, lines: run.st.c.lines,
      heap: performance.memory ? performance.memory.usedJSHeapSize : null });
    fetch('api/frames', { method: 'POST', body });
  }, 200);
}

// bench: ?bench=SECONDS posts the frame times measured after a warm-up of 2 s
const bench = +params.get('bench');
if (bench > 0) {
  let seqAtStart = 0;
  setTimeout(() => { view.frames.length = 0; view.syncs.length = 0; seqAtStart = run.lastSeq; }, 2000);
  setTimeout(() => {
    const body = JSON.stringify({ frames: view.frames, syncs: view.syncs, drawn: $('dots').childElementCount,
      kept: run.items.length, lastSeq: run.lastSeq, seqAtStart, lanes: view.lm ? view.lm.lanes : 0, machines: run.machines, skipped: run.skipped });
    fetch('api/frames', { method: 'POST', body });
  }, 2000 + bench * 1000);
}
