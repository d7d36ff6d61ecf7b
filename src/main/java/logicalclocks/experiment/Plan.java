package logicalclocks.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import logicalclocks.config.ConfigException;
import logicalclocks.config.ModelConfig;
import logicalclocks.config.ModelConfig.Field;

/**
 * An experiment plan file (JSON): {@code {"variants": [{"name": "x", "rates": [3,5,2], ...}]}}.
 * Keys of a variant: name (required), description, the model's keys (machines, tickRate, minRate,
 * maxRate, rates, dieSides, queueCapacity, sendTimeoutMs, and the weather's delayMs, jitterMs,
 * loss, duplicate, reorder, partitions (a spec or a list of them); defaults as for {@code local}),
 * and runs, durationSeconds, seed (defaults from the command line). The model is checked by {@link
 * ModelConfig.Builder}; an error names the file, the variant and the key. Unknown keys are errors
 * (a misspelt key would otherwise be ignored).
 */
public final class Plan {
  /** The plan key of each model field. */
  static final Map<String, Field> MODEL_KEYS =
      Map.ofEntries(
          Map.entry("machines", Field.MACHINES),
          Map.entry("tickRate", Field.TICK_RATE),
          Map.entry("minRate", Field.MIN_TICK_RATE),
          Map.entry("maxRate", Field.MAX_TICK_RATE),
          Map.entry("rates", Field.RATES),
          Map.entry("dieSides", Field.DIE_SIDES),
          Map.entry("queueCapacity", Field.QUEUE_CAPACITY),
          Map.entry("sendTimeoutMs", Field.SEND_TIMEOUT_MS),
          Map.entry("delayMs", Field.NET_DELAY_MS),
          Map.entry("jitterMs", Field.NET_JITTER_MS),
          Map.entry("loss", Field.NET_LOSS),
          Map.entry("duplicate", Field.NET_DUPLICATE),
          Map.entry("reorder", Field.NET_REORDER),
          Map.entry("partitions", Field.NET_PARTITION));

  private static final List<String> OTHER_KEYS =
      List.of("name", "description", "runs", "durationSeconds", "seed");

  private Plan() {}

  public static List<Variant> read(Path file, int runs, int duration, long seed)
      throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          "--plan", file.toString(), "a JSON plan file (" + e.getOriginalMessage() + ")");
    }
    JsonNode list = root.path("variants");
    if (!list.isArray() || list.isEmpty()) {
      throw new ConfigException(
          "--plan", file.toString(), "{\"variants\": [ ... ]} with at least one variant");
    }
    List<Variant> out = new ArrayList<>();
    int index = 0;
    for (JsonNode v : list) {
      String where = file + ": variant " + index++;
      if (!v.path("name").isTextual()) {
        throw new ConfigException(
            where + " name",
            v.path("name").isMissingNode() ? null : v.path("name").toString(),
            "a name (every variant needs one)");
      }
      String name = v.get("name").asText();
      String prefix = file + ": variant '" + name + "' ";
      for (Iterator<String> keys = v.fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (!MODEL_KEYS.containsKey(key) && !OTHER_KEYS.contains(key)) {
          throw new ConfigException(
              prefix + "key", key, "one of " + OTHER_KEYS + " or " + MODEL_KEYS.keySet());
        }
      }
      Map<Field, String> keyOf =
          MODEL_KEYS.entrySet().stream()
              .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
      ModelConfig.Builder model = ModelConfig.builder().labels(f -> prefix + keyOf.get(f));
      MODEL_KEYS.forEach(
          (key, field) ->
              model.set(
                  field,
                  field == Field.NET_PARTITION ? text(v.get(key), ";") : text(v.get(key), ",")));
      out.add(
          new Variant(
              name,
              v.path("description").asText(""),
              model.build(),
              integer(v, "runs", runs, prefix),
              integer(v, "durationSeconds", duration, prefix),
              integer(v, "seed", seed, prefix)));
    }
    return out;
  }

  /** A JSON value as the user typed it: arrays as comma-separated text. */
  private static String text(JsonNode node, String separator) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isArray()) {
      // an element that is not a plain value (an object, an array) stays as typed, so the
      // model's checks refuse it instead of reading it as empty
      return StreamSupport.stream(node.spliterator(), false)
          .map(n -> n.isValueNode() ? n.asText() : n.toString())
          .collect(Collectors.joining(separator));
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  private static long integer(JsonNode v, String key, long dflt, String prefix) {
    JsonNode n = v.get(key);
    if (n == null) {
      return dflt;
    }
    if (!n.canConvertToLong() || !n.isIntegralNumber()) {
      throw new ConfigException(prefix + key, n.toString(), "a whole number");
    }
    return n.asLong();
  }

  private static int integer(JsonNode v, String key, int dflt, String prefix) {
    long value = integer(v, key, (long) dflt, prefix);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new ConfigException(prefix + key, "" + value, "a whole number that fits in 32 bits");
    }
    return (int) value;
  }
}
