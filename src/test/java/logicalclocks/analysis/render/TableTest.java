package logicalclocks.analysis.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import logicalclocks.analysis.measure.Numbers;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void markdownAndHtmlFromTheSameCells() {
    Table t = new Table("VM", "note").row(0, "a<b").row(1, Numbers.two(1.5));
    assertThat(t.markdown()).isEqualTo("| VM | note |\n|---|---|\n| 0 | a<b |\n| 1 | 1.50 |\n");
    assertThat(t.html())
        .isEqualTo(
            "<table>\n<tr><th>VM</th><th>note</th></tr>\n<tr><td>0</td><td>a&lt;b</td></tr>\n"
                + "<tr><td>1</td><td>1.50</td></tr>\n</table>\n");
    assertThatThrownBy(() -> t.row(1)).hasMessageContaining("1 cells for 2 columns");
  }

  @Test
  void numbersAreWrittenOneWay() {
    assertThat(Numbers.compact(18)).isEqualTo("18");
    assertThat(Numbers.compact(1.4)).isEqualTo("1.40");
    assertThat(Numbers.one(2.25)).isEqualTo("2.3");
    assertThat(Numbers.percent(0.25)).isEqualTo("25 %");
  }
}
