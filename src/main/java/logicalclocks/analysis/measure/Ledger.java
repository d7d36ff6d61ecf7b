package logicalclocks.analysis.measure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import logicalclocks.analysis.stream.Fates;
import logicalclocks.analysis.stream.RunInfo;
import logicalclocks.event.EventType;
import logicalclocks.log.EventLogReader.Line;

/**
 * Counts of the run's messages by fate, told by {@link Fates} as the pass settles them: sent, sent
 * to each VM, received, dropped, late deliveries (a RECEIVE, or a place in the queue at STOP, after
 * an ambiguous DROP: the message counts as delivered, not dropped), and the delays of the messages
 * each VM received. Each message's final row goes to the row consumers.
 */
public final class Ledger implements Fates.Listener {
  private RunInfo run = new RunInfo(new java.util.TreeSet<>(), 0, new java.util.TreeMap<>(), 0);
  private final Map<Integer, long[]> sentTo = new HashMap<>();
  private final Map<Integer, Histogram> delaysTo = new HashMap<>();
  private final List<Consumer<Series.Msg>> rows = new ArrayList<>();
  private long sent;
  private long received;
  private long dropped;
  private long late;

  /** Times are milliseconds since the run's first event, in host time ({@link RunInfo#tMs}). */
  public void base(RunInfo info) {
    this.run = info;
  }

  /** Also gives each message's final row to {@code row}. */
  public Ledger rows(Consumer<Series.Msg> row) {
    rows.add(row);
    return this;
  }

  @Override
  public void sent(Fates.Sent s) {
    sent++;
    sentTo.computeIfAbsent(s.to(), k -> new long[1])[0]++;
  }

  @Override
  public void settled(Fates.Sent s, Line fate, boolean ambiguous) {
    switch (fate.event().event()) {
      case RECEIVE -> receive(s, fate);
      case DROP -> dropped++;
      default -> {}
    }
  }

  @Override
  public void late(String id, Fates.Sent s, Line fate) {
    late++;
    if (fate.event().event() != EventType.DROP) {
      dropped--;
      if (fate.event().event() == EventType.RECEIVE) {
        receive(s, fate);
      }
    }
  }

  /**
   * A fate that is a violation still counts as the ledger always counted: a RECEIVE is received, a
   * DROP and a delivery of the same message make a late delivery whatever the DROP's reason.
   */
  @Override
  public void extra(String id, Fates.Sent s, Line fate, Line first, EventType firstType) {
    EventType type = fate.event().event();
    if (type == EventType.RECEIVE) {
      receive(s, fate);
    }
    if (type == EventType.DROP) {
      if (firstType == EventType.DROP) {
        dropped++;
      } else {
        late++;
      }
    } else if (firstType == EventType.DROP) {
      dropped--;
      late++;
    }
  }

  private void receive(Fates.Sent s, Line fate) {
    received++;
    if (s != null) {
      delaysTo.computeIfAbsent(fate.event().vm(), k -> new Histogram()).add(ms(fate) - sentMs(s));
    }
  }

  @Override
  public void outcome(Fates.Sent s, Fates.Outcome outcome, Line receive) {
    if (rows.isEmpty()) {
      return;
    }
    Series.Msg m =
        new Series.Msg(
            s.id(),
            s.from(),
            s.to(),
            sentMs(s),
            s.clock(),
            receive == null ? -1 : ms(receive),
            switch (outcome) {
              case RECEIVED -> Series.Fate.RECEIVED;
              case DROPPED -> Series.Fate.DROPPED;
              case QUEUED -> Series.Fate.QUEUED;
            });
    rows.forEach(r -> r.accept(m));
  }

  private long ms(Line l) {
    return run.tMs(l.event().vm(), l.event());
  }

  private long sentMs(Fates.Sent s) {
    return run.tMs(s.from(), s.line().event());
  }

  public long sent() {
    return sent;
  }

  public long sentTo(int vm) {
    long[] c = sentTo.get(vm);
    return c == null ? 0 : c[0];
  }

  public Histogram delaysTo(int vm) {
    return delaysTo.getOrDefault(vm, new Histogram());
  }

  public long received() {
    return received;
  }

  public long dropped() {
    return dropped;
  }

  public long late() {
    return late;
  }
}
