package logicalclocks.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Writes target/reliability/RELIABILITY.md when a test run (surefire or failsafe) ends. */
public final class ReportWriter implements LauncherSessionListener {
  @Override
  public void launcherSessionClosed(LauncherSession session) {
    try {
      Reliability.assemble();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
