package logicalclocks.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as data: a service's environment, with ${VAR:-default} resolved against given
 * values.
 */
final class ComposeFile {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?}");
  private final Map<String, Object> doc;

  ComposeFile(Path file) throws IOException {
    this.doc = new Yaml().load(Files.readString(file));
  }

  static ComposeFile ofProject() throws IOException {
    return new ComposeFile(projectDir().resolve("docker-compose.yml"));
  }

  static Path projectDir() {
    return Path.of(System.getProperty("lc.projectDir", "."));
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> service(String name) {
    Map<String, Object> services = (Map<String, Object>) doc.get("services");
    Map<String, Object> service = (Map<String, Object>) services.get(name);
    if (service == null) {
      throw new IllegalArgumentException("no service " + name + " in docker-compose.yml");
    }
    return service;
  }

  /** The service's environment; {@code shell} plays the variables set in the user's shell. */
  @SuppressWarnings("unchecked")
  Map<String, String> environment(String service, Map<String, String> shell) {
    Map<String, Object> env = (Map<String, Object>) service(service).get("environment");
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((k, v) -> out.put(k, substitute(String.valueOf(v), shell)));
    return out;
  }

  static String substitute(String value, Map<String, String> shell) {
    Matcher m = VAR.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = shell.get(m.group(1));
      if (v == null || v.isEmpty()) {
        v = m.group(2) == null ? "" : m.group(2);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
