package logicalclocks.analysis.stream;

/** Message ids {@code <sender>-<seq>}, read as the VMs write them. */
public final class MessageIds {
  private MessageIds() {}

  /**
   * A number written as the writer writes it: ASCII digits, no sign, no leading zero, at most 18
   * digits (so it fits a long); else -1. A message id is matched as text, so two spellings of one
   * number ({@code 0-1}, {@code 0-01}, {@code 0-+1}) must not both pass as well formed.
   */
  public static long canonical(String s, int from, int to) {
    int n = to - from;
    if (s == null || n <= 0 || n > 18 || (n > 1 && s.charAt(from) == '0')) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  public static long canonical(String s) {
    return s == null ? -1 : canonical(s, 0, s.length());
  }

  /** The sender of a message id {@code <sender>-<seq>}, or -1. */
  public static int senderOf(String msg) {
    int dash = msg == null ? -1 : msg.indexOf('-');
    long v = dash <= 0 || dash > 10 ? -1 : canonical(msg, 0, dash);
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  /** The sequence of a well-formed message id, or -1. */
  public static long seqOf(String msg) {
    int dash = msg == null ? -1 : msg.indexOf('-');
    if (dash <= 0 || dash > 10 || canonical(msg, 0, dash) < 0) {
      return -1;
    }
    return canonical(msg, dash + 1, msg.length());
  }
}
