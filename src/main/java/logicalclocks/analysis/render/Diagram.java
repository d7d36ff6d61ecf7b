package logicalclocks.analysis.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import logicalclocks.analysis.stream.EventConsumer;
import logicalclocks.analysis.stream.LineSource;
import logicalclocks.analysis.stream.Pass;
import logicalclocks.event.EventType;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogReader.BadLogException;

/**
 * A window of a run drawn for slides and notes: its events (SEND, RECEIVE, INTERNAL, DROP) in
 * Lamport's order, from the {@code skip}-th to the {@code skip + count}-th, and the messages sent
 * or received among them, each with its fate (received, dropped, queued at STOP, or not settled
 * when the logs end). Written as a Mermaid sequence diagram, a Graphviz digraph, a TikZ picture (a
 * standalone LaTeX document) or Chrome's trace format (Perfetto opens it). Every event of the
 * window is one element of the output and every message one arrow, whatever the format.
 */
public final class Diagram {
  private Diagram() {}

  /** One event of the window: {@code index} its place in the window. */
  public record Event(
      int index,
      int vm,
      EventType type,
      long clock,
      String ids,
      String file,
      int line,
      Instant ts) {
    String label() {
      return type + " " + clock;
    }
  }

  /**
   * A message sent or received in the window: {@code send} and {@code receive} its events' places
   * in the window, -1 when outside it; {@code fate} received, dropped, queued (at its receiver's
   * STOP) or open (the logs end first), with the drop's reason.
   */
  public record Message(
      String id, int from, int to, int send, int receive, String fate, String reason) {}

  /** The window: the VMs of the run, the events and the messages. */
  public record Window(List<Integer> vms, List<Event> events, List<Message> messages) {}

  private static final class Done extends RuntimeException {
    Done() {
      super(null, null, false, false);
    }
  }

  /** The window of {@code logs} (merged in Lamport's order, as the analysis reads them). */
  public static Window window(SortedMap<Integer, LineSource> logs, long skip, int count)
      throws BadLogException {
    List<Event> events = new ArrayList<>();
    Map<String, int[]> sends = new LinkedHashMap<>(); // id -> {from, to, index}
    Map<String, Integer> receives = new HashMap<>(); // id -> index (or -1 after the window)
    Map<String, String[]> fates = new HashMap<>(); // id -> {fate, reason}
    Map<String, Integer> receivedFrom = new HashMap<>();
    Map<String, Integer> receivedBy = new HashMap<>();
    long[] seen = {0};
    EventConsumer consumer =
        (vm, l) -> {
          LogEvent e = l.event();
          EventType t = e.event();
          boolean drawn = t.isTick() || t == EventType.DROP;
          long position = drawn ? seen[0]++ : -1;
          boolean inside = drawn && position >= skip && position < skip + count;
          boolean after = position >= skip + count || (!drawn && seen[0] >= skip + count);
          if (inside) {
            String ids = e.get("msg");
            events.add(
                new Event(
                    events.size(),
                    e.vm(),
                    t,
                    e.clock(),
                    ids == null ? "" : ids,
                    l.file().getFileName().toString(),
                    l.number(),
                    e.ts()));
          }
          int index = inside ? events.size() - 1 : -1;
          if (t == EventType.SEND && inside) {
            List<String> ids = e.list("msg");
            List<String> to = e.list("to");
            for (int i = 0; i < ids.size(); i++) {
              sends.put(ids.get(i), new int[] {e.vm(), Integer.parseInt(to.get(i)), index});
            }
          } else if (t == EventType.RECEIVE) {
            String id = e.get("msg");
            if (inside) {
              receives.put(id, index);
              receivedFrom.put(id, Integer.parseInt(e.get("from")));
              receivedBy.put(id, e.vm());
              fates.put(id, new String[] {"received", ""});
            } else if (sends.containsKey(id) && !fates.containsKey(id)) {
              receives.put(id, -1);
              fates.put(id, new String[] {"received", ""});
            }
          } else if (t == EventType.DROP) {
            for (String id : e.list("msg")) {
              if (sends.containsKey(id) && !fates.containsKey(id)) {
                fates.put(id, new String[] {"dropped", e.get("reason")});
              }
            }
          } else if (t == EventType.STOP && e.get("queued") != null) {
            for (String id : e.list("queued")) {
              if (sends.containsKey(id) && !fates.containsKey(id)) {
                fates.put(id, new String[] {"queued", ""});
              }
            }
          }
          if (after && sends.keySet().stream().allMatch(fates::containsKey)) {
            throw new Done();
          }
        };
    try {
      Pass.run(logs, List.of(consumer));
    } catch (Done enough) {
      // every message of the window has its fate
    }
    List<Message> messages = new ArrayList<>();
    sends.forEach(
        (id, s) -> {
          String[] fate = fates.getOrDefault(id, new String[] {"open", ""});
          messages.add(
              new Message(id, s[0], s[1], s[2], receives.getOrDefault(id, -1), fate[0], fate[1]));
        });
    receives.forEach(
        (id, r) -> {
          if (!sends.containsKey(id) && r >= 0) {
            messages.add(
                new Message(id, receivedFrom.get(id), receivedBy.get(id), -1, r, "received", ""));
          }
        });
    messages.sort(
        (a, b) ->
            Integer.compare(
                a.send() >= 0 ? a.send() : a.receive(), b.send() >= 0 ? b.send() : b.receive()));
    return new Window(List.copyOf(new TreeSet<>(logs.keySet())), events, messages);
  }

  private static String vm(int id) {
    return "vm" + id;
  }

  /**
   * A Mermaid sequence diagram: a note per event on its VM's lane and, at the place its fate shows
   * in the window, an arrow per message: {@code ->>} received in the window, {@code -)} received
   * after it (drawn at its SEND), {@code --x} dropped, {@code --)} queued at STOP or not settled.
   */
  public static String mermaid(Window w) {
    StringBuilder out = new StringBuilder("sequenceDiagram\n");
    w.vms().forEach(v -> out.append("  participant ").append(vm(v)).append('\n'));
    Map<Integer, List<Message>> atSend = new HashMap<>();
    Map<Integer, List<Message>> atReceive = new HashMap<>();
    for (Message m : w.messages()) {
      if (m.receive() >= 0) {
        atReceive.computeIfAbsent(m.receive(), k -> new ArrayList<>()).add(m);
      } else {
        atSend.computeIfAbsent(m.send(), k -> new ArrayList<>()).add(m);
      }
    }
    for (Event e : w.events()) {
      for (Message m : atReceive.getOrDefault(e.index(), List.of())) {
        out.append("  ")
            .append(vm(m.from()))
            .append("->>")
            .append(vm(m.to()))
            .append(": ")
            .append(m.id())
            .append(m.send() < 0 ? " (sent before this window)" : "")
            .append('\n');
      }
      out.append("  Note over ").append(vm(e.vm())).append(": ").append(e.label()).append('\n');
      for (Message m : atSend.getOrDefault(e.index(), List.of())) {
        String arrow =
            switch (m.fate()) {
              case "received" -> "-)";
              case "dropped" -> "--x";
              default -> "--)";
            };
        String what =
            switch (m.fate()) {
              case "received" -> "received after this window";
              case "dropped" -> "dropped (" + m.reason() + ")";
              case "queued" -> "still queued at STOP";
              default -> "not settled when the logs end";
            };
        out.append("  ")
            .append(vm(m.from()))
            .append(arrow)
            .append(vm(m.to()))
            .append(": ")
            .append(m.id())
            .append(' ')
            .append(what)
            .append('\n');
      }
    }
    return out.toString();
  }

  private static String dotId(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * A Graphviz digraph drawn left to right: a lane per VM (its events chained), an edge per message
   * from its SEND to its RECEIVE, or to a mark for a fate outside the window; each event's node has
   * the id {@code e<index>}, each message's edge {@code m:<id>}.
   */
  public static String dot(Window w) {
    StringBuilder out =
        new StringBuilder(
            "digraph run {\n  rankdir=LR;\n  node [shape=circle, fixedsize=true, width=0.5,"
                + " fontsize=9];\n  edge [fontsize=8];\n");
    Map<Integer, Integer> lastOf = new HashMap<>();
    for (int v : w.vms()) {
      out.append("  lane").append(v).append(" [shape=plaintext, label=\"vm").append(v);
      out.append("\", id=\"lane").append(v).append("\"];\n");
    }
    for (Event e : w.events()) {
      String colour =
          switch (e.type()) {
            case SEND -> "#1f77b4";
            case RECEIVE -> "#2ca02c";
            case DROP -> "#d62728";
            default -> "#7f7f7f";
          };
      out.append("  e")
          .append(e.index())
          .append(" [id=\"e")
          .append(e.index())
          .append("\", label=\"")
          .append(e.clock())
          .append("\", color=\"")
          .append(colour)
          .append("\", tooltip=")
          .append(dotId(e.label() + " " + e.file() + ":" + e.line()))
          .append("];\n");
      Integer last = lastOf.put(e.vm(), e.index());
      out.append("  ")
          .append(last == null ? "lane" + e.vm() : "e" + last)
          .append(" -> e")
          .append(e.index())
          .append(" [color=\"#cccccc\", arrowhead=none, weight=10];\n");
    }
    for (Message m : w.messages()) {
      String from = m.send() >= 0 ? "e" + m.send() : "before_" + safe(m.id());
      String to = m.receive() >= 0 ? "e" + m.receive() : "fate_" + safe(m.id());
      if (m.send() < 0) {
        out.append("  ").append(from).append(" [shape=point, label=\"\"];\n");
      }
      if (m.receive() < 0) {
        out.append("  ")
            .append(to)
            .append(" [shape=plaintext, fontsize=8, label=")
            .append(dotId(m.fate().equals("dropped") ? "x " + m.reason() : m.fate()))
            .append("];\n");
      }
      out.append("  ")
          .append(from)
          .append(" -> ")
          .append(to)
          .append(" [id=")
          .append(dotId("m:" + m.id()))
          .append(", label=")
          .append(dotId(m.id()))
          .append(", constraint=false")
          .append(m.fate().equals("dropped") ? ", color=\"#d62728\", style=dashed" : "")
          .append("];\n");
    }
    return out.append("}\n").toString();
  }

  private static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9]", "_");
  }

  private static String tex(String s) {
    return s.replace("_", "\\_").replace("%", "\\%").replace("#", "\\#").replace("&", "\\&");
  }

  /**
   * A LaTeX document (article, TikZ and graphicx: texlive-latex-base and texlive-pictures) with one
   * TikZ picture, scaled to the text width: a lane per VM (top to bottom), the window's events left
   * to right in Lamport's order, each a dot with its Lamport clock above it, and an arrow per
   * message (red and dashed when dropped, to the picture's edge when its fate is outside the
   * window). Compiles with {@code pdflatex}.
   */
  public static String tikz(Window w) {
    StringBuilder out =
        new StringBuilder(
            "% The tikzpicture goes into a Beamer frame or a paper as it is (\\usepackage{tikz}).\n"
                + "\\documentclass{article}\n\\usepackage{tikz}\n\\usepackage{graphicx}\n"
                + "\\pagestyle{empty}\n\\begin{document}\n\\noindent\\resizebox{\\textwidth}{!}{%\n"
                + "\\begin{tikzpicture}[x=0.55cm,y=1.2cm,"
                + "ev/.style={circle,fill,inner sep=1.6pt},"
                + "msg/.style={->,>=stealth,semithick}]\n");
    Map<Integer, Integer> row = new HashMap<>();
    for (int i = 0; i < w.vms().size(); i++) {
      row.put(w.vms().get(i), i);
    }
    int width = Math.max(1, w.events().size());
    for (int v : w.vms()) {
      int y = -row.get(v);
      out.append(
          String.format(
              Locale.ROOT,
              "\\draw[gray!50] (0,%d) -- (%d,%d);\n\\node[anchor=east] at (0,%d) {vm%d};\n",
              y,
              width + 1,
              y,
              y,
              v));
    }
    for (Event e : w.events()) {
      String colour =
          switch (e.type()) {
            case SEND -> "blue!70!black";
            case RECEIVE -> "green!50!black";
            case DROP -> "red!80!black";
            default -> "gray";
          };
      out.append(
          String.format(
              Locale.ROOT,
              "\\node[ev,%s] (e%d) at (%d,%d) {}; \\node[above=1pt,font=\\tiny] at (e%d) {%d}; %%"
                  + " event %s %s:%d\n",
              colour,
              e.index(),
              e.index() + 1,
              -row.get(e.vm()),
              e.index(),
              e.clock(),
              tex(e.label()),
              tex(e.file()),
              e.line()));
    }
    for (Message m : w.messages()) {
      String from =
          m.send() >= 0
              ? "(e" + m.send() + ")"
              : String.format(Locale.ROOT, "(0.2,%d)", -row.get(m.from()));
      String to =
          m.receive() >= 0
              ? "(e" + m.receive() + ")"
              : String.format(Locale.ROOT, "(%d,%d)", width + 1, -row.get(m.to()));
      String style = m.fate().equals("dropped") ? "msg,red,dashed" : "msg";
      out.append("\\draw[")
          .append(style)
          .append("] ")
          .append(from)
          .append(" -- ")
          .append(to)
          .append("; % message ")
          .append(tex(m.id()))
          .append(' ')
          .append(m.fate())
          .append('\n');
    }
    return out.append("\\end{tikzpicture}}\n\\end{document}\n").toString();
  }

  /**
   * Chrome's trace event format (Perfetto and chrome://tracing open it): a thread per VM, a 1 ms
   * slice per event at its VM's own wall time (µs since the window's first event), and a flow per
   * message from its SEND's slice to its RECEIVE's, both in the window.
   */
  public static String chromeTrace(Window w) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    ArrayNode events = root.putArray("traceEvents");
    Instant t0 = w.events().isEmpty() ? Instant.EPOCH : w.events().get(0).ts();
    for (Event e : w.events()) {
      if (e.ts().isBefore(t0)) {
        t0 = e.ts();
      }
    }
    for (int v : w.vms()) {
      ObjectNode meta = events.addObject();
      meta.put("ph", "M").put("name", "thread_name").put("pid", 1).put("tid", v);
      meta.putObject("args").put("name", vm(v));
    }
    Map<Integer, Long> tsOf = new HashMap<>();
    for (Event e : w.events()) {
      long us = Duration.between(t0, e.ts()).toNanos() / 1000;
      tsOf.put(e.index(), us);
      ObjectNode s = events.addObject();
      s.put("ph", "X").put("name", e.label()).put("cat", "event");
      s.put("pid", 1).put("tid", e.vm()).put("ts", us).put("dur", 1000);
      ObjectNode args = s.putObject("args");
      args.put("clock", e.clock()).put("line", e.file() + ":" + e.line());
      if (!e.ids().isEmpty()) {
        args.put("msg", e.ids());
      }
    }
    int flow = 0;
    for (Message m : w.messages()) {
      if (m.send() < 0 || m.receive() < 0) {
        continue;
      }
      flow++;
      ObjectNode start = events.addObject();
      start.put("ph", "s").put("name", m.id()).put("cat", "message").put("id", flow);
      start.put("pid", 1).put("tid", m.from()).put("ts", tsOf.get(m.send()));
      ObjectNode end = events.addObject();
      end.put("ph", "f").put("bp", "e").put("name", m.id()).put("cat", "message");
      end.put("id", flow).put("pid", 1).put("tid", m.to()).put("ts", tsOf.get(m.receive()));
    }
    root.put("displayTimeUnit", "ms");
    return root.toPrettyString() + "\n";
  }
}
