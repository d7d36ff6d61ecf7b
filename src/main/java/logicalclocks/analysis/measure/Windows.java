package logicalclocks.analysis.measure;

import java.util.ArrayList;
import java.util.List;

/** The report's space-time windows: up to 6 of {@link #WIDTH_MS}, spread over the run. */
public final class Windows {
  public static final long WIDTH_MS = 5000;

  private Windows() {}

  /** Start times of the windows of a run whose last event is at {@code endMs}. */
  public static List<Long> starts(long endMs) {
    List<Long> starts = new ArrayList<>();
    if (endMs <= WIDTH_MS) {
      starts.add(0L);
      return starts;
    }
    int count = (int) Math.min(6, Math.ceil(endMs / (double) WIDTH_MS));
    for (int i = 0; i < count; i++) {
      long start = Math.round((endMs - WIDTH_MS) * (i / (double) Math.max(1, count - 1)));
      if (starts.isEmpty() || start > starts.get(starts.size() - 1)) {
        starts.add(start);
      }
    }
    return starts;
  }
}
