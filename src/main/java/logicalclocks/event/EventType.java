package logicalclocks.event;

/** The kinds of line in an event log. */
public enum EventType {
  START,
  SEND,
  RECEIVE,
  INTERNAL,
  DROP,
  /** A VM recorded its state for a snapshot here ({@code snap=<id>}); its clock is unchanged. */
  SNAPSHOT,
  STOP;

  /**
   * Whether this event is one of a VM's ticks (SEND, RECEIVE or INTERNAL), the events that move its
   * clock.
   */
  public boolean isTick() {
    return this == SEND || this == RECEIVE || this == INTERNAL;
  }
}
