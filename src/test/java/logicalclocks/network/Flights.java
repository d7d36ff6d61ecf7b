package logicalclocks.network;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader;

/**
 * Every message of a run's logs with its SEND, RECEIVE and DROP times: what the weather tests of
 * the model, the live transport and the simulation assert on.
 */
public final class Flights {
  /** One message: who sent it to whom, when, and what became of it. */
  public static final class Flight {
    public final String id;
    public final int from;
    public final int to;
    public final Instant sent;
    public Instant received;
    public Instant dropped;
    public String dropReason;

    Flight(String id, int from, int to, Instant sent) {
      this.id = id;
      this.from = from;
      this.to = to;
      this.sent = sent;
    }

    @Override
    public String toString() {
      return id
          + " to "
          + to
          + " sent "
          + sent
          + " received "
          + received
          + " dropped "
          + dropped
          + " "
          + dropReason;
    }

    /** SEND to RECEIVE wall time. */
    public Duration gap() {
      return Duration.between(sent, received);
    }
  }

  public final SortedMap<Integer, List<EventLogReader.Line>> logs;
  public final Map<String, Flight> byId = new LinkedHashMap<>();

  /** For each receiver, the ids it RECEIVEd, in order. */
  public final Map<Integer, List<String>> receiveOrder = new LinkedHashMap<>();

  public Flights(Path dir) throws IOException, EventLogReader.BadLogException {
    this.logs = EventLogReader.readDir(dir);
    for (List<EventLogReader.Line> lines : logs.values()) {
      for (EventLogReader.Line l : lines) {
        LogEvent e = l.event();
        if (e.event() == EventType.SEND) {
          String[] ids = e.get("msg").split(",");
          String[] to = e.get("to").split(",");
          for (int i = 0; i < ids.length; i++) {
            byId.put(ids[i], new Flight(ids[i], e.vm(), Integer.parseInt(to[i]), e.ts()));
          }
        }
      }
    }
    for (List<EventLogReader.Line> lines : logs.values()) {
      for (EventLogReader.Line l : lines) {
        LogEvent e = l.event();
        if (e.event() == EventType.RECEIVE) {
          byId.get(e.get("msg")).received = e.ts();
          receiveOrder.computeIfAbsent(e.vm(), k -> new ArrayList<>()).add(e.get("msg"));
        } else if (e.event() == EventType.DROP) {
          Flight f = byId.get(e.get("msg"));
          f.dropped = e.ts();
          f.dropReason = e.get("reason");
        }
      }
    }
  }

  public List<Flight> received() {
    return byId.values().stream().filter(f -> f.received != null).toList();
  }

  /** Messages RECEIVEd after a later message of the same sender to the same receiver. */
  public long overtaken() {
    long n = 0;
    for (List<String> order : receiveOrder.values()) {
      Map<Integer, Long> highest = new LinkedHashMap<>();
      for (String id : order) {
        int from = Integer.parseInt(id.substring(0, id.indexOf('-')));
        long seq = Long.parseLong(id.substring(id.indexOf('-') + 1));
        long top = highest.getOrDefault(from, 0L);
        if (seq < top) {
          n++;
        } else {
          highest.put(from, seq);
        }
      }
    }
    return n;
  }

  /** The runs' first START. */
  public Instant start() {
    return logs.values().stream()
        .map(lines -> lines.get(0).event().ts())
        .min(Instant::compareTo)
        .orElseThrow();
  }
}
