package logicalclocks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The weather's knobs, checked in the config layer like every other. */
class WeatherConfigTest {
  @TempDir Path tmp;

  static ModelConfig.Builder with(ModelConfig.Field f, String v) {
    return ModelConfig.builder().set(f, v);
  }

  @Test
  void calmByDefaultAndWhenEveryKnobIsZero() {
    assertThat(ModelConfig.defaults().weather()).isSameAs(WeatherConfig.NONE);
    assertThat(ModelConfig.defaults().weather().calm()).isTrue();
    assertThat(with(ModelConfig.Field.NET_LOSS, "0").build().weather())
        .isSameAs(WeatherConfig.NONE);
  }

  @Test
  void everyKnobIsRead() {
    ModelConfig m =
        ModelConfig.builder()
            .set(ModelConfig.Field.NET_DELAY_MS, "20")
            .set(ModelConfig.Field.NET_JITTER_MS, "10")
            .set(ModelConfig.Field.NET_LOSS, "0.02")
            .set(ModelConfig.Field.NET_DUPLICATE, "1")
            .set(ModelConfig.Field.NET_REORDER, "0.5")
            .set(ModelConfig.Field.NET_PARTITION, "at=10s,for=5s,vms=2; at=500ms,for=1m,vms=0+1")
            .build();
    WeatherConfig w = m.weather();
    assertThat(w.delayMs()).isEqualTo(20);
    assertThat(w.jitterMs()).isEqualTo(10);
    assertThat(w.loss()).isEqualTo(0.02);
    assertThat(w.duplicate()).isEqualTo(1.0);
    assertThat(w.reorder()).isEqualTo(0.5);
    assertThat(w.partitions())
        .containsExactly(
            new WeatherConfig.Partition(10_000, 5_000, new TreeSet<>(Set.of(2))),
            new WeatherConfig.Partition(500, 60_000, new TreeSet<>(Set.of(0, 1))));
    assertThat(w.label())
        .isEqualTo(
            "delay 20+U(0,10) ms, loss 0.02, duplicate 1.0, reorder 0.5,"
                + " partition at=10000ms,for=5000ms,vms=2, partition at=500ms,for=60000ms,vms=0+1");
    // the builder's own form round-trips
    assertThat(ModelConfig.builder().weather(w).build().weather()).isEqualTo(w);
    // and the other knobs keep it
    assertThat(m.withSeed(3L).weather()).isEqualTo(w);
    assertThat(m.withVectorClocks(false).weather()).isEqualTo(w);
  }

  @Test
  void partitionsFromAFileOnePerLine() throws Exception {
    Path file = tmp.resolve("cuts.txt");
    Files.writeString(
        file, "# VM 2 alone, then VM 0\nat=10s,for=5s,vms=2\n\n  at=30s,for=2s,vms=0\n");
    WeatherConfig w = with(ModelConfig.Field.NET_PARTITION, "@" + file).build().weather();
    assertThat(w.partitions())
        .extracting(WeatherConfig.Partition::atMs)
        .containsExactly(10_000L, 30_000L);
    assertThatThrownBy(
            () -> with(ModelConfig.Field.NET_PARTITION, "@" + tmp.resolve("none")).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read '" + tmp.resolve("none") + "'");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "NET_LOSS|1.5|NET_LOSS='1.5' is invalid: expected a probability from 0 to 1, e.g. 0.05",
        "NET_LOSS|-0.1|NET_LOSS='-0.1' is invalid: expected a probability from 0 to 1, e.g. 0.05",
        "NET_DUPLICATE|NaN|NET_DUPLICATE='NaN' is invalid: expected a probability from 0 to 1, e.g. 0.05",
        "NET_REORDER|often|NET_REORDER='often' is invalid: expected a probability from 0 to 1, e.g. 0.05",
        "NET_DELAY_MS|-1|NET_DELAY_MS='-1' is invalid: expected milliseconds from 0 to 60000",
        "NET_JITTER_MS|60001|NET_JITTER_MS='60001' is invalid: expected milliseconds from 0 to 60000",
      })
  void badValuesNameTheKnobTheValueAndTheForm(String field, String value, String message) {
    assertThatThrownBy(() -> with(ModelConfig.Field.valueOf(field), value).build())
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "at=10s,for=5s|entry 1 'at=10s,for=5s': vms= is missing or not ids from 0 to 2, not every VM",
        "at=10s,for=5s,vms=3|entry 1 'at=10s,for=5s,vms=3': vms= is missing or not ids",
        "at=10s,for=5s,vms=0+1+2|vms= is missing or not ids from 0 to 2, not every VM",
        "at=10s,for=0s,vms=1|for= is missing or not a time from 1ms up to 7 days",
        "at=soon,for=1s,vms=1|at= is missing or not a time up to 7 days",
        "at=1s,for=1s,vms=1;at=1h,for=1s,vms=1|entry 2 'at=1h,for=1s,vms=1': at= is missing",
        "at=1s,for=1s,vms=1,when=now|unknown key 'when'",
      })
  void badPartitionsSayWhichEntryAndWhy(String spec, String why) {
    assertThatThrownBy(() -> with(ModelConfig.Field.NET_PARTITION, spec).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "NET_PARTITION='"
                + spec
                + "' is invalid: expected partitions 'at=<time>,for=<time>,vms=")
        .hasMessageContaining(why);
  }

  @Test
  void aNodeReadsTheWeatherFromItsEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("PEERS", "vm0:50051,vm1:50051,vm2:50051");
    env.put("ID", "1");
    env.put("LOG_DIR", tmp.toString());
    env.put("NET_DELAY_MS", "5");
    env.put("NET_LOSS", "0.1");
    env.put("NET_PARTITION", "at=10s,for=5s,vms=2;at=20s,for=1s,vms=0");
    WeatherConfig w = ConfigParser.node(Source.env(env), null).model().weather();
    assertThat(w.delayMs()).isEqualTo(5);
    assertThat(w.loss()).isEqualTo(0.1);
    assertThat(w.partitions()).hasSize(2);
    env.put("NET_LOSS", "10%");
    assertThatThrownBy(() -> ConfigParser.node(Source.env(env), null))
        .hasMessage("NET_LOSS='10%' is invalid: expected a probability from 0 to 1, e.g. 0.05");
  }

  @Test
  void partitionsCutOnlyAcrossAndOnlyInTheirWindow() {
    WeatherConfig.Partition p = new WeatherConfig.Partition(1000, 500, new TreeSet<>(List.of(2)));
    assertThat(p.cuts(0, 2)).isTrue();
    assertThat(p.cuts(2, 1)).isTrue();
    assertThat(p.cuts(0, 1)).isFalse();
    assertThat(p.during(999, 999)).isFalse();
    assertThat(p.during(999, 1000)).isTrue();
    assertThat(p.during(1499, 1499)).isTrue();
    assertThat(p.during(1500, 1600)).isFalse();
  }
}
