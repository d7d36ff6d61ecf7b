package logicalclocks.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import logicalclocks.config.ConfigException;
import logicalclocks.config.WeatherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plan's weather keys: the same knobs as the flags, checked by the same rules. */
class PlanWeatherTest {
  @TempDir Path tmp;

  @Test
  void weatherKeysAndAListOfPartitions() throws Exception {
    Path plan = tmp.resolve("plan.json");
    Files.writeString(
        plan,
        """
        {"variants": [
          {"name": "stormy", "delayMs": 20, "jitterMs": 10, "loss": 0.02, "duplicate": 0.01,
           "reorder": 0.05, "partitions": ["at=10s,for=5s,vms=2", "at=30s,for=1s,vms=0+1"]},
          {"name": "one-cut", "partitions": "at=1s,for=1s,vms=1"},
          {"name": "calm"}
        ]}
        """);
    List<Variant> v = Plan.read(plan, 1, 60, 1);
    WeatherConfig w = v.get(0).model().weather();
    assertThat(w.delayMs()).isEqualTo(20);
    assertThat(w.jitterMs()).isEqualTo(10);
    assertThat(w.loss()).isEqualTo(0.02);
    assertThat(w.duplicate()).isEqualTo(0.01);
    assertThat(w.reorder()).isEqualTo(0.05);
    assertThat(w.partitions()).hasSize(2);
    assertThat(v.get(1).model().weather().partitions()).hasSize(1);
    assertThat(v.get(2).model().weather()).isSameAs(WeatherConfig.NONE);
  }

  @Test
  void aBadWeatherKeyNamesTheFileTheVariantAndTheKey() throws Exception {
    Path plan = tmp.resolve("plan.json");
    Files.writeString(plan, "{\"variants\": [{\"name\": \"x\", \"loss\": 2}]}");
    assertThatThrownBy(() -> Plan.read(plan, 1, 60, 1))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            plan
                + ": variant 'x' loss='2' is invalid: expected a probability from 0 to 1, e.g. 0.05");
  }

  @Test
  void aPartitionWrittenAsAnObjectIsRefusedNotIgnored() throws Exception {
    Path plan = tmp.resolve("plan.json");
    Files.writeString(
        plan,
        "{\"variants\": [{\"name\": \"x\", \"partitions\": [{\"at\": \"1s\", \"vms\": \"1\"}]}]}");
    assertThatThrownBy(() -> Plan.read(plan, 1, 60, 1))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            plan + ": variant 'x' partitions='{\"at\":\"1s\",\"vms\":\"1\"}' is invalid");
  }
}
