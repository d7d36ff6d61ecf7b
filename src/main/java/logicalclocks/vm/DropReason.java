package logicalclocks.vm;

import java.util.Locale;
import java.util.Optional;

/**
 * Every reason a sender can give for a message it could not deliver (the {@code reason} of a DROP
 * line), and whether the message's fate is then unknown. The ONE list: the transports write these
 * words, the verifier and the analyzer read them.
 *
 * <p>An <em>ambiguous</em> DROP is one after which the receiver may still have the message: the
 * request may have reached it and only the acknowledgement was lost. A RECEIVE (or the receiver's
 * queue at its STOP) of the same message then settles it as a <em>late delivery</em>. After any
 * other reason the receiver answered "no", so the message is not there.
 */
public enum DropReason {
  /**
   * The peer could not be reached (connection refused or lost mid-call). Ambiguous: a lost
   * connection may have carried the request.
   */
  UNREACHABLE("unreachable", true),
  /** Every attempt ran out of time. Ambiguous: the last request may have arrived late. */
  DEADLINE("deadline", true),
  /** The call was cancelled before an answer came (the channel was shut down). Ambiguous. */
  CANCELLED("cancelled", true),
  /**
   * The receiver's queue was full, or the sender exceeded its rate limit (refused); or the sender
   * already had as many messages to that peer unacknowledged as it may (its window), so the message
   * never left. Either way the receiver does not have it.
   */
  BACKPRESSURE("backpressure", false),
  /** The receiver had stopped and takes no more messages: refused. */
  STOPPED("stopped", false),
  /** The recipient id is not one of the sender's peers: never sent. */
  UNKNOWN_PEER("unknown-peer", false),
  /**
   * The receiver refused the message with another gRPC status: written {@code refused-<status
   * code>}.
   */
  REFUSED("refused", false);

  private final String word;
  private final boolean ambiguous;

  DropReason(String word, boolean ambiguous) {
    this.word = word;
    this.ambiguous = ambiguous;
  }

  /**
   * The word written in the log ({@code refused-<code>} for {@link #REFUSED}: see {@link
   * #refused}).
   */
  public String word() {
    return word;
  }

  /** Whether the receiver may have the message after all. */
  public boolean ambiguous() {
    return ambiguous;
  }

  /**
   * The DROP reason for a refusal with status {@code code} (e.g. {@code refused-already_exists}).
   */
  public static String refused(String code) {
    return REFUSED.word + "-" + code.toLowerCase(Locale.ROOT);
  }

  /** The reason a DROP line's word stands for, or empty when no sender writes that word. */
  public static Optional<DropReason> of(String word) {
    if (word == null) {
      return Optional.empty();
    }
    if (word.startsWith(REFUSED.word + "-") && word.length() > REFUSED.word.length() + 1) {
      return Optional.of(REFUSED);
    }
    for (DropReason r : values()) {
      if (r != REFUSED && r.word.equals(word)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
