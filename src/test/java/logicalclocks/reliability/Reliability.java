package logicalclocks.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Rows of RELIABILITY.md, recorded by the tests that inject each fault or bad input: what was tried, how, what
 * happened, what the logs showed. {@link ReportWriter} assembles them into target/reliability/RELIABILITY.md
 * when a test run ends.
 */
public final class Reliability {
  static final Path DIR = Path.of(System.getProperty("lc.projectDir", "."), "target", "reliability");

  private Reliability() {}

  /** Records one row; {@code key} orders the rows (and a re-run replaces its row). */
  public static void record(String key, String fault, String how, String happened, String logs) {
    try {
      Files.createDirectories(DIR.resolve("rows"));
      Files.writeString(DIR.resolve("rows").resolve(key + ".md"),
          "| " + cell(fault) + " | " + cell(how) + " | " + cell(happened) + " | " + cell(logs) + " |\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  /** Assembles RELIABILITY.md from every recorded row. */
  static void assemble() throws IOException {
    Path rows = DIR.resolve("rows");
    if (!Files.isDirectory(rows)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(rows)) {
      files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".md")).sorted().toList());
    }
    StringBuilder md = new StringBuilder("""
        # Reliability

        Every fault and bad input below was injected by a test of this project; each row is written by that test
        from what it observed (generated: `./mvnw verify`, then `target/reliability/RELIABILITY.md`). The
        fault tests run the real container image (Testcontainers); the bad-input tests use a real gRPC client
        against a real VM server. After every fault test the logs pass `analyze`: every clock rule holds and every
        message is accounted for.

        | fault or input | how it was injected | what happened | what the logs showed |
        |---|---|---|---|
        """);
    for (Path f : files) {
      md.append(Files.readString(f, StandardCharsets.UTF_8));
    }
    md.append("""

        Known limits: a message whose request reached the receiver but whose acknowledgement was lost in the same
        instant as a network cut or a pause, and whose retries then all failed, is DROPped by the sender although
        the receiver holds it; the receiver refuses requests within 200 ms of their deadline, and retries carry the
        same id, which narrows that window to a race of microseconds. No test run has hit it.

        Load and memory are measured by `bench` (a benchmark that prints numbers, not a timed test); its latest
        results are appended below this table in the committed RELIABILITY.md.
        """);
    Files.writeString(DIR.resolve("RELIABILITY.md"), md.toString(), StandardCharsets.UTF_8);
  }
}
