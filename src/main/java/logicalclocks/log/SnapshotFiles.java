package logicalclocks.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import logicalclocks.vm.Snapshots;

/**
 * A snapshot's record on disk, {@code <log dir>/snapshots/<id>.json}: the one writer and the one
 * reader of its form.
 *
 * <pre>{"id": 1, "complete": true, "reason": null, "vms": [{"vm": 0, "events": 12, "clock": 15,
 *  "queue": ["1-3"], "channels": {"1": ["1-4"], "2": []}}, ...]}</pre>
 */
public final class SnapshotFiles {
  /** The folder of a run's snapshot records, under its log folder. */
  public static final String DIR = "snapshots";

  /** Largest record read (a VM's queue at a cut is at most its capacity, 10^7 ids). */
  public static final long MAX_BYTES = 512L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SnapshotFiles() {}

  /** Writes {@code r} as {@code <logDir>/snapshots/<id>.json} (replacing one of the same id). */
  public static Path write(Path logDir, Snapshots.Record r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", r.id());
    root.put("complete", r.complete());
    if (r.reason() == null) {
      root.putNull("reason");
    } else {
      root.put("reason", r.reason());
    }
    ArrayNode vms = root.putArray("vms");
    for (Snapshots.VmState s : r.vms()) {
      ObjectNode v = vms.addObject();
      v.put("vm", s.vm());
      v.put("events", s.events());
      v.put("clock", s.clock());
      ArrayNode q = v.putArray("queue");
      s.queue().forEach(q::add);
      ObjectNode ch = v.putObject("channels");
      s.channels()
          .forEach(
              (from, ids) -> {
                ArrayNode a = ch.putArray(Integer.toString(from));
                ids.forEach(a::add);
              });
    }
    try {
      Path file = path(logDir, r.id());
      Path dir = file.getParent();
      Files.createDirectories(dir);
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The id a record's file name gives ({@code <id>.json}, the id from 1 written plainly), or 0. */
  public static long idOf(String fileName) {
    return fileName.matches("[1-9][0-9]{0,17}\\.json")
        ? Long.parseLong(fileName.substring(0, fileName.length() - 5))
        : 0;
  }

  /** How many of a folder's records ({@link #read}, or the reason one could not be) completed. */
  public record Tally(int records, int complete, List<String> failed) {}

  /** Tallies records as {@code Analyzer.snapshotRecords} gives them (a record, or why not one). */
  public static Tally tally(Map<String, Object> records) {
    int complete = 0;
    List<String> failed = new ArrayList<>();
    for (Object r : records.values()) {
      if (r instanceof Snapshots.Record rec) {
        if (rec.complete()) {
          complete++;
        } else {
          failed.add(rec.id() + ": " + rec.reason());
        }
      }
    }
    return new Tally(records.size(), complete, List.copyOf(failed));
  }

  /** Where snapshot {@code id}'s record is, in a log folder. */
  public static Path path(Path logDir, long id) {
    return logDir.resolve(DIR).resolve(id + ".json");
  }

  /** Deletes a log folder's snapshot records (a new run's logs replace the old ones). */
  public static void clear(Path logDir) throws IOException {
    for (Path p : files(logDir).values()) {
      Files.delete(p);
    }
  }

  /**
   * Deletes a log folder's snapshot records when its log is new ({@code fresh}): a run that resumes
   * after a restart keeps those of its earlier processes.
   */
  public static void clearIfNew(Path logDir, boolean fresh) {
    if (fresh) {
      try {
        clear(logDir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The record files of a log folder, by id (none: empty). */
  public static Map<Long, Path> files(Path logDir) throws IOException {
    Map<Long, Path> out = new TreeMap<>();
    Path dir = logDir.resolve(DIR);
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        long id = idOf(name);
        if (id > 0) {
          out.put(id, p);
        }
      }
    }
    return out;
  }

  /** A record that is not in the form {@link #write} writes. */
  public static final class BadRecordException extends Exception {
    public BadRecordException(String message) {
      super(message);
    }
  }

  /**
   * Reads a record, strictly: every key present with its type, nothing else.
   *
   * @throws BadRecordException naming the first thing wrong
   */
  public static Snapshots.Record read(Path file) throws IOException, BadRecordException {
    if (Files.size(file) > MAX_BYTES) {
      throw new BadRecordException("larger than " + (MAX_BYTES >> 20) + " MiB");
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new BadRecordException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadRecordException("not a JSON object");
    }
    keys(root, "", "id", "complete", "reason", "vms");
    long id = number(root, "id", "");
    if (!root.get("complete").isBoolean()) {
      throw new BadRecordException("complete must be true or false");
    }
    boolean complete = root.get("complete").booleanValue();
    JsonNode reason = root.get("reason");
    if (!(reason.isNull() || reason.isTextual()) || complete != reason.isNull()) {
      throw new BadRecordException(
          "reason must be null for a complete snapshot and a string for a failed one");
    }
    if (!root.get("vms").isArray()) {
      throw new BadRecordException("vms must be an array");
    }
    List<Snapshots.VmState> vms = new ArrayList<>();
    int k = 0;
    for (JsonNode v : root.get("vms")) {
      String where = "vms[" + k++ + "].";
      if (!v.isObject()) {
        throw new BadRecordException(where + " must be an object");
      }
      keys(v, where, "vm", "events", "clock", "queue", "channels");
      long vm = number(v, "vm", where);
      if (vm > Integer.MAX_VALUE) {
        throw new BadRecordException(where + "vm out of range: " + vm);
      }
      List<String> queue = ids(v.get("queue"), where + "queue");
      JsonNode ch = v.get("channels");
      if (!ch.isObject()) {
        throw new BadRecordException(where + "channels must be an object");
      }
      Map<Integer, List<String>> channels = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = ch.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().matches("0|[1-9][0-9]{0,8}")) {
          throw new BadRecordException(where + "channels: '" + e.getKey() + "' is not a VM id");
        }
        channels.put(
            Integer.parseInt(e.getKey()), ids(e.getValue(), where + "channels." + e.getKey()));
      }
      vms.add(
          new Snapshots.VmState(
              (int) vm, number(v, "events", where), number(v, "clock", where), queue, channels));
    }
    return new Snapshots.Record(id, complete, reason.isNull() ? null : reason.textValue(), vms);
  }

  private static void keys(JsonNode o, String where, String... names) throws BadRecordException {
    for (String n : names) {
      if (!o.has(n)) {
        throw new BadRecordException(where + n + " missing");
      }
    }
    if (o.size() != names.length) {
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!List.of(names).contains(f)) {
          throw new BadRecordException(where + f + ": not a key of a snapshot record");
        }
      }
    }
  }

  private static long number(JsonNode o, String key, String where) throws BadRecordException {
    JsonNode n = o.get(key);
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
      throw new BadRecordException(where + key + " must be an integer >= 0, got " + n);
    }
    return n.longValue();
  }

  private static List<String> ids(JsonNode a, String where) throws BadRecordException {
    if (a == null || !a.isArray()) {
      throw new BadRecordException(where + " must be an array of message ids");
    }
    List<String> out = new ArrayList<>(a.size());
    for (JsonNode x : a) {
      if (!x.isTextual() || !x.textValue().matches("(0|[1-9][0-9]{0,8})-[1-9][0-9]{0,17}")) {
        throw new BadRecordException(where + ": " + x + " is not a message id <sender>-<seq>");
      }
      out.add(x.textValue());
    }
    return out;
  }
}
