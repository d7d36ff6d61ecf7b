package logicalclocks.clock;

/**
 * The vector clock as a {@link ClockKind}: its own entry + 1 on each tick, and on RECEIVE first the
 * element-wise max with the message's. Its rules (each line's own entry, and happened-before across
 * the VMs) are the verifier's vector check.
 */
final class VectorKind implements ClockKind<VectorClock> {
  @Override
  public String name() {
    return "vector";
  }

  @Override
  public String key() {
    return "vc";
  }

  @Override
  public Class<VectorClock> type() {
    return VectorClock.class;
  }

  @Override
  public VectorClock zero() {
    return VectorClock.zero();
  }

  @Override
  public VectorClock tick(VectorClock mine, int vm, long ptMs) {
    return mine.tick(vm);
  }

  @Override
  public VectorClock receive(VectorClock mine, VectorClock theirs, int vm, long ptMs) {
    return (theirs == null ? mine : mine.merge(theirs)).tick(vm);
  }

  @Override
  public String format(VectorClock value) {
    return value.format();
  }

  @Override
  public VectorClock parse(String text) {
    return VectorClock.parse(text);
  }

  @Override
  public String rule() {
    return "vector-clock";
  }

  @Override
  public String toString() {
    return name();
  }
}
