package logicalclocks.clock;

/**
 * The hybrid logical clock as a {@link ClockKind}, with {@link HybridClock}'s rules; a VM's {@code
 * pt} is its own physical clock. Its log rules (never below the line's physical time, above the
 * VM's previous one and above the message's) are the verifier's {@code hlc-physical} checks.
 */
final class HybridKind implements ClockKind<HybridTime> {
  @Override
  public String name() {
    return "hybrid";
  }

  @Override
  public String key() {
    return "hlc";
  }

  @Override
  public Class<HybridTime> type() {
    return HybridTime.class;
  }

  @Override
  public HybridTime zero() {
    return HybridTime.ZERO;
  }

  @Override
  public HybridTime tick(HybridTime mine, int vm, long ptMs) {
    return new HybridClock(mine).tick(ptMs);
  }

  @Override
  public HybridTime receive(HybridTime mine, HybridTime theirs, int vm, long ptMs) {
    return new HybridClock(mine).receive(ptMs, theirs == null ? HybridTime.ZERO : theirs);
  }

  @Override
  public String format(HybridTime value) {
    return value.format();
  }

  @Override
  public HybridTime parse(String text) {
    return HybridTime.parse(text);
  }

  @Override
  public String rule() {
    return "hlc-physical";
  }

  @Override
  public String toString() {
    return name();
  }
}
