package logicalclocks.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import logicalclocks.config.ConfigException;

/**
 * Fuzzes {@link Plan#read} on a file of fuzzed bytes: it returns checked variants or fails with its
 * documented errors ({@link ConfigException} for a bad plan, {@link IOException} for a file that is
 * not UTF-8 text), nothing else; and a variant's name names one folder inside the experiment's
 * output folder, never the folder itself or one outside it.
 */
class PlanFuzzTest {
  private static final Path DIR;
  private static final Path FILE;

  static {
    try {
      DIR = Files.createTempDirectory("lc-fuzz-plan");
      FILE = DIR.resolve("plan.json");
      FILE.toFile().deleteOnExit();
      DIR.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "5s")
  void read(byte[] input) throws IOException {
    Files.write(FILE, input);
    List<Variant> variants;
    try {
      variants = Plan.read(FILE, 3, 10, 1L);
    } catch (ConfigException | java.nio.charset.CharacterCodingException expected) {
      return;
    }
    assertThat(variants).isNotEmpty();
    Path out = DIR.resolve("out");
    for (Variant v : variants) {
      assertThat(v.runs()).isBetween(1, Variant.MAX_RUNS);
      assertThat(v.durationSeconds()).isBetween(1, Variant.MAX_DURATION_S);
      assertThat(out.resolve(v.name()).normalize().getParent())
          .as("folder of variant '%s'", v.name())
          .isEqualTo(out);
    }
  }
}
