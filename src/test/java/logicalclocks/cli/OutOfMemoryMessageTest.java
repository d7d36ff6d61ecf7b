package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The out-of-memory line says what to do, and what memory grows with only where that is known. */
class OutOfMemoryMessageTest {
  @Test
  void anAnalysisSaysWhatItsMemoryGrowsWith() {
    assertThat(Main.outOfMemory("analyze"))
        .startsWith("error: out of memory (the heap's limit is ")
        .contains("java -Xmx2g -jar logical-clocks.jar")
        .contains("messages whose fate is still open")
        .contains("a long partition needs more")
        .doesNotContain("not for the run's length");
  }

  @Test
  void anotherCommandIsNotToldAboutAnalysis() {
    for (String command : new String[] {"local", "node", "bench", "chaos", null}) {
      assertThat(Main.outOfMemory(command))
          .contains("java -Xmx2g")
          .doesNotContain("analysis")
          .doesNotContain("run's length");
    }
  }
}
