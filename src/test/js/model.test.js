// The page's model (model.js) without a browser: fates, the state at any position, causality, the
// narration's numbers, search and the quiz, on small runs written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Run, CP, counters, parseVc, vcText } from '../../main/resources/logicalclocks/ui/model.js';

let s = 0;
function ev(vm, n, e, c, q, extra = {}) {
  s++;
  return { s, vm, n, e, c, q, ts: 1000 * s, h: 1000 * s, raw: `vm=${vm} event=${e} clock=${c}`, ...extra };
}
function state(vm, st, why = '') { s++; return { s, vm, e: 'STATE', st, why, h: 1000 * s }; }

/** A small run: vm0 sends to vm1 twice (one received, one left queued at STOP), vm1 answers. */
function small() {
  s = 0;
  const r = new Run();
  r.hello({ machines: 2, mode: 'live', title: 't' });
  r.addAll([
    ev(0, 1, 'START', 0, 0, { rate: 2 }),
    ev(1, 1, 'START', 0, 0, { rate: 1 }),
    ev(0, 2, 'SEND', 1, 0, { to: '1', m: '0-1', die: 1, vc: '0:1', hl: 5000, hc: 0, ts: 5000 }),
    ev(0, 3, 'SEND', 2, 0, { to: '1', m: '0-2', die: 1, vc: '0:2', hl: 6000, hc: 0, ts: 6000 }),
    ev(1, 2, 'RECEIVE', 2, 1, { from: '0', m: '0-1', sent: 1, vc: '0:1,1:1', hl: 6000, hc: 1, ts: 5500 }),
    ev(1, 3, 'SEND', 3, 1, { to: '0', m: '1-1', die: 1, vc: '0:1,1:2', hl: 7000, hc: 0, ts: 7000 }),
    ev(0, 4, 'RECEIVE', 4, 0, { from: '1', m: '1-1', sent: 3, vc: '0:3,1:2', hl: 7000, hc: 1, ts: 6500 }),
    ev(1, 4, 'STOP', 3, 1, { reason: 'finished', st: 'finished', queued: '0-2' }),
    ev(0, 5, 'STOP', 4, 0, { reason: 'finished', st: 'finished' }),
  ]);
  return r;
}

test('fates at each position: in flight, queued, received, queued at STOP', () => {
  const r = small();
  const m1 = r.msgs.get('0-1'), m2 = r.msgs.get('0-2');
  assert.equal(r.fateAt(m1, 2), null); // not sent yet
  assert.equal(r.fateAt(m1, 3), 'in-flight');
  assert.equal(r.fateAt(m1, 5), 'received');
  assert.equal(r.fateAt(m2, 5), 'in-flight');
  // after vm1's RECEIVE (queue 1): 0-2 is the message its queue holds (FIFO: its next RECEIVE or its STOP's)
  assert.deepEqual(r.queuedAt(1, 5).map((m) => m.id), ['0-2']);
  assert.equal(r.fateAt(m2, r.kEnd), 'queued');
  assert.deepEqual(r.queuedAt(1, r.kEnd).map((m) => m.id), ['0-2']);
});

test('the state at a position: clocks, queues, states and counters as the lines up to it say', () => {
  const r = small();
  const at4 = r.stateAt(4);
  assert.equal(at4.vms[0].clock, 2);
  assert.equal(at4.vms[1].clock, 0);
  assert.equal(at4.vms[1].state, 'live');
  assert.equal(counters(at4).sent, 2);
  assert.equal(counters(at4).pending, 2);
  const end = r.stateAt(r.kEnd);
  assert.equal(end.vms[1].state, 'finished');
  assert.equal(end.vms[1].queue, 1);
  assert.deepEqual(
    { sent: 3, received: 2, dropped: 0, late: 0, pending: 0 },
    (({ sent, received, dropped, late, pending }) => ({ sent, received, dropped, late, pending }))(counters(end)),
  );
});

test('the state at a position is the same from a checkpoint as counted from the start', () => {
  s = 0;
  const r = new Run();
  r.hello({ machines: 3, mode: 'replay', title: 't' });
  const items = [ev(0, 1, 'START', 0, 0), ev(1, 1, 'START', 0, 0), ev(2, 1, 'START', 0, 0)];
  const n = [2, 2, 2], c = [0, 0, 0];
  for (let i = 0; i < 3 * CP + 17; i++) {
    const vm = i % 3;
    if (i % 5 === 0) {
      const to = (vm + 1) % 3;
      items.push(ev(vm, n[vm]++, 'SEND', ++c[vm], 0, { to: String(to), m: `${vm}-${i}` }));
      c[to] = Math.max(c[to], c[vm]) + 1;
      items.push(ev(to, n[to]++, 'RECEIVE', c[to], 0, { from: String(vm), m: `${vm}-${i}`, sent: c[vm] }));
    } else {
      items.push(ev(vm, n[vm]++, 'INTERNAL', ++c[vm], 0));
    }
  }
  r.addAll(items);
  assert.ok(r.cps.length >= 3, 'checkpoints');
  const fresh = new Run();
  fresh.hello({ machines: 3, mode: 'replay', title: 't' });
  for (const P of [0, 1, CP - 1, CP, CP + 1, 2 * CP + 5, r.kEnd - 1, r.kEnd]) {
    const got = r.stateAt(P);
    // counted from nothing, item by item
    const want = new Run();
    want.hello({ machines: 3, mode: 'replay', title: 't' });
    want.addAll(items.slice(0, P).map((x) => ({ ...x, prev: undefined, next: undefined })));
    assert.deepEqual(got.c, want.st.c, 'counters at ' + P);
    assert.deepEqual(got.vms.map((v) => v.clock), want.st.vms.map((v) => v.clock), 'clocks at ' + P);
  }
});

test('a late delivery: an ambiguous DROP, then the RECEIVE; counted once as late, not dropped', () => {
  s = 0;
  const r = new Run();
  r.hello({ machines: 2, mode: 'live', title: 't' });
  r.addAll([
    ev(0, 1, 'START', 0, 0), ev(1, 1, 'START', 0, 0),
    ev(0, 2, 'SEND', 1, 0, { to: '1', m: '0-1' }),
    ev(0, 3, 'DROP', 1, 0, { to: '1', m: '0-1', reason: 'deadline', amb: 1 }),
  ]);
  const m = r.msgs.get('0-1');
  assert.equal(r.fateAt(m, r.kEnd), 'dropped');
  assert.equal(counters(r.st).dropped, 1);
  r.addAll([ev(1, 2, 'RECEIVE', 2, 0, { from: '0', m: '0-1', sent: 1 })]);
  assert.equal(r.fateAt(m, r.kEnd), 'late');
  const c = counters(r.st);
  assert.deepEqual([c.received, c.dropped, c.late, c.pending], [1, 0, 1, 0]);
});

test('a crash: the span from the last line before it to the restart, in wall order', () => {
  s = 0;
  const r = new Run();
  r.hello({ machines: 2, mode: 'live', title: 't' });
  r.addAll([
    ev(0, 1, 'START', 0, 0), ev(1, 1, 'START', 0, 0),
    ev(1, 2, 'INTERNAL', 1, 0),
    state(1, 'unreachable', 'UNAVAILABLE: Connection refused'),
    ev(0, 2, 'INTERNAL', 1, 0),
  ]);
  assert.equal(r.downs.length, 1);
  assert.equal(r.downs[0].kind, 'crashed');
  assert.equal(r.downs[0].to, null);
  assert.equal(r.stateAt(r.kEnd).vms[1].state, 'unreachable');
  r.addAll([ev(1, 3, 'START', 1, 0, { restart: 1 })]);
  assert.equal(r.downs[0].to.e, 'START');
  assert.equal(r.stateAt(r.kEnd).vms[1].state, 'live');
  assert.equal(r.stateAt(r.kEnd).vms[1].restarts, 1);
  // a replay has no state changes: the restart's START after a line that is not a STOP is the crash
  s = 0;
  const p = new Run();
  p.hello({ machines: 1, mode: 'replay', title: 't' });
  p.addAll([ev(0, 1, 'START', 0, 0), ev(0, 2, 'INTERNAL', 1, 0), ev(0, 3, 'START', 1, 0, { restart: 1 })]);
  assert.equal(p.downs.length, 1);
  assert.equal(p.downs[0].from.n, 2);
  assert.equal(p.downs[0].kind, 'crashed');
});

test('causality: past and future through each VM and the messages', () => {
  const r = small();
  const recv = r.byLine.get('1:2'); // vm1 RECEIVE of 0-1
  const { past, future } = r.causal(recv);
  const lines = (set) => [...set].map((k) => { const e = r.item(k); return e.vm + ':' + e.n; }).sort();
  assert.deepEqual(lines(past), ['0:1', '0:2', '1:1']);
  assert.deepEqual(lines(future), ['0:4', '0:5', '1:3', '1:4']);
});

test('the narration: each rule with its numbers, and a clock the rule does not give is said so', () => {
  const r = small();
  assert.equal(r.narrate(r.byLine.get('0:2')).lamport, 'vm0 SEND to vm1 (msg 0-1): clock 0 + 1 = 1');
  assert.equal(r.narrate(r.byLine.get('0:4')).lamport, 'vm0 RECEIVE msg 1-1 from vm1: clock = max(2, 3) + 1 = 4');
  const n = r.narrate(r.byLine.get('1:2'));
  assert.equal(n.lamport, 'vm1 RECEIVE msg 0-1 from vm0: clock = max(0, 1) + 1 = 2');
  assert.equal(n.vector, 'vector: max([], [0:1]) = [0:1]; vm1 + 1 = [0:1,1:1]');
  // hl: max(0 (none before), the message's 5000, pt 5500) = 5500 ahead of both: c = 0; the log says 6000:1
  // (times of day, UTC, to the ms)
  assert.equal(n.hybrid, "hybrid: l = max(its 00:00:00.000, the message's 00:00:05.000, pt 00:00:05.500) = 00:00:05.500, c = 0 (pt is ahead) = 0 — but its log says 00:00:06.000:1 (6000:1)");
  assert.equal(n.ok, true);
  s = 100;
  const bad = new Run();
  bad.hello({ machines: 1, mode: 'live', title: 't' });
  bad.addAll([ev(0, 1, 'START', 0, 0), ev(0, 2, 'INTERNAL', 1, 0, { die: 7 }), ev(0, 3, 'INTERNAL', 1, 0, { die: 5 })]);
  const v = bad.narrate(bad.byLine.get('0:3'));
  assert.equal(v.ok, false);
  assert.equal(v.lamport, 'vm0 INTERNAL (die 5): clock 1 + 1 = 2 — but its log says 1: a violation');
});

test('search: a message, a line, a clock value, text', () => {
  const r = small();
  assert.equal(r.find('1-1').msg.id, '1-1');
  assert.equal(r.find('vm1:3').ev.e, 'SEND');
  assert.equal(r.find('c=4').ev.n, 4);
  assert.equal(r.find('event=STOP').ev.e, 'STOP');
  assert.equal(r.find('9-9'), null);
});

test('the quiz: the next ticks of a VM from a position, graded against the log with the rule', () => {
  const r = small();
  assert.equal(r.quizVm(), 1, 'the slowest VM');
  const q = r.quiz(1, 2, 3);
  assert.deepEqual(q.events.map((e) => e.e), ['RECEIVE', 'SEND']);
  const g = r.grade(q, ['2', '4']);
  assert.deepEqual(g.map((x) => x.ok), [true, false]);
  assert.equal(g[1].expected, 3);
  assert.equal(g[1].rule, 'vm1 SEND to vm0 (msg 1-1): clock 2 + 1 = 3');
  assert.deepEqual(r.quiz(1, 2, 3).events.map((e) => e.k), q.events.map((e) => e.k), 'the same quiz again');
});

test('the cap: the oldest items leave, a checkpoint at the first kept, the state after still exact', () => {
  s = 0;
  const r = new Run(2 * CP);
  r.hello({ machines: 1, mode: 'live', title: 't' });
  const items = [ev(0, 1, 'START', 0, 0)];
  for (let i = 1; i <= 5 * CP; i++) items.push(ev(0, i + 1, 'INTERNAL', i, 0));
  r.addAll(items);
  assert.ok(r.items.length <= 2 * CP);
  assert.equal(r.k0 % CP, 0);
  assert.equal(r.cps[0].k, r.k0);
  assert.equal(r.stateAt(r.k0 + 10).vms[0].clock, r.item(r.k0 + 9).c);
  assert.equal(r.st.c.lines, 5 * CP + 1);
});

test('vector clock text', () => {
  assert.deepEqual(parseVc('0:3,2:1'), { 0: 3, 2: 1 });
  assert.equal(vcText({ 2: 1, 0: 3, 1: 0 }), '[0:3,2:1]');
});

test('the wall axis places a skewed VM by host time (w), its own clock (ts) kept for the rules', () => {
  s = 0;
  const r = new Run();
  r.hello({ machines: 2, mode: 'live', title: 't' });
  // vm1's clock is 180 s ahead (its START declares offset_ms=180000): its ts is 180 s later, its w not
  r.addAll([
    ev(0, 1, 'START', 0, 0, { rate: 2, ts: 1000, w: 1000 }),
    ev(1, 1, 'START', 0, 0, { rate: 2, ts: 181000, w: 1000 }),
    ev(0, 2, 'INTERNAL', 1, 0, { die: 7, ts: 1500, w: 1500 }),
    ev(1, 2, 'INTERNAL', 1, 0, { die: 7, ts: 181500, w: 1500 }),
  ]);
  const [a, b] = [r.evsOf[0][1], r.evsOf[1][1]];
  assert.equal(r.t0, 1000);
  assert.equal(a.wt, 1500);
  assert.equal(b.wt, 1500, 'side by side on the wall axis');
  assert.equal(b.ts, 181500, "its own clock kept: the hybrid rule's pt");
  // a feed without w (an older server): the wall axis falls back to ts
  s = 0;
  const old = new Run();
  old.hello({ machines: 1, mode: 'live', title: 't' });
  old.addAll([ev(0, 1, 'START', 0, 0, { rate: 2, ts: 7000 })]);
  assert.equal(old.evsOf[0][0].wt, 7000);
});

test('cuts: consistency, the message that breaks one, messages crossing, state at the cut', async () => {
  const { parseCut, cutText } = await import('../../main/resources/logicalclocks/ui/model.js');
  const r = small();
  // vm0's ticks: SEND 0-1, SEND 0-2, RECEIVE 1-1; vm1's: RECEIVE 0-1, SEND 1-1
  assert.deepEqual(r.ticksOf.map((t) => t.map((e) => e.e)), [['SEND', 'SEND', 'RECEIVE'], ['RECEIVE', 'SEND']]);
  const all = r.cutInfo([3, 2]);
  assert.equal(all.consistent, true);
  assert.deepEqual(all.crossing.map((m) => m.id), ['0-2']); // queued at STOP: never received
  assert.deepEqual(all.vms.map((v) => [v.clock, v.queue]), [[4, 0], [3, 1]]);
  const none = r.cutInfo([0, 0]);
  assert.equal(none.consistent, true);
  assert.deepEqual(none.vms.map((v) => v.clock), [0, 0]);
  // vm1's RECEIVE of 0-1 inside, vm0's SEND of it outside: not consistent, and 0-1 is why
  const bad = r.cutInfo([0, 1]);
  assert.equal(bad.consistent, false);
  assert.deepEqual(bad.broken.map((m) => m.id), ['0-1']);
  const mid = r.cutInfo([2, 1]);
  assert.equal(mid.consistent, true);
  assert.deepEqual(mid.crossing.map((m) => m.id), ['0-2']);
  // the cut at a play position counts each VM's ticks before it
  assert.deepEqual(r.cutAt(0), [0, 0]);
  assert.deepEqual(r.cutAt(5), [2, 1]);
  assert.deepEqual(r.cutAt(r.kEnd), [3, 2]);
  assert.deepEqual(parseCut('0:2,1:1', 2), [2, 1]);
  assert.equal(parseCut('0:2,5:1', 2), null);
  assert.equal(parseCut('zero', 2), null);
  assert.equal(cutText([2, 1]), '0:2,1:1');
});

test('a snapshot\'s cut is each VM\'s events before its SNAPSHOT line, once every VM has one', () => {
  const run = new Run();
  run.hello({ machines: 2, mode: 'replay', title: 't' });
  let s = 0;
  const ev = (vm, n, e, c, extra) => ({ s: ++s, vm, n, e, c, q: 0, ts: 1000 + s, ...extra });
  run.addAll([
    ev(0, 1, 'START', 0), ev(1, 1, 'START', 0),
    ev(0, 2, 'INTERNAL', 1), ev(0, 3, 'SEND', 2, { to: '1', m: '0-1' }),
    ev(0, 4, 'SNAPSHOT', 2, { snap: 1 }),
  ]);
  assert.deepEqual(run.snapshotCuts(), [], 'VM 1 has not recorded its state');
  run.addAll([ev(1, 2, 'RECEIVE', 3, { from: '0', m: '0-1', sent: 2 }), ev(1, 3, 'SNAPSHOT', 3, { snap: 1 })]);
  assert.deepEqual(run.snapshotCuts(), [{ id: 1, cut: [2, 1] }]);
  assert.equal(run.cutInfo([2, 1]).consistent, true);
});
