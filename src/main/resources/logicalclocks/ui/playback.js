// Time control (RaftScope's state.js): the play position over a Run, paused or playing at a speed,
// or live (following the newest item). No DOM: unit-tested under Node.
//
// pos is a position of the Run: the items numbered k < pos are shown. Playing moves pos by host
// time (each item's hh, never going back): speed x plays x seconds of the run per second. A pause
// in the run longer than GAP_MS is shortened to that. Playing a live run faster than 1x catches up
// with it, and it is live again (following each new item) once within CATCH_MS of its newest item.

export const GAP_MS = 2000;
export const CATCH_MS = 250;
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 10];

export class Playback {
  constructor(run) {
    this.run = run;
    this.pos = 0;
    this.paused = false;
    this.live = true; // following the newest item
    this.speed = 1;
    this.pb = null; // the host time played up to
  }

  /** A replay starts at its beginning and plays at the server's --speed (0: at once to its end). */
  start(mode, speed) {
    if (mode === 'replay') {
      if (speed > 0) { this.speed = speed; this.live = false; this.pos = this.run.k0; }
      else this.goLive();
    }
  }

  end() { return this.run.kEnd; }
  atEnd() { return this.pos >= this.run.kEnd; }

  /** New items came: a live page shows them at once. */
  appended() {
    if (this.pos < this.run.k0) this.pos = this.run.k0;
    if (this.live && !this.paused) this.pos = this.run.kEnd;
  }

  pause() { this.paused = true; this.live = false; this.pb = null; }
  play() { this.paused = false; this.pb = null; if (this.atEnd()) this.live = true; }
  toggle() { if (this.paused) this.play(); else this.pause(); }
  goLive() { this.paused = false; this.live = true; this.pb = null; this.pos = this.run.kEnd; }
  setSpeed(x) { this.speed = +x; this.pb = null; }

  /** Back to the oldest item kept; playing or paused as it was. */
  rewind() { this.live = false; this.pb = null; this.pos = this.run.k0; }

  /** To position k (a scrub, a search): pauses nothing, stops following. */
  seek(k) {
    this.pos = Math.max(this.run.k0, Math.min(this.run.kEnd, k));
    this.live = false;
    this.pb = null;
    if (this.atEnd() && !this.paused) this.live = true;
  }

  /** d log lines forward or back (state changes are passed over); pauses. */
  step(d) {
    this.pause();
    const run = this.run;
    let p = this.pos;
    for (let i = 0; i < Math.abs(d); i++) {
      if (d > 0) {
        let k = p;
        while (k < run.kEnd && run.item(k).e === 'STATE') k++;
        if (k >= run.kEnd) break;
        p = k + 1;
      } else {
        let k = p - 1;
        while (k >= run.k0 && run.item(k).e === 'STATE') k--;
        if (k < run.k0) break;
        p = k;
      }
    }
    // the state changes just after the line stepped onto belong to it
    while (d > 0 && p < run.kEnd && run.item(p).e === 'STATE') p++;
    this.pos = p;
  }

  /** Plays dtMs of wall time; whether the position moved. */
  advance(dtMs) {
    if (this.paused || this.live) return false;
    const run = this.run;
    if (this.pos < run.k0) this.pos = run.k0;
    if (this.atEnd()) {
      if (run.mode !== 'replay' || run.server.over) { this.live = run.mode !== 'replay'; }
      return false;
    }
    const first = run.item(this.pos);
    if (this.pb == null) this.pb = first.hh;
    this.pb += dtMs * this.speed;
    const before = this.pos;
    while (this.pos < run.kEnd) {
      const it = run.item(this.pos);
      if (it.hh > this.pb) {
        if (it.hh - this.pb > GAP_MS) this.pb = it.hh - GAP_MS;
        break;
      }
      this.pos++;
    }
    // a live run: caught up once within CATCH_MS of its newest item
    if (run.mode !== 'replay' && run.kEnd > run.k0 && run.item(run.kEnd - 1).hh - this.pb <= CATCH_MS) {
      this.goLive();
      return true;
    }
    if (this.atEnd() && run.mode === 'replay') this.pb = null;
    return this.pos !== before;
  }

  /** How far behind the newest item the position is, in ms of the run's host time. */
  behindMs() {
    const run = this.run;
    if (this.atEnd() || run.kEnd === run.k0) return 0;
    const at = this.pos > run.k0 ? run.item(this.pos - 1).hh : run.item(run.k0).hh;
    return Math.max(0, run.item(run.kEnd - 1).hh - at);
  }

  /** One line for the page: what the position is doing (at: the Run's stateAt(pos)). */
  describe(at) {
    const run = this.run;
    const total = run.st.c.lines;
    if (this.atEnd()) {
      const word = run.server.over ? 'finished' : run.mode === 'replay' ? 'end of the replay' : this.paused ? 'paused at live' : 'live';
      return `${word} \u00b7 ${total} events`;
    }
    const shown = ` \u00b7 event ${at ? at.c.lines : '?'} of ${total}`;
    const behind = (this.behindMs() / 1000).toFixed(1);
    if (this.paused) return `paused${shown} \u00b7 ${behind} s before the end`;
    return `playing ${this.speed}\u00d7${shown} \u00b7 ${behind} s behind`;
  }
}
