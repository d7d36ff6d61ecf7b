package logicalclocks.analysis.verify;

import java.util.Map;
import logicalclocks.clock.VectorClock;

/**
 * A vector clock's written form ({@code 0:12,1:7,2:9}, see {@link VectorClock#format}) compared
 * with an array of entries without building either.
 */
final class VectorText {
  private VectorText() {}

  /** Whether {@code text} is exactly the written form of {@code vc}. */
  static boolean equals(String text, long[] vc) {
    int n = text.length();
    int i = 0;
    int next = nextNonZero(vc, 0);
    while (i < n) {
      if (next < 0) {
        return false;
      }
      int j = i;
      long id = 0;
      while (j < n && text.charAt(j) != ':') {
        char c = text.charAt(j);
        if (c < '0' || c > '9' || j - i > 9) {
          return false;
        }
        id = id * 10 + (c - '0');
        j++;
      }
      if (j == i || j == n || id != next || (j - i > 1 && text.charAt(i) == '0')) {
        return false;
      }
      int k = ++j;
      long count = 0;
      while (k < n && text.charAt(k) != ',') {
        char c = text.charAt(k);
        if (c < '0' || c > '9' || k - j > 17) {
          return false;
        }
        count = count * 10 + (c - '0');
        k++;
      }
      if (k == j || count != vc[next] || (k - j > 1 && text.charAt(j) == '0')) {
        return false;
      }
      next = nextNonZero(vc, next + 1);
      if (k < n && k == n - 1) {
        return false; // a trailing comma
      }
      i = k + 1;
    }
    return next < 0;
  }

  private static int nextNonZero(long[] vc, int from) {
    for (int i = from; i < vc.length; i++) {
      if (vc[i] != 0) {
        return i;
      }
    }
    return -1;
  }

  static String format(long[] vc) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < vc.length; i++) {
      if (vc[i] != 0) {
        sb.append(sb.length() > 0 ? "," : "").append(i).append(':').append(vc[i]);
      }
    }
    return sb.toString();
  }

  static long[] toArray(VectorClock v) {
    Map<Integer, Long> entries = v.entries();
    int size = entries.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    long[] a = new long[size];
    entries.forEach((vm, c) -> a[vm] = c);
    return a;
  }
}
