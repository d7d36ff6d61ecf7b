package logicalclocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A SIGTERM that comes just after the run's end won the stop is not lost: the node must not then
 * idle (AFTER_RUN=wait) waiting for a signal that already came.
 */
class StopSignalTest {
  @Test
  void aSignalAfterTheRunEndedIsRemembered() throws Exception {
    StopSignal stop = new StopSignal();
    stop.request("finished");
    stop.request("signal");
    assertThat(stop.await()).as("the first reason wins the stop").isEqualTo("finished");
    assertThat(stop.signalled()).as("but the signal is remembered").isTrue();
    stop.awaitSignal(); // returns at once
  }

  @Test
  void noSignalNoneRemembered() throws Exception {
    StopSignal stop = new StopSignal();
    stop.request("finished");
    assertThat(stop.signalled()).isFalse();
  }
}
