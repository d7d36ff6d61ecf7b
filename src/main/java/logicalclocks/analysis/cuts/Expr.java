package logicalclocks.analysis.cuts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A predicate over the global state at a cut, as {@code analyze --possibly / --definitely} take it:
 * {@code clock[i]}, {@code queue[i]}, {@code sent[i]}, {@code received[i]} (VM i's Lamport clock,
 * queue length, messages sent and RECEIVEs, after its last event inside the cut), {@code
 * in_transit} (messages sent inside the cut and not received inside it), integers, {@code + -},
 * {@code < <= == != >= >}, {@code && || !} and parentheses.
 */
public abstract sealed class Expr {
  /** A VM's variable. */
  public enum Var {
    CLOCK,
    QUEUE,
    SENT,
    RECEIVED
  }

  /** A bad expression: the message names the position (1-based) and what was expected. */
  public static final class BadExpr extends Exception {
    public BadExpr(String message) {
      super(message);
    }
  }

  /**
   * Deepest an expression may nest (operators and parentheses), so evaluating it never overflows
   * the stack.
   */
  public static final int MAX_DEPTH = 200;

  final int pos;
  final boolean bool;
  int depth = 1;

  private Expr(int pos, boolean bool) {
    this.pos = pos;
    this.bool = bool;
  }

  /**
   * An arithmetic result past 64-bit integers at some cut: the expression's sum cannot be computed
   * there, and no answer is given rather than a wrong one.
   */
  public static final class Overflow extends RuntimeException {
    Overflow(String message) {
      super(message);
    }
  }

  /** Its value at cut {@code e}, failing with {@link Overflow} rather than wrapping around. */
  public long value(CutRun r, int[] e) {
    try {
      return eval(r, e);
    } catch (ArithmeticException x) {
      StringBuilder cut = new StringBuilder();
      for (int i = 0; i < e.length; i++) {
        cut.append(i == 0 ? "" : ",").append(i).append(':').append(e[i]);
      }
      throw new Overflow("its arithmetic goes past 64-bit integers at the cut " + cut);
    }
  }

  /** Its value at cut {@code e} (a truth value is 1 or 0). */
  abstract long eval(CutRun r, int[] e);

  /** The VMs whose variables it reads. */
  abstract void vms(Set<Integer> out);

  /** Whether it reads {@code in_transit} (a global variable: no single VM's). */
  abstract boolean global();

  /** The highest VM index it names, or -1. */
  int maxVm() {
    Set<Integer> s = new TreeSet<>();
    vms(s);
    return s.isEmpty() ? -1 : ((TreeSet<Integer>) s).last();
  }

  /** Fails when it names a VM the run does not have (position and the run's VMs in the message). */
  public void check(int machines) throws BadExpr {
    if (this instanceof Ref r && r.vm >= machines) {
      throw new BadExpr(
          String.format(
              Locale.ROOT,
              "at position %d: %s[%d] names no VM of this run (VMs 0 to %d)",
              pos + 1,
              r.var.name().toLowerCase(Locale.ROOT),
              r.vm,
              machines - 1));
    }
    if (this instanceof Not x) {
      x.a.check(machines);
    } else if (this instanceof Neg x) {
      x.a.check(machines);
    } else if (this instanceof Bin x) {
      x.a.check(machines);
      x.b.check(machines);
    }
  }

  /** Its top-level conjuncts ({@code a && b && c}: a, b, c; else itself). */
  List<Expr> conjuncts() {
    List<Expr> out = new ArrayList<>();
    conjuncts(this, out);
    return out;
  }

  private static void conjuncts(Expr x, List<Expr> out) {
    if (x instanceof Bin b && b.op.equals("&&")) {
      conjuncts(b.a, out);
      conjuncts(b.b, out);
    } else {
      out.add(x);
    }
  }

  static final class Num extends Expr {
    final long v;

    Num(int pos, long v) {
      super(pos, false);
      this.v = v;
    }

    long eval(CutRun r, int[] e) {
      return v;
    }

    void vms(Set<Integer> out) {}

    boolean global() {
      return false;
    }
  }

  static final class Ref extends Expr {
    final Var var;
    final int vm;

    Ref(int pos, Var var, int vm) {
      super(pos, false);
      this.var = var;
      this.vm = vm;
    }

    long eval(CutRun r, int[] e) {
      return r.value(var, vm, e);
    }

    void vms(Set<Integer> out) {
      out.add(vm);
    }

    boolean global() {
      return false;
    }
  }

  static final class InTransit extends Expr {
    InTransit(int pos) {
      super(pos, false);
    }

    long eval(CutRun r, int[] e) {
      return r.inTransit(e);
    }

    void vms(Set<Integer> out) {}

    boolean global() {
      return true;
    }
  }

  static final class Not extends Expr {
    final Expr a;

    Not(int pos, Expr a) {
      super(pos, true);
      this.a = a;
      this.depth = a.depth + 1;
    }

    long eval(CutRun r, int[] e) {
      return a.eval(r, e) == 0 ? 1 : 0;
    }

    void vms(Set<Integer> out) {
      a.vms(out);
    }

    boolean global() {
      return a.global();
    }
  }

  static final class Neg extends Expr {
    final Expr a;

    Neg(int pos, Expr a) {
      super(pos, false);
      this.a = a;
      this.depth = a.depth + 1;
    }

    long eval(CutRun r, int[] e) {
      return Math.negateExact(a.eval(r, e));
    }

    void vms(Set<Integer> out) {
      a.vms(out);
    }

    boolean global() {
      return a.global();
    }
  }

  static final class Bin extends Expr {
    final String op;
    final Expr a;
    final Expr b;

    Bin(int pos, String op, Expr a, Expr b, boolean bool) {
      super(pos, bool);
      this.op = op;
      this.a = a;
      this.b = b;
      this.depth = Math.max(a.depth, b.depth) + 1;
    }

    long eval(CutRun r, int[] e) {
      switch (op) {
        case "&&":
          return a.eval(r, e) != 0 && b.eval(r, e) != 0 ? 1 : 0;
        case "||":
          return a.eval(r, e) != 0 || b.eval(r, e) != 0 ? 1 : 0;
        default:
          break;
      }
      long x = a.eval(r, e);
      long y = b.eval(r, e);
      return switch (op) {
        case "+" -> Math.addExact(x, y);
        case "-" -> Math.subtractExact(x, y);
        case "<" -> x < y ? 1 : 0;
        case "<=" -> x <= y ? 1 : 0;
        case "==" -> x == y ? 1 : 0;
        case "!=" -> x != y ? 1 : 0;
        case ">=" -> x >= y ? 1 : 0;
        case ">" -> x > y ? 1 : 0;
        default -> throw new IllegalStateException(op);
      };
    }

    void vms(Set<Integer> out) {
      a.vms(out);
      b.vms(out);
    }

    boolean global() {
      return a.global() || b.global();
    }
  }

  /** Parses {@code text}; every error names its 1-based position and what was expected there. */
  public static Expr parse(String text) throws BadExpr {
    Parser p = new Parser(text);
    Expr x = p.or();
    p.skip();
    if (p.i < text.length()) {
      throw p.error("an operator (&& || + - < <= == != >= >) or the end");
    }
    if (!x.bool) {
      throw new BadExpr(
          "the expression is a number, not a condition: compare it (e.g. " + text.trim() + " > 0)");
    }
    return x;
  }

  private static final class Parser {
    final String s;
    int i;
    int nesting;

    /** A node, refused when it nests deeper than {@link #MAX_DEPTH}. */
    Expr deep(Expr x) throws BadExpr {
      if (x.depth > MAX_DEPTH) {
        throw new BadExpr(
            String.format(
                Locale.ROOT,
                "at position %d: the expression nests deeper than %d (operators and parentheses)",
                x.pos + 1,
                MAX_DEPTH));
      }
      return x;
    }

    /** Whether what comes next may follow a number: an operator, ')' (or the end). */
    boolean follows() {
      for (String op : new String[] {"<=", ">=", "==", "!=", "<", ">", ")", "&&", "||"}) {
        if (s.startsWith(op, i)) {
          return true;
        }
      }
      return false;
    }

    static boolean digit(char c) {
      return c >= '0' && c <= '9';
    }

    static boolean letter(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    Parser(String s) {
      this.s = s;
    }

    void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    boolean eat(String tok) {
      skip();
      if (s.startsWith(tok, i)) {
        i += tok.length();
        return true;
      }
      return false;
    }

    BadExpr error(String expected) {
      skip();
      String found =
          i >= s.length() ? "the end" : "'" + s.substring(i, Math.min(s.length(), i + 12)) + "'";
      return new BadExpr(
          String.format(
              Locale.ROOT, "at position %d: expected %s, found %s", i + 1, expected, found));
    }

    Expr bool(Expr x, int pos, String op) throws BadExpr {
      if (!x.bool) {
        i = pos;
        throw new BadExpr(
            String.format(
                Locale.ROOT, "at position %d: %s takes conditions, not numbers", pos + 1, op));
      }
      return x;
    }

    /** One level of the grammar, parsed from the current position. */
    private interface Level {
      Expr parse() throws BadExpr;
    }

    Expr or() throws BadExpr {
      return chain("||", this::and);
    }

    Expr and() throws BadExpr {
      return chain("&&", this::not);
    }

    /**
     * {@code next (op next)*}, each operand a condition: {@code ||} over {@code &&} over {@code !}.
     */
    private Expr chain(String op, Level next) throws BadExpr {
      skip();
      int at = i;
      Expr x = next.parse();
      while (true) {
        skip();
        int opAt = i;
        if (!eat(op)) {
          return x;
        }
        bool(x, at, op);
        skip();
        int bAt = i;
        Expr y = bool(next.parse(), bAt, op);
        x = deep(new Bin(opAt, op, x, y, true));
      }
    }

    /** One level deeper ('(', '!', unary '-'); fails past {@link #MAX_DEPTH}. */
    private void enter(int at) throws BadExpr {
      if (++nesting > MAX_DEPTH) {
        throw new BadExpr(
            String.format(
                Locale.ROOT,
                "at position %d: the expression nests deeper than %d",
                at + 1,
                MAX_DEPTH));
      }
    }

    /** {@code x}, refused when it is a condition where {@code op} takes numbers. */
    private Expr numbers(Expr x, int at, String op, String takes, String hint) throws BadExpr {
      if (x.bool) {
        throw new BadExpr(
            String.format(
                Locale.ROOT, "at position %d: %s %s, not conditions%s", at + 1, op, takes, hint));
      }
      return x;
    }

    Expr not() throws BadExpr {
      skip();
      int at = i;
      if (s.startsWith("!", i) && !s.startsWith("!=", i)) {
        i++;
        skip();
        int aAt = i;
        enter(at);
        Expr x = deep(new Not(at, bool(not(), aAt, "!")));
        nesting--;
        return x;
      }
      return cmp();
    }

    Expr cmp() throws BadExpr {
      skip();
      int at = i;
      Expr x = sum();
      skip();
      if (i < s.length() && !follows()) {
        throw error("an operator (+ - < <= == != >= > && ||), ')' or the end");
      }
      for (String op : new String[] {"<=", ">=", "==", "!=", "<", ">"}) {
        int opAt = i;
        if (eat(op)) {
          numbers(x, at, op, "compares numbers", " (use parentheses)");
          skip();
          int bAt = i;
          Expr y = numbers(sum(), bAt, op, "compares numbers", "");
          return deep(new Bin(opAt, op, x, y, true));
        }
      }
      return x;
    }

    Expr sum() throws BadExpr {
      skip();
      int at = i;
      Expr x = atom();
      while (true) {
        skip();
        int opAt = i;
        String op = eat("+") ? "+" : (peekMinus() ? "-" : null);
        if (op == null) {
          return x;
        }
        if (op.equals("-")) {
          i++;
        }
        numbers(x, at, op, "adds numbers", "");
        skip();
        int bAt = i;
        Expr y = numbers(atom(), bAt, op, "adds numbers", "");
        x = deep(new Bin(opAt, op, x, y, false));
      }
    }

    boolean peekMinus() {
      skip();
      return i < s.length() && s.charAt(i) == '-';
    }

    Expr atom() throws BadExpr {
      skip();
      int at = i;
      if (i >= s.length()) {
        throw error("a number, clock[i], queue[i], sent[i], received[i], in_transit or (");
      }
      char c = s.charAt(i);
      if (c == '(') {
        enter(at);
        i++;
        Expr x = or();
        if (!eat(")")) {
          throw error("')'");
        }
        nesting--;
        return x;
      }
      if (c == '-') {
        enter(at);
        i++;
        Expr a = atom();
        nesting--;
        return deep(new Neg(at, numbers(a, at, "-", "negates numbers", "")));
      }
      if (digit(c)) {
        int from = i;
        while (i < s.length() && digit(s.charAt(i))) {
          i++;
        }
        try {
          return new Num(at, Long.parseLong(s.substring(from, i)));
        } catch (NumberFormatException e) {
          i = from;
          throw error("an integer that fits in 64 bits");
        }
      }
      if (letter(c)) {
        int from = i;
        while (i < s.length() && (letter(s.charAt(i)) || digit(s.charAt(i)))) {
          i++;
        }
        String name = s.substring(from, i);
        if (name.equals("in_transit")) {
          return new InTransit(at);
        }
        Var var;
        try {
          var = Var.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          i = from;
          throw error("clock[i], queue[i], sent[i], received[i] or in_transit");
        }
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
          i = from;
          throw error("clock[i], queue[i], sent[i], received[i] or in_transit (lower case)");
        }
        if (!eat("[")) {
          throw error("'[' and a VM id after " + name);
        }
        skip();
        int from2 = i;
        while (i < s.length() && digit(s.charAt(i))) {
          i++;
        }
        if (from2 == i) {
          throw error("a VM id (0, 1, ...)");
        }
        int vm;
        try {
          vm = Integer.parseInt(s.substring(from2, i));
        } catch (NumberFormatException e) {
          i = from2;
          throw error("a VM id (0, 1, ...)");
        }
        if (!eat("]")) {
          throw error("']'");
        }
        return new Ref(at, var, vm);
      }
      throw error("a number, clock[i], queue[i], sent[i], received[i], in_transit or (");
    }
  }
}
