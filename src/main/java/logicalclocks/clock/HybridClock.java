package logicalclocks.clock;

/**
 * A hybrid logical clock (Kulkarni, Demirbas, Madappa, Avva, Leone: "Logical Physical Clocks",
 * OPODIS 2014), kept per the paper's rules with {@code pt} the VM's own physical clock in Unix
 * milliseconds:
 *
 * <ul>
 *   <li>a local event or a SEND: {@code l' = l; l = max(l', pt); c = (l == l') ? c + 1 : 0};
 *   <li>a RECEIVE of {@code (lm, cm)}: {@code l' = l; l = max(l', lm, pt)}; then {@code c = max(c,
 *       cm) + 1} when {@code l == l' == lm}, {@code c + 1} when {@code l == l'}, {@code cm + 1}
 *       when {@code l == lm}, else 0.
 * </ul>
 *
 * <p>So {@code l} is never below the VM's physical time, {@code (l, c)} strictly increases at each
 * VM, and a RECEIVE is above its SEND. A counter past 2^31 - 1 carries into {@code l}. Not
 * thread-safe: its VM's tick thread owns it.
 */
public final class HybridClock {
  private long l;
  private long c;

  public HybridClock() {
    this(HybridTime.ZERO);
  }

  /** A clock resuming from {@code start} (a restart). */
  public HybridClock(HybridTime start) {
    this.l = start.l();
    this.c = start.c();
  }

  public HybridTime time() {
    return new HybridTime(l, c);
  }

  /** A local event or a SEND at physical time {@code pt}. */
  public HybridTime tick(long pt) {
    long old = l;
    l = Math.max(old, clamp(pt));
    c = l == old ? c + 1 : 0;
    return checked();
  }

  /** A RECEIVE at physical time {@code pt} of a message stamped {@code m}. */
  public HybridTime receive(long pt, HybridTime m) {
    long old = l;
    l = Math.max(Math.max(old, m.l()), clamp(pt));
    if (l == old && l == m.l()) {
      c = Math.max(c, m.c()) + 1;
    } else if (l == old) {
      c = c + 1;
    } else if (l == m.l()) {
      c = m.c() + 1;
    } else {
      c = 0;
    }
    return checked();
  }

  private static long clamp(long pt) {
    return Math.max(0, Math.min(pt, HybridTime.MAX_L));
  }

  /**
   * A counter past its bound carries into {@code l} (one millisecond on, counter 0), as a
   * fixed-width counter must: the timestamp still rises and {@code l} is still not below {@code
   * pt}. Only a clock whose {@code l} is at its bound 2^53 (a quarter of a million years from now)
   * cannot go on.
   */
  private HybridTime checked() {
    if (c > HybridTime.MAX_C) {
      if (l >= HybridTime.MAX_L) {
        throw new IllegalStateException("hybrid clock at its bound 2^53:2^31-1");
      }
      l++;
      c = 0;
    }
    return new HybridTime(l, c);
  }
}
