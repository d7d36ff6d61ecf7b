package logicalclocks.vm;

/** How a VM's messages leave it. Implementations never block the caller. */
public interface Transport {
  /**
   * Starts sending {@code message} to VM {@code to} and returns at once. Later, from any thread,
   * exactly one of {@code outcome}'s methods is called.
   */
  void send(int to, Message message, Outcome outcome);

  /**
   * Sends again a message sent before a restart, whose fate is unknown: a retry of the same id,
   * never refused here for a reason the receiver did not give (such as a full window).
   */
  default void resend(int to, Message message, Outcome outcome) {
    send(to, message, outcome);
  }

  /** The fate of one sent message. */
  interface Outcome {
    void delivered();

    /**
     * Not delivered; {@code reason} is a short word (unreachable, deadline, backpressure, stopped,
     * ...).
     */
    void dropped(String reason);
  }
}
