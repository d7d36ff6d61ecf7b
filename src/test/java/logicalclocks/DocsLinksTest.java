package logicalclocks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md and docs/*.md hold together: every relative link and image names a file that exists,
 * and every #anchor a heading of its target (GitHub's anchors); every section of the README of
 * 1,686 lines lives on in README or a page under docs/.
 */
class DocsLinksTest {
  static final Path ROOT = Path.of("").toAbsolutePath();

  /** The headings of the README before it became a map (2026-12-07), each still somewhere. */
  static final List<String> OLD_SECTIONS =
      List.of(
          "The model",
          "Running locally (`local`)",
          "One VM (`node`)",
          "Network weather",
          "The event log",
          "Causality: vector clocks",
          "Physical time: skewed clocks and hybrid logical clocks",
          "Analysis (`analyze`)",
          "Experiments",
          "`experiment`",
          "`sweep`",
          "The engineering notebook",
          "Containers",
          "docker compose",
          "Clock skew and network weather in containers",
          "Kubernetes",
          "The live page (`serve`, `local --ui-port`)",
          "Watching a running cluster",
          "Performance and scale",
          "Reliability and security",
          "Memory at resume",
          "Fault campaign: `chaos`",
          "Mutual TLS",
          "Tests and CI",
          "Design");

  static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  static final Pattern HEADING = Pattern.compile("^#{1,6} (.*)$");

  static List<Path> docs() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    return files;
  }

  /** The file's lines outside fenced code blocks. */
  static List<String> prose(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    boolean code = false;
    for (String l : Files.readAllLines(file)) {
      if (l.startsWith("```")) {
        code = !code;
        continue;
      }
      if (!code) {
        out.add(l);
      }
    }
    return out;
  }

  /** GitHub's anchor of a heading: lower case, punctuation but '-' and '_' dropped, spaces '-'. */
  static String slug(String heading) {
    return heading
        .strip()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
        .replace(' ', '-');
  }

  static Set<String> anchors(Path file) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String l : prose(file)) {
      Matcher m = HEADING.matcher(l);
      if (m.matches()) {
        String s = slug(m.group(1));
        int n = seen.merge(s, 1, Integer::sum);
        out.add(n == 1 ? s : s + "-" + (n - 1));
      }
    }
    return out;
  }

  @Test
  void everyRelativeLinkAndAnchorResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path file : docs()) {
      for (String l : prose(file)) {
        Matcher m = LINK.matcher(l);
        while (m.find()) {
          String target = m.group(1);
          if (target.matches("^[a-z]+:.*")) {
            continue;
          }
          links++;
          String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
          String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
          Path to = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
          if (!Files.exists(to)) {
            broken.add(ROOT.relativize(file) + ": " + target + " (no such file)");
          } else if (anchor != null
              && to.toString().endsWith(".md")
              && !anchors(to).contains(anchor)) {
            broken.add(ROOT.relativize(file) + ": " + target + " (no such heading)");
          }
        }
      }
    }
    assertThat(links).as("relative links checked").isGreaterThan(50);
    assertThat(broken).isEmpty();
  }

  @Test
  void everySectionOfTheOldReadmeLivesOn() throws IOException {
    Set<String> headings = new LinkedHashSet<>();
    for (Path file : docs()) {
      for (String l : prose(file)) {
        Matcher m = HEADING.matcher(l);
        if (m.matches()) {
          headings.add(m.group(1).strip());
        }
      }
    }
    assertThat(headings).containsAll(OLD_SECTIONS);
  }

  @Test
  void theReadmeIsAMap() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
    assertThat(lines.size()).as("README.md's lines").isLessThan(250);
    assertThat(String.join("\n", lines.subList(0, 6)))
        .as("it opens with the two commands")
        .contains("java -jar target/logical-clocks.jar local")
        .contains("./mvnw verify");
  }
}
