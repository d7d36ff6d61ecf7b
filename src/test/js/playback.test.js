// The play position (playback.js) without a browser: pause, step, rewind, seek, live, and playing
// at a speed by the run's host time, catching up with a live run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Run } from '../../main/resources/logicalclocks/ui/model.js';
import { Playback, GAP_MS, CATCH_MS } from '../../main/resources/logicalclocks/ui/playback.js';

/** A live run of one VM with a line every 100 ms of host time from t. */
function lines(run, from, count, t) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const n = from + i;
    out.push({ s: n, vm: 0, n, e: n === 1 ? 'START' : 'INTERNAL', c: n - 1, q: 0, ts: t + 100 * i, h: t + 100 * i });
  }
  run.addAll(out);
}

test('live: each new item shown at once; pause holds the position while items come', () => {
  const r = new Run();
  r.hello({ machines: 1, mode: 'live', title: 't' });
  const pb = new Playback(r);
  lines(r, 1, 10, 0); pb.appended();
  assert.equal(pb.pos, 10);
  pb.pause();
  lines(r, 11, 10, 1000); pb.appended();
  assert.equal(pb.pos, 10);
  assert.ok(!pb.advance(500));
  assert.equal(pb.pos, 10);
});

test('step moves one log line, over state changes; back and forth returns', () => {
  const r = new Run();
  r.hello({ machines: 1, mode: 'live', title: 't' });
  lines(r, 1, 5, 0);
  r.addAll([{ s: 6, vm: 0, e: 'STATE', st: 'unreachable', why: 'x', h: 500 }]);
  lines(r, 7, 3, 600);
  const pb = new Playback(r);
  pb.appended();
  pb.step(-1);
  assert.equal(pb.pos, r.kEnd - 1);
  assert.equal(r.lastShown(pb.pos).n, 8);
  pb.step(-3); // lines 8, 7, then over the STATE item to 5: line 4 is the last shown
  assert.equal(r.lastShown(pb.pos).n, 4);
  pb.step(1);
  assert.equal(r.lastShown(pb.pos).n, 5);
  assert.equal(r.item(pb.pos - 1).e, 'STATE', 'the state change after line 5 comes with it');
  pb.step(1);
  assert.equal(r.lastShown(pb.pos).n, 7);
  pb.step(-1);
  assert.equal(r.lastShown(pb.pos).n, 5);
  pb.rewind();
  assert.equal(pb.pos, r.k0);
  pb.step(-1);
  assert.equal(pb.pos, r.k0);
});

test('playing at 2x after a pause of 6 s is live again within 6 s; 1x stays 6 s behind', () => {
  for (const [speed, liveBy] of [[2, 6000], [1, null]]) {
    const r = new Run();
    r.hello({ machines: 1, mode: 'live', title: 't' });
    const pb = new Playback(r);
    let now = 0, n = 1;
    const tick = (ms) => { // the run goes on: a line every 100 ms of host time
      for (let t = 0; t < ms; t += 100) { lines(r, n, 1, now); n++; now += 100; pb.appended(); }
    };
    tick(3000);
    pb.pause();
    tick(6000);
    pb.setSpeed(speed);
    pb.play();
    assert.ok(!pb.live);
    let waited = 0;
    while (!pb.live && waited < 20000) { tick(100); pb.advance(100); waited += 100; }
    if (liveBy) assert.ok(pb.live && waited <= liveBy, `live after ${waited} ms at ${speed}x`);
    else { assert.ok(!pb.live); assert.ok(pb.behindMs() >= 6000 - CATCH_MS - 200, 'still behind: ' + pb.behindMs()); }
  }
});

test('a replay starts at its beginning at the server speed, and a pause in the run is shortened', () => {
  const r = new Run();
  r.hello({ machines: 1, mode: 'replay', title: 't' });
  lines(r, 1, 5, 0);
  lines(r, 6, 5, 60000); // a minute of nothing in between
  const pb = new Playback(r);
  pb.start('replay', 4);
  assert.equal(pb.pos, r.k0);
  assert.equal(pb.speed, 4);
  pb.advance(0);
  pb.advance(100); // 400 ms of the run: the first 5 lines
  assert.equal(pb.pos, 5);
  let spent = 0;
  while (pb.pos < 6 && spent < 5000) { pb.advance(50); spent += 50; }
  assert.ok(spent <= GAP_MS / 4 + 100, 'the gap took ' + spent + ' ms at 4x');
  const zero = new Playback(r);
  zero.start('replay', 0);
  assert.equal(zero.pos, r.kEnd);
});

test('seek and describe', () => {
  const r = new Run();
  r.hello({ machines: 1, mode: 'live', title: 't' });
  lines(r, 1, 20, 0);
  const pb = new Playback(r);
  pb.appended();
  pb.pause();
  pb.seek(5);
  assert.equal(pb.pos, 5);
  assert.match(pb.describe(r.stateAt(5)), /^paused · event 5 of 20/);
  pb.seek(1e9);
  assert.equal(pb.pos, r.kEnd);
});
