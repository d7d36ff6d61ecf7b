package logicalclocks.analysis.cuts;

/**
 * A predicate asked of a finished run, as the page asks it: whether it possibly held (and where),
 * whether it definitely held, and its value at a given cut. The same answers as {@code analyze
 * --possibly / --definitely}, from the same code.
 *
 * @param possibly whether some consistent cut satisfies it (null: the walk stopped at its bound)
 * @param witness such a cut, per VM its events inside (null when none)
 * @param definitely whether every path of consistent cuts passes through one (null: unknown)
 * @param atCut its value at the cut asked about (null when none was asked, or it is not consistent)
 * @param consistent whether the cut asked about is consistent (null when none was asked)
 */
public record Question(
    Boolean possibly, int[] witness, Boolean definitely, Boolean atCut, Boolean consistent) {

  /**
   * Asks {@code text} of run {@code r}, at {@code cut} too (null: no cut).
   *
   * @throws Expr.BadExpr naming what is wrong with the expression (or the VMs it names)
   * @throws Expr.Overflow when its arithmetic goes past 64-bit integers
   */
  public static Question ask(CutRun r, String text, int[] cut) throws Expr.BadExpr {
    Expr x = Expr.parse(text);
    x.check(r.machines());
    Lattice.Answer p = Lattice.possibly(r, x, Lattice.WALK_BOUND);
    Lattice.Answer d = Lattice.definitely(r, x, Lattice.WALK_BOUND);
    Boolean consistent = null;
    Boolean at = null;
    if (cut != null && cut.length == r.machines()) {
      boolean inRange = true;
      for (int i = 0; i < cut.length; i++) {
        inRange &= cut[i] >= 0 && cut[i] <= r.events(i);
      }
      consistent = inRange && r.consistent(cut);
      at = consistent ? x.value(r, cut) != 0 : null;
    }
    return new Question(p.holds(), p.cut(), d.holds(), at, consistent);
  }
}
