package logicalclocks.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import logicalclocks.clock.PhysicalClock;
import logicalclocks.config.ConfigException;
import logicalclocks.config.ConfigParser;
import logicalclocks.config.NodeConfig;
import logicalclocks.config.Source;
import logicalclocks.vm.Seeds;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml's physical-clock and network-weather knobs as data: every VM gets CLOCK_* and
 * NET_*, empty (calm) unless the shell sets them; a VM's own clock comes from VM&lt;n&gt;_CLOCK_*,
 * and what a VM gets parses as the node would parse it.
 */
class ComposeClockKnobsTest {
  static final List<String> CLOCK =
      List.of("CLOCK_OFFSET_MS", "CLOCK_DRIFT_PPM", "CLOCK_STEPS", "CLOCK_SKEW_MS");
  static final List<String> NET =
      List.of(
          "NET_DELAY_MS",
          "NET_JITTER_MS",
          "NET_LOSS",
          "NET_DUPLICATE",
          "NET_REORDER",
          "NET_PARTITION");

  /** VM {@code i}'s physical clock as its node would set it from compose's env. */
  static PhysicalClock.Spec clockOf(ComposeFile compose, int i, Map<String, String> shell) {
    NodeConfig node = node(compose, i, shell);
    long seed = node.model().seed() == null ? 0 : node.model().seed();
    return Seeds.physicalClock(node.model().clocks(), node.id(), seed);
  }

  static NodeConfig node(ComposeFile compose, int i, Map<String, String> shell) {
    Map<String, String> env = new HashMap<>(compose.environment("vm" + i, shell));
    env.put("LOG_DIR", System.getProperty("java.io.tmpdir"));
    return ConfigParser.node(Source.env(env), "vm" + i);
  }

  @Test
  void everyVmGetsTheClockAndNetworkKnobsEmptyByDefault() throws Exception {
    ComposeFile compose = ComposeFile.ofProject();
    for (int i = 0; i < 3; i++) {
      Map<String, String> env = compose.environment("vm" + i, Map.of());
      for (String key : CLOCK) {
        assertThat(env).as("vm%d", i).containsEntry(key, "");
      }
      for (String key : NET) {
        assertThat(env).as("vm%d", i).containsEntry(key, "");
      }
      NodeConfig node = node(compose, i, Map.of());
      assertThat(node.model().clocks().calm()).as("vm%d's clock by default", i).isTrue();
      assertThat(clockOf(compose, i, Map.of()).exact()).isTrue();
    }
  }

  @Test
  void aVmsOwnClockComesFromItsOwnVariablesOnly() throws Exception {
    ComposeFile compose = ComposeFile.ofProject();
    Map<String, String> shell =
        Map.of(
            "VM1_CLOCK_OFFSET_MS", "180000",
            "VM2_CLOCK_DRIFT_PPM", "-150",
            "VM0_CLOCK_STEPS", "20s:-500,40s:+200");
    assertThat(compose.environment("vm1", shell)).containsEntry("CLOCK_OFFSET_MS", "180000");
    assertThat(compose.environment("vm0", shell)).containsEntry("CLOCK_OFFSET_MS", "");
    assertThat(compose.environment("vm2", shell)).containsEntry("CLOCK_OFFSET_MS", "");

    PhysicalClock.Spec vm0 = clockOf(compose, 0, shell);
    assertThat(vm0.offsetMs()).isZero();
    assertThat(vm0.driftPpm()).isZero();
    assertThat(vm0.steps())
        .containsExactly(new PhysicalClock.Step(20_000, -500), new PhysicalClock.Step(40_000, 200));
    PhysicalClock.Spec vm1 = clockOf(compose, 1, shell);
    assertThat(vm1.offsetMs()).isEqualTo(180_000);
    assertThat(vm1.driftPpm()).isZero();
    assertThat(vm1.steps()).isEmpty();
    PhysicalClock.Spec vm2 = clockOf(compose, 2, shell);
    assertThat(vm2.offsetMs()).isZero();
    assertThat(vm2.driftPpm()).isEqualTo(-150);

    // A plain CLOCK_OFFSET_MS in the shell is nobody's: the per-VM names are the knobs.
    assertThat(clockOf(compose, 1, Map.of("CLOCK_OFFSET_MS", "5000")).exact()).isTrue();
  }

  @Test
  void theSkewIsOneSpreadEachVmDrawingItsOwnOffset() throws Exception {
    ComposeFile compose = ComposeFile.ofProject();
    Map<String, String> shell = Map.of("CLOCK_SKEW_MS", "2000", "SEED", "7");
    long[] offsets = new long[3];
    for (int i = 0; i < 3; i++) {
      assertThat(compose.environment("vm" + i, shell)).containsEntry("CLOCK_SKEW_MS", "2000");
      offsets[i] = clockOf(compose, i, shell).offsetMs();
      assertThat(offsets[i]).as("vm%d's offset", i).isBetween(-2000L, 2000L);
    }
    assertThat(offsets).as("drawn per VM, not one for all").doesNotHaveDuplicates();
    assertThat(clockOf(compose, 2, shell).offsetMs())
        .as("the same SEED, the same draw")
        .isEqualTo(offsets[2]);
    // As the file's comment says: a spread and a VM's own offset together are refused.
    Map<String, String> both = Map.of("CLOCK_SKEW_MS", "2000", "VM1_CLOCK_OFFSET_MS", "180000");
    assertThatThrownBy(() -> node(compose, 1, both))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLOCK_SKEW_MS='2000'");
  }
}
