package logicalclocks.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the project starts a JVM of its own (the fault campaign's nodes, the benchmark suite's runs,
 * every test that starts one): this JVM's own {@code java}, and one rule for the environment the
 * child inherits — only what locates the machine's tools and locale ({@link #INHERITED}), nothing
 * of this process's settings (no {@code ID}, {@code PEERS}, {@code TLS_*}, {@code NET_*}, {@code
 * CLOCK_*}, ... of a shell that happens to have them); the caller then sets what the child is to
 * get.
 */
public final class ChildJvm {
  /** The variables a child inherits, when this process has them. */
  public static final Set<String> INHERITED =
      Set.of("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ", "JAVA_HOME");

  private ChildJvm() {}

  /** This JVM's {@code java} executable. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code java JVM_ARGS -jar JAR ARGS}, with {@code env} on top of the inherited variables. */
  public static ProcessBuilder jar(
      Path jar, List<String> jvmArgs, List<String> args, Map<String, String> env) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(args);
    return build(cmd, env);
  }

  /**
   * {@code java JVM_ARGS -cp <this JVM's class path> MAIN ARGS} (a test's classes, or the jar this
   * JVM runs), with {@code env} on top of the inherited variables.
   */
  public static ProcessBuilder main(
      String mainClass, List<String> jvmArgs, List<String> args, Map<String, String> env) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(args);
    return build(cmd, env);
  }

  private static ProcessBuilder build(List<String> cmd, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> e = pb.environment();
    e.keySet().retainAll(INHERITED);
    e.putAll(env);
    return pb;
  }
}
