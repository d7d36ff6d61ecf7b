package logicalclocks.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads k8s/ strictly into fabric8 model classes: an unknown kind, apiVersion or field anywhere is
 * an error. (fabric8 keeps unknown fields in additionalProperties rather than failing, so every
 * object is walked.)
 */
final class Manifests {
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "v1/Service", Service.class,
          "apps/v1/StatefulSet", StatefulSet.class,
          "apps/v1/Deployment", Deployment.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
          "batch/v1/Job", Job.class);

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  final List<HasMetadata> objects = new ArrayList<>();

  static Manifests load(Path dir) throws IOException {
    Manifests m = new Manifests();
    try (Stream<Path> files = Files.list(dir)) {
      // kustomization.yaml is kustomize's, not an object: KustomizeTest renders it.
      for (Path f :
          files
              .filter(p -> p.toString().matches(".*\\.ya?ml"))
              .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
              .sorted()
              .toList()) {
        m.objects.addAll(parse(f.getFileName().toString(), Files.readString(f)));
      }
    }
    return m;
  }

  static List<HasMetadata> parse(String name, String yaml) throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    try (var docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = (JsonNode) docs.next();
        if (doc == null || doc.isNull() || doc.isEmpty()) {
          continue;
        }
        String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        Class<? extends HasMetadata> type = KINDS.get(key);
        if (type == null) {
          throw new IllegalArgumentException(name + ": unexpected apiVersion/kind " + key);
        }
        HasMetadata obj = YAML.treeToValue(doc, type);
        List<String> unknown = new ArrayList<>();
        walk(obj, type.getSimpleName(), unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) {
          throw new IllegalArgumentException(name + ": unknown field(s) " + unknown);
        }
        out.add(obj);
      }
    }
    return out;
  }

  private static void walk(
      Object o, String path, List<String> unknown, IdentityHashMap<Object, Boolean> seen) {
    if (o == null || seen.put(o, true) != null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        walk(e, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (o instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object v;
      try {
        v = m.invoke(o);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(k -> unknown.add(path + "." + k));
        }
        continue;
      }
      walk(v, path + "." + field, unknown, seen);
    }
  }

  <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    if (found.size() != 1) {
      throw new IllegalStateException(
          "expected one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  /** The {@code type} object named {@code name}. */
  <T extends HasMetadata> T named(Class<T> type, String name) {
    List<T> found =
        objects.stream()
            .filter(type::isInstance)
            .map(type::cast)
            .filter(o -> o.getMetadata().getName().equals(name))
            .toList();
    if (found.size() != 1) {
      throw new IllegalStateException(
          "expected one " + type.getSimpleName() + " " + name + ", found " + found.size());
    }
    return found.get(0);
  }

  static Set<String> kinds(Manifests m) {
    return Set.copyOf(m.objects.stream().map(HasMetadata::getKind).toList());
  }
}
