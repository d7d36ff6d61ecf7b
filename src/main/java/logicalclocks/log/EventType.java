package logicalclocks.log;

/** The kinds of line in an event log. */
public enum EventType {
  START,
  SEND,
  RECEIVE,
  INTERNAL,
  DROP,
  STOP
}
