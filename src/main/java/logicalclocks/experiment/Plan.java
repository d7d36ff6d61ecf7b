package logicalclocks.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An experiment plan file (JSON): {@code {"variants": [{"name": "x", "rates": [3,5,2], ...}]}}. Keys of a
 * variant: name (required), description, machines (3), rates ([] = pick), minRate (1), maxRate (6), dieSides
 * (10), runs (defaults from the command line), durationSeconds, seed.
 */
public final class Plan {
  private Plan() {}

  public static List<Variant> read(Path file, int runs, int duration, long seed) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readString(file));
    JsonNode list = root.path("variants");
    if (!list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException(file + ": expected {\"variants\": [ ... ]} with at least one variant");
    }
    List<Variant> out = new ArrayList<>();
    for (JsonNode v : list) {
      if (!v.path("name").isTextual()) {
        throw new IllegalArgumentException(file + ": every variant needs a \"name\"");
      }
      List<Integer> rates = new ArrayList<>();
      v.path("rates").forEach(r -> rates.add(r.asInt()));
      out.add(new Variant(v.get("name").asText(), v.path("description").asText(""), v.path("machines").asInt(3),
          rates, v.path("minRate").asInt(1), v.path("maxRate").asInt(6), v.path("dieSides").asInt(10),
          v.path("runs").asInt(runs), v.path("durationSeconds").asInt(duration), v.path("seed").asLong(seed)));
    }
    return out;
  }
}
