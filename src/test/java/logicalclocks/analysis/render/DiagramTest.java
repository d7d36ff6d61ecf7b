package logicalclocks.analysis.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import logicalclocks.analysis.Analyzer;
import logicalclocks.config.ModelConfig;
import logicalclocks.sim.Simulation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --format mermaid|dot|tikz|chrome-trace}: every event of the window is one element
 * and every message one arrow in each format, counted; and each is checked by its own tool when the
 * machine has it (Graphviz's {@code dot}; {@code pdflatex} and {@code pdftoppm}; Mermaid's own
 * parser under Node.js, fetched from the npm registry). CI sets LC_REQUIRE_DIAGRAM_TOOLS=true: a
 * missing tool then fails instead of skipping.
 */
class DiagramTest {
  @TempDir static Path tmp;
  static Diagram.Window window;

  static final boolean REQUIRED = "true".equals(System.getenv("LC_REQUIRE_DIAGRAM_TOOLS"));

  @BeforeAll
  static void run() throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    // A slow VM 0 with a queue of 1 among fast peers: some messages of the window are refused
    // (DROP reason=backpressure), some wait in a queue.
    Simulation.run(
        new Simulation.Config(
            ModelConfig.builder()
                .seed(11L)
                .rates(List.of(1, 6, 6))
                .set(ModelConfig.Field.QUEUE_CAPACITY, "1")
                .build(),
            Duration.ofSeconds(20),
            11,
            Duration.ofMillis(1)),
        logs);
    window = Diagram.window(Analyzer.open(logs), 10, 80);
  }

  static void require(boolean there, String what) {
    if (REQUIRED) {
      assertThat(there).as(what + " (LC_REQUIRE_DIAGRAM_TOOLS=true)").isTrue();
    }
    Assumptions.assumeTrue(there, "no " + what + ": its check skipped");
  }

  static String exec(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    return out;
  }

  static long count(String text, String regex) {
    return Pattern.compile(regex, Pattern.MULTILINE).matcher(text).results().count();
  }

  @Test
  void theWindowHasItsEventsAndEveryMessageWithAFate() {
    assertThat(window.events()).hasSize(80);
    assertThat(window.messages()).isNotEmpty();
    assertThat(window.messages()).extracting(Diagram.Message::fate).contains("received", "dropped");
    for (Diagram.Message m : window.messages()) {
      assertThat(m.send() >= 0 || m.receive() >= 0).as(m.toString()).isTrue();
      if (m.send() >= 0) {
        assertThat(window.events().get(m.send()).type().name()).isEqualTo("SEND");
        assertThat(window.events().get(m.send()).ids()).contains(m.id());
      }
      if (m.receive() >= 0) {
        assertThat(window.events().get(m.receive()).ids()).isEqualTo(m.id());
        assertThat(m.fate()).isEqualTo("received");
      }
    }
  }

  @Test
  void mermaidHasANotePerEventAndAnArrowPerMessageAndMermaidParsesIt() throws Exception {
    String text = Diagram.mermaid(window);
    assertThat(text).startsWith("sequenceDiagram\n");
    assertThat(count(text, "^  Note over vm\\d+: ")).isEqualTo(window.events().size());
    assertThat(count(text, "^  vm\\d+(->>|-\\)|--x|--\\))vm\\d+: "))
        .isEqualTo(window.messages().size());
    Path file = tmp.resolve("window.mmd");
    Files.writeString(file, text);

    require(Files.isExecutable(Path.of("/usr/bin/node")), "Node.js");
    Path dir = Path.of("target", "mermaid-check").toAbsolutePath();
    Files.createDirectories(dir);
    // A package.json of its own: npm installs beside the nearest one, and the project's is above.
    Files.writeString(
        dir.resolve("package.json"),
        "{\"name\": \"mermaid-check\", \"private\": true, \"type\": \"module\"}\n");
    if (!Files.isDirectory(dir.resolve("node_modules/mermaid"))) {
      Process npm =
          new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "mermaid@11", "jsdom@26")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean ok = npm.waitFor(300, TimeUnit.SECONDS) && npm.exitValue() == 0;
      require(ok, "Mermaid from the npm registry (" + out.strip() + ")");
    }
    Files.writeString(
        dir.resolve("check.mjs"),
        """
        import { JSDOM } from 'jsdom';
        import { readFileSync } from 'node:fs';
        const dom = new JSDOM('<!doctype html><html><body></body></html>');
        globalThis.window = dom.window; globalThis.document = dom.window.document;
        const { default: mermaid } = await import('mermaid');
        const r = await mermaid.parse(readFileSync(process.argv[2], 'utf8'));
        console.log(r.diagramType);
        """);
    assertThat(exec(dir, "node", "check.mjs", file.toString()).strip()).isEqualTo("sequence");
    // and the parser does refuse a broken diagram: the check can fail
    Path broken = tmp.resolve("broken.mmd");
    Files.writeString(broken, text.replaceFirst("->>", "->>>:"));
    Process bad =
        new ProcessBuilder("node", "check.mjs", broken.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    bad.getInputStream().readAllBytes();
    assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(bad.exitValue()).as("Mermaid refuses a broken diagram").isNotZero();
  }

  @Test
  void dotHasANodePerEventAndAnEdgePerMessageAndGraphvizDrawsThem() throws Exception {
    String text = Diagram.dot(window);
    assertThat(count(text, "^  e\\d+ \\[id=\"e\\d+\"")).isEqualTo(window.events().size());
    assertThat(count(text, "\\[id=\"m:")).isEqualTo(window.messages().size());
    Path file = tmp.resolve("window.dot");
    Files.writeString(file, text);
    require(Files.isExecutable(Path.of("/usr/bin/dot")), "Graphviz's dot");
    exec(tmp, "/usr/bin/dot", "-Tsvg", file.toString(), "-o", "window.svg");
    String svg = Files.readString(tmp.resolve("window.svg"));
    assertThat(count(svg, "<g id=\"m:")).isEqualTo(window.messages().size());
    assertThat(count(svg, "<g id=\"e\\d+\" class=\"node\"")).isEqualTo(window.events().size());
  }

  @Test
  void tikzHasADotPerEventAndAnArrowPerMessageAndPdflatexCompilesIt() throws Exception {
    String text = Diagram.tikz(window);
    assertThat(count(text, "% event ")).isEqualTo(window.events().size());
    assertThat(count(text, "% message ")).isEqualTo(window.messages().size());
    Path dir = Files.createDirectories(tmp.resolve("tex"));
    Files.writeString(dir.resolve("window.tex"), text);
    require(
        Files.isExecutable(Path.of("/usr/bin/pdflatex"))
            && Files.isExecutable(Path.of("/usr/bin/pdftoppm")),
        "pdflatex and pdftoppm");
    exec(dir, "/usr/bin/pdflatex", "-interaction=nonstopmode", "-halt-on-error", "window.tex");
    exec(dir, "/usr/bin/pdftoppm", "-png", "-r", "200", "-singlefile", "window.pdf", "window");
    BufferedImage img = ImageIO.read(dir.resolve("window.png").toFile());
    int blue = 0;
    int green = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        int r = rgb >> 16;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        blue += b > 120 && r < 60 && g < 60 ? 1 : 0;
        green += g > 90 && r < 60 && b < 60 ? 1 : 0;
      }
    }
    assertThat(blue).as("SEND dots drawn").isGreaterThan(20);
    assertThat(green).as("RECEIVE dots drawn").isGreaterThan(20);
  }

  @Test
  void chromeTraceHasASlicePerEventAndAFlowPerMessageWithinTheWindow() throws Exception {
    JsonNode root = new ObjectMapper().readTree(Diagram.chromeTrace(window));
    List<String> phases = new ArrayList<>();
    root.get("traceEvents").forEach(e -> phases.add(e.get("ph").asText()));
    assertThat(phases.stream().filter("X"::equals).count()).isEqualTo(window.events().size());
    long inside = window.messages().stream().filter(m -> m.send() >= 0 && m.receive() >= 0).count();
    assertThat(phases.stream().filter("s"::equals).count()).isEqualTo(inside);
    assertThat(phases.stream().filter("f"::equals).count()).isEqualTo(inside);
    assertThat(phases.stream().filter("M"::equals).count()).isEqualTo(window.vms().size());
  }
}
