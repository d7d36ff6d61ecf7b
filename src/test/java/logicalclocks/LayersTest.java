package logicalclocks;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The packages' layers, bottom to top; each may use only those below it (and nothing upward):
 * clock, event (the event model) | config (it names the clock kinds a run keeps) | vm (the pure
 * core) | log (the file format) | recovery (journal, resume point) | network (the weather model) |
 * transport, sim (drivers of the core) | analysis | experiment, chaos (the fault campaign), ui (the
 * live page's server) | bench (the benchmarks: it may use every layer below cli) | cli.
 */
class LayersTest {
  /**
   * Inside analysis, the pipeline's stages, bottom to top: stream (the pass: merge, message fates)
   * | verify (the rules) | measure (metrics, series) | analysis itself (the facade wiring them) |
   * render (report, charts, exports) and live (the views of a running cluster), which do not use
   * each other; cuts (the lattice of consistent cuts and its predicates) reads the logs itself and
   * is used by none of them; nor is diff (where two runs first differ), which streams the logs
   * itself.
   */
  static final ArchRule ANALYSIS_STAGES =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("stream")
          .definedBy("logicalclocks.analysis.stream..")
          .layer("verify")
          .definedBy("logicalclocks.analysis.verify..")
          .layer("measure")
          .definedBy("logicalclocks.analysis.measure..")
          .layer("facade")
          .definedBy("logicalclocks.analysis")
          .layer("render")
          .definedBy("logicalclocks.analysis.render..")
          .layer("live")
          .definedBy("logicalclocks.analysis.live..")
          .layer("cuts")
          .definedBy("logicalclocks.analysis.cuts..")
          .layer("diff")
          .definedBy("logicalclocks.analysis.diff..")
          .whereLayer("diff")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("cuts")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("live")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("render")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("facade")
          .mayOnlyBeAccessedByLayers("render", "live")
          .whereLayer("measure")
          .mayOnlyBeAccessedByLayers("facade", "render", "live")
          .whereLayer("verify")
          .mayOnlyBeAccessedByLayers("measure", "facade", "render", "live")
          .whereLayer("stream")
          .mayOnlyBeAccessedByLayers("verify", "measure", "facade", "render", "live");

  static final ArchRule LAYERS =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("config")
          .definedBy("logicalclocks.config..")
          .layer("clock")
          .definedBy("logicalclocks.clock..")
          .layer("event")
          .definedBy("logicalclocks.event..")
          .layer("vm")
          .definedBy("logicalclocks.vm..")
          .layer("log")
          .definedBy("logicalclocks.log..")
          .layer("recovery")
          .definedBy("logicalclocks.recovery..")
          .layer("network")
          .definedBy("logicalclocks.network..")
          .layer("transport")
          .definedBy("logicalclocks.transport..")
          .layer("sim")
          .definedBy("logicalclocks.sim..")
          .layer("node")
          .definedBy("logicalclocks.node..")
          .layer("analysis")
          .definedBy("logicalclocks.analysis..")
          .layer("experiment")
          .definedBy("logicalclocks.experiment..")
          .layer("ui")
          .definedBy("logicalclocks.ui..")
          .layer("chaos")
          .definedBy("logicalclocks.chaos..")
          .layer("bench")
          .definedBy("logicalclocks.bench..")
          .layer("cli")
          .definedBy("logicalclocks.cli..")
          .whereLayer("cli")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("bench")
          .mayOnlyBeAccessedByLayers("cli")
          .whereLayer("ui")
          .mayOnlyBeAccessedByLayers("bench", "cli")
          .whereLayer("experiment")
          .mayOnlyBeAccessedByLayers("bench", "cli")
          .whereLayer("chaos")
          .mayOnlyBeAccessedByLayers("bench", "cli")
          .whereLayer("analysis")
          .mayOnlyBeAccessedByLayers("experiment", "chaos", "ui", "bench", "cli")
          .whereLayer("node")
          .mayOnlyBeAccessedByLayers("experiment", "chaos", "bench", "cli")
          .whereLayer("transport")
          .mayOnlyBeAccessedByLayers("node", "experiment", "ui", "bench", "cli")
          .whereLayer("sim")
          .mayOnlyBeAccessedByLayers("experiment", "ui", "bench", "cli")
          .whereLayer("network")
          .mayOnlyBeAccessedByLayers(
              "transport", "sim", "node", "experiment", "chaos", "ui", "bench", "cli")
          .whereLayer("recovery")
          .mayOnlyBeAccessedByLayers(
              "network",
              "transport",
              "sim",
              "node",
              "analysis",
              "experiment",
              "chaos",
              "ui",
              "bench",
              "cli")
          .whereLayer("log")
          .mayOnlyBeAccessedByLayers(
              "recovery",
              "network",
              "transport",
              "sim",
              "node",
              "analysis",
              "experiment",
              "chaos",
              "ui",
              "bench",
              "cli")
          .whereLayer("vm")
          .mayOnlyBeAccessedByLayers(
              "log",
              "recovery",
              "network",
              "transport",
              "sim",
              "node",
              "analysis",
              "experiment",
              "chaos",
              "ui",
              "bench",
              "cli")
          .whereLayer("event")
          .mayOnlyBeAccessedByLayers(
              "vm",
              "log",
              "recovery",
              "network",
              "transport",
              "sim",
              "node",
              "analysis",
              "experiment",
              "chaos",
              "ui",
              "bench",
              "cli")
          .whereLayer("clock")
          .mayOnlyBeAccessedByLayers(
              "config",
              "vm",
              "log",
              "recovery",
              "network",
              "transport",
              "sim",
              "node",
              "analysis",
              "experiment",
              "chaos",
              "ui",
              "bench",
              "cli")
          .whereLayer("config")
          .mayOnlyBeAccessedByLayers(
              "vm",
              "log",
              "recovery",
              "network",
              "transport",
              "sim",
              "node",
              "analysis",
              "experiment",
              "chaos",
              "ui",
              "bench",
              "cli");

  @Test
  void nothingDependsUpward() {
    LAYERS.check(
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("logicalclocks"));
  }

  @Test
  void theAnalysisPipelinesStagesDependOneWay() {
    ANALYSIS_STAGES.check(
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("logicalclocks.analysis"));
  }
}
