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
 * Rows of RELIABILITY.md, recorded by the tests that inject each fault or bad input: what was
 * tried, how, what happened, what the logs showed. {@link ReportWriter} assembles them into
 * target/reliability/RELIABILITY.md when a test run ends.
 */
public final class Reliability {
  static final Path DIR =
      Path.of(System.getProperty("lc.projectDir", "."), "target", "reliability");

  private Reliability() {}

  /** Records one row; {@code key} orders the rows (and a re-run replaces its row). */
  public static void record(String key, String fault, String how, String happened, String logs) {
    try {
      Files.createDirectories(DIR.resolve("rows"));
      Files.writeString(
          DIR.resolve("rows").resolve(key + ".md"),
          "| "
              + cell(fault)
              + " | "
              + cell(how)
              + " | "
              + cell(happened)
              + " | "
              + cell(logs)
              + " |\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A cell made only of what the calling test asserted: pairs of (phrase, condition). Each
   * condition is asserted (a false one fails the test, naming its phrase), and the phrases are
   * joined with "; ". A cell built this way cannot say what the test did not check.
   */
  public static String checked(Object... phrasesAndConditions) {
    if (phrasesAndConditions.length == 0 || phrasesAndConditions.length % 2 != 0) {
      throw new IllegalArgumentException("phrases and conditions come in pairs");
    }
    List<String> phrases = new ArrayList<>();
    for (int i = 0; i < phrasesAndConditions.length; i += 2) {
      String phrase = (String) phrasesAndConditions[i];
      if (!(Boolean) phrasesAndConditions[i + 1]) {
        throw new AssertionError(
            "RELIABILITY.md would say \"" + phrase + "\", but the test observed otherwise");
      }
      phrases.add(phrase);
    }
    return String.join("; ", phrases);
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
    StringBuilder md =
        new StringBuilder(
            """
        # Reliability

        Every fault and bad input below was injected by a test of this project; each row is written by that test
        from what it asserted (generated: `./mvnw verify`, then `target/reliability/RELIABILITY.md`). The
        column "how it was injected" says where each ran: the real container image (Testcontainers), real `node`
        processes on loopback, or nodes in one JVM over grpc-java's in-process transport (the real services,
        stubs and channels, no sockets); the bad-input tests use a real gRPC client against a real VM server.
        After every fault test the logs pass the verifier: every clock rule holds and every message is accounted
        for.

        | fault or input | how it was injected | what happened | what the logs showed |
        |---|---|---|---|
        """);
    for (Path f : files) {
      md.append(Files.readString(f, StandardCharsets.UTF_8));
    }
    md.append(
        """

        Known limits (by design, not measured here): a message whose request reached the receiver but whose
        acknowledgement was lost (a network cut, a pause, a stream that failed), or whose request was held up and
        arrived after its sender gave up, is DROPped by the sender with an ambiguous reason although the receiver
        holds it; the verifier counts it as a late delivery (its RECEIVE, or the receiver's queue at STOP, settles
        it). A VM restarted while its peers are gone for good waits STARTUP_TIMEOUT, then exits 1 without logging:
        its log stays unstopped until a start with its peers. Without mutual TLS any client that reaches a VM's port
        can claim any sender id: see README, "Mutual TLS".

        Load and memory are measured by `bench` (a benchmark that prints numbers, not a timed test): see
        BENCHMARKS.md, written by `bench --suite BENCHMARKS.md`.
        """);
    Files.writeString(DIR.resolve("RELIABILITY.md"), md.toString(), StandardCharsets.UTF_8);
  }
}
