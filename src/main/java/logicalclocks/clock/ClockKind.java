package logicalclocks.clock;

/**
 * A kind of logical clock a VM may keep beside its Lamport clock, defined in one place: how it
 * starts, ticks and merges a message's value, the value a message carries, its key and text in a
 * log line (with its bounds), and the rule a log's values must keep. A VM keeps the kinds its run
 * names ({@link ClockKinds}); everything that handles clocks — the VM, the simulation, the
 * transport, a restart's recovery, the verifier, the export and the live page's feed — takes them
 * from there and handles each the same way, so a new kind is its own class and a line in {@link
 * ClockKinds} (or, from outside, a {@code META-INF/services/logicalclocks.clock.ClockKind} entry).
 *
 * <p>The vector and hybrid clocks implement it ({@link #VECTOR}, {@link #HYBRID}). The Lamport
 * clock is the model's own, in every line's {@code clock} field and every message's {@code
 * logical_clock}; its rules live with it ({@link LamportClock}).
 *
 * @param <T> its value: immutable
 */
public interface ClockKind<T> {
  /**
   * How runs name it ({@code EXTRA_CLOCKS}, {@code --extra-clocks}): {@code vector}, {@code
   * hybrid}.
   */
  String name();

  /** The key of its value on a tick line ({@code vc}, {@code hlc}). */
  String key();

  /** Its value's type (a line's decoded value is checked against it). */
  Class<T> type();

  /** Its value before VM {@code vm}'s first event. */
  T zero();

  /** Its value after a local event or a SEND of VM {@code vm} at its physical time {@code ptMs}. */
  T tick(T mine, int vm, long ptMs);

  /**
   * Its value after VM {@code vm} RECEIVEs, at its physical time {@code ptMs}, a message stamped
   * {@code theirs} (null when the message carried none: an older sender, or one that keeps no such
   * clock).
   */
  T receive(T mine, T theirs, int vm, long ptMs);

  /** Its text in a log line, a journal, on the wire. */
  String format(T value);

  /**
   * Its value from its text, checked against its bounds.
   *
   * @throws IllegalArgumentException naming the form or bound broken
   */
  T parse(String text);

  /** The id of the verifier's rule for it (a line's value that breaks it is a violation). */
  String rule();

  /**
   * Whether a tick line's value keeps the kind's rule: null when it does, else why (a sentence).
   * Kinds whose rules need more than one VM's log (the vector clock's happened-before, the hybrid
   * clock's physical bounds) say null here and are checked where those rules live.
   *
   * @param before the VM's value after its previous tick line ({@link #zero} at its first)
   * @param message a RECEIVE's message value (its SEND line's), or null for a SEND or INTERNAL, or
   *     when its SEND is not known
   * @param logged the line's value
   * @param receive whether the line is a RECEIVE
   */
  default String check(T before, T message, T logged, boolean receive, int vm, long ptMs) {
    return null;
  }

  /** The vector clock ({@link VectorClock}): {@code vc}. */
  ClockKind<VectorClock> VECTOR = new VectorKind();

  /** The hybrid logical clock ({@link HybridClock}): {@code hlc}. */
  ClockKind<HybridTime> HYBRID = new HybridKind();
}
