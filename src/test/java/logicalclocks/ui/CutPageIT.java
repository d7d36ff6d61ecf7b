package logicalclocks.ui;

import static logicalclocks.ui.PageChecks.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import logicalclocks.analysis.cuts.CutRun;
import logicalclocks.analysis.cuts.Expr;
import logicalclocks.analysis.cuts.Lattice;
import logicalclocks.config.ModelConfig;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A cut on the page (Chromium): the witness `analyze --possibly` gives, opened as {@code
 * #cut=0:a,1:b,2:c} on the replay, is drawn across the lanes as consistent, with as many messages
 * crossing it as the analysis counts in transit; a cut that is not consistent is drawn so, and the
 * page names a message received inside it and sent outside.
 */
class CutPageIT {
  @TempDir Path tmp;

  /**
   * The drawn cut's {@code data-<name>} read in one script (the page redraws the line, so an
   * element found earlier may be gone), or {@code inconsistent}: whether its class says so; null
   * when none.
   */
  static String cut(ChromeDriver d, String name) {
    Object v =
        PageChecks.js(
            d,
            "const l = document.querySelector('#marks polyline.cut'); return !l ? null : "
                + (name.equals("inconsistent")
                    ? "String(l.classList.contains('inconsistent'))"
                    : "l.getAttribute('data-" + name + "')")
                + ";");
    return v == null ? null : v.toString();
  }

  static String text(int[] cut) {
    return IntStream.range(0, cut.length)
        .mapToObj(i -> i + ":" + cut[i])
        .collect(Collectors.joining(","));
  }

  @Test
  void aWitnessAndABrokenCutOnTheReplay() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    Simulation.run(
        new Simulation.Config(
            ModelConfig.builder().machines(3).dieSides(6).seed(9L).build(),
            Duration.ofSeconds(15),
            9,
            Duration.ofMillis(300)),
        dir);
    CutRun run = CutRun.read(dir);
    Lattice.Answer a = Lattice.possibly(run, Expr.parse("in_transit >= 2"), Lattice.WALK_BOUND);
    assertThat(a.holds()).isTrue();
    int[] witness = a.cut();
    // One VM's every event and none of the others': not consistent once that VM received anything.
    int[] broken = null;
    int brokenVm = -1;
    for (int vm = 0; vm < run.machines() && broken == null; vm++) {
      int[] c = new int[run.machines()];
      c[vm] = run.events(vm);
      if (!run.consistent(c)) {
        broken = c;
        brokenVm = vm;
      }
    }
    assertThat(broken).as("a VM that received something").isNotNull();

    Feed feed = new Feed(3, 1_000_000, "cut test", "replay", 0);
    Replay.of(Replay.logs(dir), feed, 0).run();
    ChromeDriver d = Browser.open(1280, 720);
    try (UiServer server = new UiServer(feed, "127.0.0.1", 0, 4, dir).start()) {
      long total = LecturePageIT.lines(dir, 3);
      d.get("http://127.0.0.1:" + server.port() + "/#cut=" + text(witness));
      await().atMost(Duration.ofSeconds(30)).until(() -> num(d, "lc.run.st.c.lines") == total);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !d.findElements(By.cssSelector("#marks polyline.cut")).isEmpty());
      await().atMost(Duration.ofSeconds(10)).until(() -> text(witness).equals(cut(d, "cut")));
      assertThat(cut(d, "consistent")).isEqualTo("true");
      assertThat(cut(d, "inconsistent")).isEqualTo("false");
      // brought into the window: the line is on screen, inside the diagram
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions() // the line is redrawn: one found may be gone when it is read
          .until(
              () -> {
                var r = d.findElement(By.cssSelector("#marks polyline.cut")).getRect();
                var svg = d.findElement(By.id("diagram")).getRect();
                return r.getX() >= svg.getX()
                    && r.getX() + r.getWidth() <= svg.getX() + svg.getWidth();
              });
      WebElement box = d.findElement(By.id("cut"));
      assertThat(box.getText())
          .contains("Cut " + text(witness))
          .contains("Consistent")
          .contains(
              "Crossing it (sent inside, not received inside): " + run.inTransit(witness) + " ");
      // a run without snapshots shows no snapshot list and no SNAPSHOT in the legend
      assertThat(d.findElement(By.id("snapsel")).isDisplayed()).isFalse();
      assertThat(d.findElement(By.id("legsnap")).isDisplayed()).isFalse();
      Path shots = Files.createDirectories(Path.of("target", "ui"));
      Files.write(shots.resolve("cut.png"), d.getScreenshotAs(OutputType.BYTES));

      d.get("about:blank");
      d.get("http://127.0.0.1:" + server.port() + "/#cut=" + text(broken));
      await().atMost(Duration.ofSeconds(30)).until(() -> num(d, "lc.run.st.c.lines") == total);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> !d.findElements(By.cssSelector("#marks polyline.cut.inconsistent")).isEmpty());
      assertThat(cut(d, "consistent")).isEqualTo("false");
      assertThat(d.findElements(By.cssSelector("#marks line.cut-broken"))).isNotEmpty();
      String why = d.findElement(By.id("cut")).getText();
      int vmOfBroken = brokenVm;
      assertThat(why)
          .contains("NOT consistent: message ")
          .contains("is received inside (VM " + vmOfBroken + " line");
    } finally {
      d.quit();
    }
  }

  /**
   * A snapshot's cut and a predicate's witness: a simulated run that took a snapshot every second
   * is replayed; the page lists its snapshots, draws the chosen one's cut exactly as its record
   * says (each VM's events before its SNAPSHOT line), consistent; a predicate typed in the box is
   * answered by the analysis' own code and its witness drawn.
   */
  @Test
  void aSnapshotsCutAndAPredicatesWitness() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("snaps"));
    Simulation.run(
        new Simulation.Config(
            ModelConfig.builder().machines(3).dieSides(6).seed(4L).build(),
            Duration.ofSeconds(12),
            4,
            Duration.ofMillis(300),
            Duration.ofSeconds(2)),
        dir);
    logicalclocks.vm.Snapshots.Record rec =
        logicalclocks.log.SnapshotFiles.read(logicalclocks.log.SnapshotFiles.files(dir).get(2L));
    assertThat(rec.complete()).isTrue();
    String recorded =
        rec.vms().stream().map(v -> v.vm() + ":" + v.events()).collect(Collectors.joining(","));
    CutRun run = CutRun.read(dir);
    Lattice.Answer a =
        Lattice.possibly(
            run, Expr.parse("queue[0] + queue[1] + queue[2] >= 2"), Lattice.WALK_BOUND);
    assertThat(a.holds()).isTrue();

    Feed feed = new Feed(3, 1_000_000, "snapshot test", "replay", 0);
    Replay.of(Replay.logs(dir), feed, 0).run();
    ChromeDriver d = Browser.open(1280, 720);
    try (UiServer server = new UiServer(feed, "127.0.0.1", 0, 4, dir).start()) {
      long total = LecturePageIT.lines(dir, 3);
      d.get("http://127.0.0.1:" + server.port() + "/");
      await().atMost(Duration.ofSeconds(30)).until(() -> num(d, "lc.run.st.c.lines") == total);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> d.findElement(By.id("snapsel")).isDisplayed());
      assertThat(d.findElement(By.id("legsnap")).isDisplayed()).isTrue();
      assertThat(d.findElements(By.cssSelector("#dots path.ev.SNAPSHOT"))).isNotEmpty();
      new org.openqa.selenium.support.ui.Select(d.findElement(By.id("snapsel"))).selectByValue("2");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !d.findElements(By.cssSelector("#marks polyline.cut")).isEmpty());
      await().atMost(Duration.ofSeconds(10)).until(() -> recorded.equals(cut(d, "cut")));
      assertThat(cut(d, "consistent")).isEqualTo("true");
      assertThat(d.findElement(By.id("cut")).getText())
          .startsWith("Snapshot 2: the cut its VMs recorded, " + recorded);
      Path shots = Files.createDirectories(Path.of("target", "ui"));
      Files.write(shots.resolve("snapshot.png"), d.getScreenshotAs(OutputType.BYTES));
      PageChecks.controlsOnOneRow(d); // the snapshot list beside the cut button still fits
      d.findElement(By.id("lecture")).click();
      PageChecks.controlsOnOneRow(d);
      d.findElement(By.id("lecture")).click();

      WebElement pred = d.findElement(By.id("pred"));
      assertThat(pred.isDisplayed()).isTrue();
      pred.sendKeys("queue[0] + queue[1] + queue[2] >= 2");
      d.findElement(By.id("predask")).click();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> d.findElement(By.id("predout")).getText().startsWith("possibly: yes"));
      assertThat(d.findElement(By.id("predout")).getText())
          .contains("witness " + text(a.cut()) + " (drawn)");
      await().atMost(Duration.ofSeconds(10)).until(() -> text(a.cut()).equals(cut(d, "cut")));
      pred.clear();
      pred.sendKeys("queue[7] > 1");
      d.findElement(By.id("predask")).click();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> d.findElement(By.id("predout")).getText().contains("queue[7]"));
    } finally {
      d.quit();
    }
  }
}
