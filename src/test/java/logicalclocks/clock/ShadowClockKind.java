package logicalclocks.clock;

/**
 * A clock kind that exists only in the tests, registered from outside the main code (this test
 * tree's {@code META-INF/services/logicalclocks.clock.ClockKind}): a second Lamport clock under its
 * own key {@code sh}. {@code ClockKindTest} shows it flows through everything that handles clocks
 * with no main file changed.
 */
public final class ShadowClockKind implements ClockKind<Long> {
  @Override
  public String name() {
    return "shadow";
  }

  @Override
  public String key() {
    return "sh";
  }

  @Override
  public Class<Long> type() {
    return Long.class;
  }

  @Override
  public Long zero() {
    return 0L;
  }

  @Override
  public Long tick(Long mine, int vm, long ptMs) {
    return mine + 1;
  }

  @Override
  public Long receive(Long mine, Long theirs, int vm, long ptMs) {
    return Math.max(mine, theirs == null ? 0 : theirs) + 1;
  }

  @Override
  public String format(Long value) {
    return Long.toString(value);
  }

  @Override
  public Long parse(String text) {
    if (!text.matches("0|[1-9][0-9]{0,15}")) {
      throw new IllegalArgumentException("expected a count from 0, got '" + text + "'");
    }
    return Long.parseLong(text);
  }

  @Override
  public String rule() {
    return "shadow-rule";
  }

  @Override
  public String check(Long before, Long message, Long logged, boolean receive, int vm, long ptMs) {
    long expected = receive && message != null ? Math.max(before, message) + 1 : before + 1;
    if (receive && message == null ? logged <= before : logged != expected) {
      return "sh must be "
          + (receive ? "max(" + before + ", " + message + ") + 1 = " : before + " + 1 = ")
          + expected
          + ", got "
          + logged;
    }
    return null;
  }
}
