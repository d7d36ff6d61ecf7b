package logicalclocks.event;

/** A line that does not follow the event-log format. */
public class LogFormatException extends RuntimeException {
  public LogFormatException(String message) {
    super(message);
  }
}
