package logicalclocks.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import logicalclocks.analysis.Analyzer;
import logicalclocks.analysis.measure.RunMetrics;
import logicalclocks.analysis.measure.Series;
import logicalclocks.analysis.measure.Stats;
import org.junit.jupiter.api.Test;

/**
 * Every conclusion the notebook prints is computed from its numbers: fed data that support it, it
 * says it; fed contrary data, it says the opposite (in its negative form, with the numbers), never
 * the claim.
 */
class NotebookTest {
  /**
   * The design decisions the notebook prints whatever the data: their numbers come from the code,
   * and the mechanisms they state hold in it.
   */
  /** docs/experiments.md shows the notebook's recipe as the notebook prints it, line for line. */
  @Test
  void theDocsShowTheNotebooksRecipe() throws Exception {
    String docs =
        java.nio.file.Files.readString(
            java.nio.file.Path.of(System.getProperty("user.dir"), "docs", "experiments.md"));
    for (String line : Notebook.RECIPE.lines().toList()) {
      assertThat(docs).as("docs/experiments.md").contains(line.replace("\\\\", "\\"));
    }
  }

  @Test
  void theDesignDecisionsSayWhatTheCodeDoes() throws Exception {
    String design = Notebook.design();
    assertThat(design).doesNotContain("{{").doesNotContain("scheduleAtFixedRate");
    assertThat(design.replaceAll("\\s+", " "))
        .contains("at least " + logicalclocks.vm.TickLoop.PAUSE_NANOS / 1_000_000 + " ms")
        .contains("at most " + logicalclocks.network.Retries.WINDOW + " of them")
        .contains("default " + logicalclocks.config.ModelConfig.DEFAULT_QUEUE_CAPACITY + ")")
        .contains("sampled every " + logicalclocks.analysis.measure.Drift.SAMPLE_MS + " ms")
        .contains("a 6 ticks/s VM has 360 slots in 60 s")
        .contains("N=3 with 10 sides is exactly the assignment (P(internal) = 0.7)");
    assertThat(logicalclocks.vm.TickLoop.ticksIn(6, java.time.Duration.ofSeconds(60)))
        .isEqualTo(360);
    assertThat(logicalclocks.vm.DieRule.internalProbability(10, 3)).isEqualTo(0.7);
  }

  @Test
  void theSlowestMachineExplanationOnlyWhenMostRunsShowIt() {
    assertThat(VariantSection.slowestExplanation(4, 5))
        .contains("a slow VM receives clocks that ran ahead");
    assertThat(VariantSection.slowestExplanation(2, 5))
        .contains("NOT mostly on the slowest")
        .doesNotContain("ran ahead");
  }

  @Test
  void jumpTail() {
    String yes = Takeaways.jumpTail(1, 1.4, 3.4, 18, 5, 5);
    assertThat(yes)
        .contains("jumps are mostly 1 (median 1.00")
        .contains("5 of the 5 runs with a single slowest machine: it is dragged forward");
    String no = Takeaways.jumpTail(2, 2.3, 6, 18, 1, 5);
    assertThat(no)
        .contains("jumps are NOT mostly 1: median 2.00")
        .contains("only 1 of the 5 runs")
        .contains("NOT carried by the slowest")
        .doesNotContain("dragged forward");
  }

  /**
   * With tied rates (every VM "slowest") the count cannot fail, so nothing is claimed: the sentence
   * counts only runs with a single slowest VM.
   */
  @Test
  void tiedRatesClaimNothingAboutTheSlowestMachine() {
    assertThat(Takeaways.jumpTail(1, 1.4, 3.4, 18, 0, 0))
        .contains("no run had a single slowest machine")
        .doesNotContain("dragged forward")
        .doesNotContain("NOT carried");
    assertThat(VariantSection.whereTheLargestJumpFell(0, 0))
        .contains("no run had a single slowest VM")
        .doesNotContain("ran ahead");
    assertThat(VariantSection.whereTheLargestJumpFell(3, 4))
        .contains("3 of the 4 runs that had a single slowest VM")
        .contains("ran ahead");
  }

  @Test
  void narrowRates() {
    assertThat(Takeaways.narrowRates(20, 1.2, 40, 2, 3.4, 2))
        .contains("cuts drift by more than half")
        .contains("mean spread 20.0 → 1.2");
    assertThat(Takeaways.narrowRates(20, 15, 40, 30, 3.4, 3))
        .contains("does NOT halve drift")
        .doesNotContain("cuts drift");
  }

  @Test
  void fewerInternal() {
    assertThat(Takeaways.fewerInternal(110, 24, 55, 20)).contains("makes things worse");
    assertThat(Takeaways.fewerInternal(10, 24, 55, 20))
        .contains("did NOT make both queues and drift worse")
        .doesNotContain("makes things worse");
    assertThat(Takeaways.fewerInternal(110, 24, 5, 20)).contains("did NOT");
  }

  @Test
  void ruleCheck() {
    assertThat(Takeaways.ruleCheck(0, 0, 30))
        .contains("No run broke a clock rule")
        .contains("0 violations in 30");
    assertThat(Takeaways.ruleCheck(4, 2, 30))
        .contains("2 of 30 live runs broke a rule (4 violations")
        .doesNotContain("No run broke");
  }

  @Test
  void queueModelMisses() {
    assertThat(QueueModelSection.missesExplained(List.of(0.95, 1.1)))
        .startsWith("Every miss sat near the edge");
    assertThat(QueueModelSection.missesExplained(List.of(0.95, 0.4)))
        .startsWith("1 of the 2 misses were NOT near the edge")
        .doesNotContain("Every miss");
  }

  @Test
  void fixedRatesClaim() {
    String agree = ClaimsSection.fixedClaim(new double[] {298, 301, 298}, 5, 60, 16, 3);
    assertThat(agree).contains("We agree.").contains("The fast machine sets the pace");
    assertThat(ClaimsSection.fixedClaim(new double[] {280, 301, 300}, 5, 60, 16, 3))
        .contains("We agree only roughly.");
    String disagree = ClaimsSection.fixedClaim(new double[] {180, 301, 120}, 5, 60, 16, 180);
    assertThat(disagree)
        .contains("We disagree.")
        .contains("did NOT keep pace")
        .doesNotContain("sets the pace")
        .doesNotContain("We agree");
  }

  @Test
  void slowMachineClaim() {
    assertThat(ClaimsSection.slowClaim(25, 60, "simulated", 600, 188, 190, true, 1.33))
        .contains("it keeps growing, so we agree")
        .contains("simulated run of 600 s");
    assertThat(ClaimsSection.slowClaim(25, 60, "live", 600, 30, 40, false, 1.33))
        .contains("it does NOT keep growing, so here we disagree")
        .doesNotContain("we agree:");
  }

  static Sweep.Cell cell(int slowRate, int sides, double maxQueue, double maxDrift) {
    return new Sweep.Cell(slowRate, sides, maxQueue, maxDrift, 0);
  }

  @Test
  void sweepFindings() {
    List<Sweep.Cell> expected =
        List.of(cell(1, 3, 200, 300), cell(1, 10, 50, 90), cell(6, 3, 3, 2), cell(6, 10, 1, 1));
    assertThat(SweepSection.render(expected))
        .contains("come from the slowest machine with the smallest die")
        .contains("2 of 4 cells never queue more than 3")
        .contains("Drift follows the queue");
    List<Sweep.Cell> contrary =
        List.of(cell(1, 3, 20, 1), cell(1, 10, 50, 2), cell(6, 3, 3, 90), cell(6, 10, 1, 80));
    assertThat(SweepSection.render(contrary))
        .contains("is NOT at the slowest machine with the smallest die")
        .contains("slow rate 1 with a 10-sided die: 50")
        .contains("Drift does NOT follow the queue")
        .doesNotContain("come from the slowest");
  }

  @Test
  void clockSweepConclusionsFollowTheNumbers() {
    var grows =
        new ClockSweep.Result(
            List.of(
                new ClockSweep.SkewCell(0, 0, 0, 0, 0, 0, 120, 0, 0),
                new ClockSweep.SkewCell(100, 0.01, 0.001, 27, 93, 0.7, 120, 0, 0),
                new ClockSweep.SkewCell(1000, 0.27, 0.003, 806, 978, 4, 120, 0, 0)),
            List.of(
                new ClockSweep.DelayCell(1, 0.5, 10, 1.3, 12, 50),
                new ClockSweep.DelayCell(100, 1.4, 20, 1.5, 14, 60)));
    assertThat(ClockSweepSection.render(grows))
        .contains(
            "Time travel (messages RECEIVEd before their SEND by the wall clocks) grows with skew")
        .contains("wrong order grows with skew")
        .contains("At every skew the hybrid clocks stayed within the clocks' spread")
        .contains("reached at most 82 %")
        .contains(
            "Neither the Lamport nor the hybrid clocks put a single causal pair in the wrong order")
        .contains("Skew changed no logical event")
        .contains("Queues take over at a network delay of 100 ms")
        .contains("Jumps grow with delay");
    var contrary =
        new ClockSweep.Result(
            List.of(
                new ClockSweep.SkewCell(0, 0.2, 0.01, 0, 0, 0, 120, 0, 0),
                new ClockSweep.SkewCell(100, 0.1, 0.001, 150, 93, 0.7, 130, 2, 1)),
            List.of(
                new ClockSweep.DelayCell(1, 0.5, 10, 1.3, 12, 50),
                new ClockSweep.DelayCell(100, 0.9, 20, 1.2, 14, 60)));
    assertThat(ClockSweepSection.render(contrary))
        .contains("wall clocks) does NOT grow steadily with skew")
        .contains("wrong order does NOT grow steadily with skew")
        .contains("At skew 100 ms the hybrid clocks went BEYOND the clocks' spread")
        .contains(
            "The Lamport clocks put 2 causal pairs in the wrong order and the hybrid clocks 1")
        .contains("Queues did not take over at any delay swept (up to 100 ms)")
        .contains("Jumps do NOT grow with delay")
        .contains("The Lamport figures differ between skews")
        .doesNotContain("stayed within")
        .doesNotContain("Neither the Lamport");
  }

  @Test
  void falseOrderConclusionsFollowTheNumbers() {
    assertThat(CausalitySection.rateDifferences(0.40, 0.25))
        .startsWith("More different rates, more");
    assertThat(CausalitySection.rateDifferences(0.20, 0.25))
        .startsWith("More different rates do NOT give more false order")
        .contains("20.0 % with rates 1..6, 25.0 % with 3..4");
    assertThat(CausalitySection.fewerInternal(0.40, 0.20))
        .startsWith("Fewer internal events mean less");
    assertThat(CausalitySection.fewerInternal(0.20, 0.40)).contains("do NOT mean less false order");
    assertThat(CausalitySection.rateDifferences(Double.NaN, 0.2)).contains("not compared");
  }

  /** One VM of a fixed run: its rate, and the queue model's call against what was observed. */
  static RunMetrics.VmMetrics vm(
      int id, int rate, boolean predictedUnstable, boolean observedGrowing) {
    return new RunMetrics.VmMetrics(
        id,
        rate,
        rate,
        10,
        Map.of(),
        0,
        100,
        rate,
        Stats.EMPTY,
        new Stats(10, 2, 1, 4, 9),
        observedGrowing ? 9 : 0,
        Stats.EMPTY,
        new RunMetrics.QueueCheck(
            1, rate, predictedUnstable ? 1.2 : 0.3, !predictedUnstable, 1, 0.3, observedGrowing));
  }

  static Results.Run run(String variant, int index, RunMetrics.VmMetrics... vms) {
    RunMetrics m =
        new RunMetrics(
            vms.length,
            60,
            List.of(vms),
            new Stats(100, 1.5, 1, 3, 7),
            new Stats(100, 2, 1, 4, 9),
            Stats.EMPTY,
            new Stats(100, 4, 3, 8, 12),
            10,
            9,
            1,
            0,
            0,
            List.of(),
            null);
    return new Results.Run(
        variant,
        index,
        index + 100L,
        new Analyzer.Result(m, new Series(List.of(), List.of(), List.of())));
  }

  @Test
  void queueModelSectionCountsEveryVmRun() {
    Results results =
        new Results(
            Map.of(
                "v",
                List.of(
                    run("v", 1, vm(0, 1, true, true), vm(1, 4, false, false)),
                    run("v", 2, vm(0, 1, true, false), vm(1, 4, false, false)))));
    String md = QueueModelSection.render(results);
    assertThat(md)
        .contains("| v | 4 | 2 | 1 | 1 | 3 |")
        .contains("The model called 3 of 4 VM-runs right.")
        .contains(
            "v run 2 VM 0 (rate 1 among 1/4): predicted utilization 1.20, observed 0.30, queue at STOP 0");
  }

  @Test
  void variantTablesComeFromTheRuns() {
    Results results =
        new Results(
            Map.of(
                "baseline",
                List.of(run("baseline", 1, vm(0, 2, false, false), vm(1, 5, false, false)))));
    assertThat(VariantSection.variantTable(results))
        .contains(
            "| baseline | rates 1..6, 10-sided die (P internal 0.7) |"
                + " 1 | 1.50 | 3.00 | 7 | 4.00 | 12 | 0.0 | 2.00 | 9 | 1 | 0 |");
    assertThat(VariantSection.runTable(results.runs("baseline")))
        .contains("| 1 | 101 | 2/5 | 100/100 | 0 |");
  }

  /** A run with the given mean final clock, mean and max jump, max queue and mean drift. */
  static RunMetrics metrics(
      long finalClock, double jumpMean, double jumpMax, double queueMax, double driftMean) {
    RunMetrics.VmMetrics vm =
        new RunMetrics.VmMetrics(
            0,
            5,
            5,
            10,
            Map.of(),
            0,
            finalClock,
            5,
            Stats.EMPTY,
            Stats.EMPTY,
            0,
            Stats.EMPTY,
            new RunMetrics.QueueCheck(1, 5, 0.2, true, 1, 0.2, false));
    return new RunMetrics(
        1,
        60,
        List.of(vm),
        new Stats(100, jumpMean, 1, 2, jumpMax),
        new Stats(100, 0, 0, 0, queueMax),
        Stats.EMPTY,
        new Stats(100, driftMean, 0, 0, driftMean),
        0,
        0,
        0,
        0,
        0,
        List.of(),
        null);
  }

  @Test
  void globalStatesSayWhatTheSnapshotsShow(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Path dir = java.nio.file.Files.createDirectories(tmp.resolve("run"));
    logicalclocks.sim.Simulation.run(
        new logicalclocks.sim.Simulation.Config(
            logicalclocks.config.ModelConfig.builder().machines(3).seed(5L).build(),
            java.time.Duration.ofSeconds(20),
            5,
            java.time.Duration.ofMillis(200),
            java.time.Duration.ofSeconds(2)),
        dir);
    var study = logicalclocks.analysis.cuts.SnapshotTimes.of(dir);
    assertThat(study.complete()).isPositive();
    Results live =
        new Results(
            java.util.Map.of(
                "baseline",
                List.of(
                    new Results.Run(
                        "baseline", 0, 5, logicalclocks.analysis.Analyzer.analyze(dir), dir))));
    String md = GlobalStatesSection.render(live);
    assertThat(md).contains("## Global states: cuts and snapshots").contains("| baseline | 1 | ");
    if (study.neverAtOneInstant() == 0) {
      assertThat(md).contains("these runs do not show a snapshot's state that never held at once");
    } else {
      assertThat(md)
          .contains(
              study.neverAtOneInstant() + " of the " + study.complete() + " complete snapshots")
          .contains("the verifier checked each against the logs");
    }
    Results none = new Results(java.util.Map.of("baseline", List.of(run("baseline", 0))));
    assertThat(GlobalStatesSection.render(none)).as("no logs at hand: no section").isEmpty();
  }
}
