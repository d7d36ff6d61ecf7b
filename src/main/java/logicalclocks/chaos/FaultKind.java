package logicalclocks.chaos;

/** What a fault does to one VM's process, and how it recovers. */
public enum FaultKind {
  /** SIGKILL, then the same command again at once. */
  KILL("kill", "SIGKILL, restart at once"),
  /** SIGKILL, then the same command again some seconds later. */
  KILL_LATER("kill-later", "SIGKILL, restart %.1f s later"),
  /** SIGKILL, then the same command again once every other VM has finished its run. */
  KILL_AFTER_RUN("kill-after-run", "SIGKILL, restart after the others finished their run"),
  /** SIGSTOP, then SIGCONT some seconds later. */
  PAUSE("pause", "SIGSTOP, SIGCONT %.1f s later"),
  /** SIGTERM (a clean stop), then the same command again once it has exited. */
  TERM("term", "SIGTERM, restart once it exits");

  private final String id;
  private final String action;

  FaultKind(String id, String action) {
    this.id = id;
    this.action = action;
  }

  /** The name printed in schedules, e.g. {@code kill-later}. */
  public String id() {
    return id;
  }

  /** What is done, e.g. {@code SIGSTOP, SIGCONT 2.5 s later}. */
  public String describe(long holdMillis) {
    return String.format(java.util.Locale.ROOT, action, holdMillis / 1000.0);
  }

  /** Whether the fault ends by starting the VM's process again. */
  public boolean restarts() {
    return this != PAUSE;
  }
}
