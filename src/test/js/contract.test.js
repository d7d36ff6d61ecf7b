// The feed's JSON contract, read side: what Feed.java wrote for real runs (FrontEndTest writes
// target/feed-contract/*.json first) read into the page's model, checked against the server's own
// counts and gauges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Run, counters } from '../../main/resources/logicalclocks/ui/model.js';
import { Playback } from '../../main/resources/logicalclocks/ui/playback.js';

const dir = process.env.LC_FEED_CONTRACT || 'target/feed-contract';
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

test('fixtures were written', () => {
  assert.ok(files.includes('weather.json') && files.includes('crash.json'), 'in ' + dir + ': ' + files);
});

const TYPES = new Set(['START', 'SEND', 'RECEIVE', 'INTERNAL', 'DROP', 'STOP', 'STATE']);

for (const f of files) {
  const fx = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const load = () => {
    const r = new Run();
    r.hello(fx.hello);
    for (const b of fx.batches) { r.addAll(b.events); r.serverState(b); }
    return r;
  };

  test(f + ': every item reads as the contract says', () => {
    let prev = 0;
    for (const b of fx.batches) for (const it of b.events) {
      assert.equal(typeof it.s, 'number'); assert.ok(it.s > prev, 'numbered in order'); prev = it.s;
      assert.equal(typeof it.vm, 'number');
      if (it.err != null) { assert.equal(typeof it.raw, 'string'); assert.equal(it.e, undefined); continue; }
      assert.ok(TYPES.has(it.e), 'type ' + it.e);
      if (it.e === 'STATE') { assert.equal(typeof it.st, 'string'); continue; }
      for (const k of ['n', 'c', 'q', 'ts', 'h']) assert.equal(typeof it[k], 'number', k + ' of ' + JSON.stringify(it));
      if (it.e === 'RECEIVE') assert.equal(typeof it.sent, 'number');
      if (it.e === 'SEND' || it.e === 'INTERNAL') assert.equal(typeof it.die, 'number');
      if (it.e === 'STOP') assert.ok(['finished', 'stopped', 'failed'].includes(it.st));
      if (it.e === 'DROP' && ['deadline', 'unreachable', 'cancelled'].includes(it.reason)) assert.equal(it.amb, 1);
      if (it.e === 'DROP' && it.reason === 'backpressure') assert.equal(it.amb, undefined);
      assert.ok(it.raw.includes('event=' + it.e));
    }
  });

  test(f + ': the model counts what the server counts, and ends with its clocks', () => {
    const r = load();
    const server = fx.batches[fx.batches.length - 1];
    const mine = counters(r.st);
    for (const k of ['sent', 'received', 'dropped', 'late', 'pending']) {
      assert.equal(mine[k], server.counters[k], k);
    }
    assert.equal(mine.lines, server.counters.lines + server.counters.unreadable, 'lines (readable and not)');
    assert.equal(mine.errors, server.counters.errors, 'unreadable');
    for (const v of server.vms) {
      assert.equal(r.st.vms[v.id].clock, v.clock, 'vm' + v.id + ' clock');
      assert.equal(r.st.vms[v.id].restarts, v.restarts, 'vm' + v.id + ' restarts');
    }
    for (const v of server.violations) if (v.vm != null) assert.ok(r.byLine.has(v.vm + ':' + v.n), 'violation at a line kept');
    // each message's fate at the end, counted, is the ledger's
    const fates = { received: 0, late: 0, dropped: 0, queued: 0 };
    for (const m of r.msgs.values()) { const x = r.fateAt(m, r.kEnd); if (x in fates) fates[x]++; }
    assert.equal(fates.dropped, server.counters.dropped, 'dropped by fate');
    assert.equal(fates.late, server.counters.late, 'late by fate');
  });

  test(f + ': the narration holds on every tick of a verified run', () => {
    const r = load();
    const server = fx.batches[fx.batches.length - 1];
    if (server.violations.length) return; // the crash run has one: its line is the one not ok
    let n = 0;
    for (const it of r.items) {
      if (!['SEND', 'RECEIVE', 'INTERNAL'].includes(it.e) || !it.prev) continue;
      const x = r.narrate(it);
      assert.ok(x.ok, x.lamport);
      assert.equal(x.expected, it.c);
      if (x.vector) assert.doesNotMatch(x.vector, /but its log says/, x.vector);
      if (x.hybrid) assert.doesNotMatch(x.hybrid, /but its log says/, x.hybrid);
      n++;
    }
    assert.ok(n > 100);
  });

  test(f + ': the state at every 97th position equals the one counted from the start', () => {
    const r = load();
    const fresh = new Run();
    fresh.hello(fx.hello);
    const all = r.items;
    let k = 0;
    for (let P = 0; P <= r.kEnd; P += 97) {
      while (k < P) { const { prev, next, k: _k, hh, ...raw } = all[k]; fresh.add(raw); k++; }
      assert.deepEqual(r.stateAt(P).c, fresh.st.c, 'at ' + P);
    }
  });

  test(f + ': a replay of it plays from its start at the server speed', () => {
    const r = load();
    const pb = new Playback(r);
    pb.start(fx.hello.mode, fx.hello.speed);
    if (fx.hello.mode === 'replay') { assert.equal(pb.pos, 0); assert.equal(pb.speed, fx.hello.speed); }
  });
}

test('crash.json: the crash is where vm1 log ends, until its restart; the violation and the unreadable line', () => {
  const fx = JSON.parse(readFileSync(join(dir, 'crash.json'), 'utf8'));
  const r = new Run();
  r.hello(fx.hello);
  for (const b of fx.batches) { r.addAll(b.events); r.serverState(b); }
  const d = r.downs.filter((x) => x.vm === 1);
  assert.equal(d.length, 1);
  assert.equal(d[0].kind, 'crashed');
  assert.equal(d[0].from.n, 3); // its SEND, its last line before
  assert.equal(d[0].to.e, 'START');
  assert.equal(d[0].to.restart, 1);
  assert.equal(r.errors.length, 1);
  const bad = r.narrate(r.byLine.get('0:5'));
  assert.equal(bad.ok, false);
  // the late delivery: 0-2 dropped as deadline by vm0, then received by the restarted vm1
  assert.equal(r.fateAt(r.msgs.get('0-2'), r.kEnd), 'late');
  assert.equal(r.fateAt(r.msgs.get('0-3'), r.kEnd), 'queued');
});
