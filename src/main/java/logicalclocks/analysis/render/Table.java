package logicalclocks.analysis.render;

import java.util.ArrayList;
import java.util.List;

/** A table of already formatted cells, written as Markdown or as HTML from the same data. */
public final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; its cells are shown as given (numbers already formatted by {@link Numbers}). */
  public Table row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(cells.length + " cells for " + header.size() + " columns");
    }
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      row.add(String.valueOf(c));
    }
    rows.add(row);
    return this;
  }

  public List<List<String>> rows() {
    return List.copyOf(rows);
  }

  public String markdown() {
    StringBuilder md = new StringBuilder();
    line(md, header);
    md.append('|').append("---|".repeat(header.size())).append('\n');
    rows.forEach(r -> line(md, r));
    return md.toString();
  }

  public String html() {
    StringBuilder h = new StringBuilder("<table>\n<tr>");
    header.forEach(c -> h.append("<th>").append(escape(c)).append("</th>"));
    h.append("</tr>\n");
    for (List<String> r : rows) {
      h.append("<tr>");
      r.forEach(c -> h.append("<td>").append(escape(c)).append("</td>"));
      h.append("</tr>\n");
    }
    return h.append("</table>\n").toString();
  }

  private static void line(StringBuilder md, List<String> cells) {
    md.append('|');
    cells.forEach(c -> md.append(' ').append(c).append(" |"));
    md.append('\n');
  }

  /** Text made safe inside HTML. */
  public static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
