package logicalclocks.analysis.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import logicalclocks.analysis.measure.Series;

/**
 * events.csv and messages.csv, written as the pass reads the run (nothing held in memory):
 * events.csv has each VM's events in its order, VM after VM (each VM's rows go to a file of its
 * own, joined at the end); messages.csv has one row per message in the order its fate became final.
 */
final class CsvFiles implements AutoCloseable {
  private final Path dir;
  private final Map<Integer, Writer> events = new TreeMap<>();
  private final Writer messages;
  private Writer drift;
  private final StringBuilder row = new StringBuilder(96);

  CsvFiles(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    messages = Files.newBufferedWriter(dir.resolve("messages.csv"), StandardCharsets.UTF_8);
    messages.write("msg,from,to,sent_ms,sent_clock,recv_ms,delay_ms,outcome\n");
  }

  private Path part(int vm) {
    return dir.resolve("events.csv.vm" + vm + ".part");
  }

  void point(Series.Point p) {
    try {
      Writer w = events.get(p.vm());
      if (w == null) {
        w = Files.newBufferedWriter(part(p.vm()), StandardCharsets.UTF_8);
        events.put(p.vm(), w);
      }
      row.setLength(0);
      row.append(p.vm())
          .append(',')
          .append(p.tMs())
          .append(',')
          .append(p.event())
          .append(',')
          .append(p.clock())
          .append(',')
          .append(p.queue())
          .append(',')
          .append(p.jump())
          .append('\n');
      w.append(row);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A drift sample's row of drift.csv (its header names each VM's column in the order given). */
  void drift(Series.DriftSample d, java.util.List<Integer> vms) {
    try {
      if (drift == null) {
        drift = Files.newBufferedWriter(dir.resolve("drift.csv"), StandardCharsets.UTF_8);
        drift.write(Report.driftHeader(vms));
      }
      row.setLength(0);
      Report.driftRow(row, d);
      drift.append(row);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether drift.csv was written here (a run with samples). */
  boolean wroteDrift() {
    return drift != null;
  }

  void message(Series.Msg x) {
    row.setLength(0);
    row.append(x.id())
        .append(',')
        .append(x.from())
        .append(',')
        .append(x.to())
        .append(',')
        .append(x.sentMs())
        .append(',')
        .append(x.sentClock())
        .append(',')
        .append(x.recvMs() < 0 ? "" : x.recvMs())
        .append(',')
        .append(x.recvMs() < 0 ? "" : x.recvMs() - x.sentMs())
        .append(',')
        .append(x.outcome().word())
        .append('\n');
    try {
      messages.append(row);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    messages.close();
    if (drift != null) {
      drift.close();
    }
    for (Writer w : events.values()) {
      w.close();
    }
    Path out = dir.resolve("events.csv");
    Files.writeString(out, "vm,t_ms,event,clock,queue,jump\n", StandardCharsets.UTF_8);
    for (int vm : events.keySet()) {
      try (var o = Files.newOutputStream(out, StandardOpenOption.APPEND)) {
        Files.copy(part(vm), o);
      }
      Files.delete(part(vm));
    }
  }
}
