package logicalclocks.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import logicalclocks.recovery.InboxJournal;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery of a VM's queue: journal before ack, restore what was never received, remember
 * every id.
 */
class InboxJournalTest {
  @TempDir Path dir;

  @Test
  void acceptedMessagesSurviveACrashAndAreTakenOnce() throws Exception {
    Inbox before = new Inbox(10);
    try (InboxJournal journal = new InboxJournal(dir, 2)) {
      before.journalTo(journal);
      before.offer(new Message(0, 1, 5, 100));
      before.offer(new Message(1, 1, 7, 200));
      before.offer(new Message(0, 2, 9, 300));
      before.offer(new Message(0, 2, 9, 300));
      assertThat(before.offer(new Message(0, 1, 99, 1)))
          .as("a refused message is not journaled")
          .isEqualTo(Inbox.Offer.CONFLICT);
    }
    // The process dies mid-write of a fourth line.
    Files.writeString(InboxJournal.file(dir, 2), "1 2 3", StandardOpenOption.APPEND);
    List<Message> journaled = InboxJournal.read(InboxJournal.file(dir, 2));
    assertThat(journaled).extracting(Message::id).containsExactly("0-1", "1-1", "0-2");

    Inbox after = new Inbox(10);
    after.restore(journaled, Map.of("0-1", 5L), Map.of());
    assertThat(after.size()).as("0-1 was RECEIVEd before the crash").isEqualTo(2);
    assertThat(after.poll()).isEqualTo(new Message(1, 1, 7, 200));
    assertThat(after.offer(new Message(0, 1, 5, 100)))
        .as("a retry of a received message")
        .isEqualTo(Inbox.Offer.DUPLICATE);
    assertThat(after.offer(new Message(0, 2, 9, 300)))
        .as("a retry of a queued one")
        .isEqualTo(Inbox.Offer.DUPLICATE);
    assertThat(after.size()).isEqualTo(1);
  }

  /**
   * A long run: 50,000 messages accepted and received one by one, 50 always queued. The journal is
   * compacted to the queue whenever it passes {@link Inbox#COMPACT_AFTER} lines, so it never holds
   * more, and after a crash at any point it restores exactly what was queued.
   */
  @Test
  void theJournalStaysBoundedOnALongRun() throws Exception {
    Path file = InboxJournal.file(dir, 1);
    Inbox inbox = new Inbox(1000);
    long maxLines = 0;
    try (InboxJournal journal = new InboxJournal(dir, 1)) {
      inbox.journalTo(journal);
      for (int i = 1; i <= 50_000; i++) {
        inbox.offer(new Message(0, i, i, 0));
        if (i > 50) {
          inbox.poll();
          inbox.compactJournal();
        }
        if (i % 997 == 0) {
          maxLines = Math.max(maxLines, Files.readAllLines(file).size());
        }
      }
    }
    assertThat(maxLines)
        .as("journal lines at most")
        .isLessThanOrEqualTo(Inbox.COMPACT_AFTER + 1)
        .isPositive();
    assertThat(Files.size(file)).as("bytes at the end").isLessThan(400_000);
    List<Message> journaled = InboxJournal.read(file);
    Map<String, Long> received = new HashMap<>(); // what the event log RECEIVEd
    for (long i = 1; i <= 49_950; i++) {
      received.put(Message.id(0, i), i);
    }
    Inbox after = new Inbox(1000);
    after.restore(journaled, received, Map.of());
    assertThat(after.size()).isEqualTo(50);
    assertThat(after.poll().sequence()).isEqualTo(49_951);
  }

  /**
   * Opening a journal for appending cuts off a torn last record, so the next record gets a line of
   * its own.
   */
  @Test
  void openingCutsOffATornRecord() throws Exception {
    Path file = InboxJournal.file(dir, 3);
    Files.writeString(file, "0 1 5 100\n0 2 6");
    try (InboxJournal journal = new InboxJournal(dir, 3)) {
      journal.accepted(new Message(1, 1, 7, 200));
    }
    assertThat(Files.readString(file)).isEqualTo("0 1 5 100\n1 1 7 200 - 0\n");
    assertThat(InboxJournal.read(file)).extracting(Message::id).containsExactly("0-1", "1-1");
  }

  @Test
  void aMalformedJournalIsAnError() throws Exception {
    Files.writeString(InboxJournal.file(dir, 0), "0 x 1 2\n");
    Assertions.assertThatThrownBy(() -> InboxJournal.read(InboxJournal.file(dir, 0)))
        .hasMessageContaining("malformed journal line '0 x 1 2'");
    assertThat(InboxJournal.read(dir.resolve("none.inbox"))).isEmpty();
  }

  /** Finding 5: a journal belongs to its log; one without it, or of another run, is set aside. */
  @Test
  void aJournalIsReplayedOnlyBesideItsOwnLog() throws Exception {
    List<String> warnings = new java.util.ArrayList<>();
    try (InboxJournal j = new InboxJournal(dir, 1, "run-a")) {
      j.accepted(new Message(0, 1, 5, 100, null, 1));
    }
    assertThat(InboxJournal.adopt(dir, 1, null, false, false, warnings::add).messages())
        .as("its log never created (a crash before the first START): kept")
        .hasSize(1);
    assertThat(InboxJournal.adopt(dir, 1, "run-a", true, true, warnings::add).messages())
        .as("beside its own log")
        .hasSize(1);
    assertThat(warnings).isEmpty();
    assertThat(InboxJournal.adopt(dir, 1, "run-b", true, true, warnings::add).isEmpty())
        .as("beside another run's log")
        .isTrue();
    assertThat(warnings).singleElement().asString().contains("run-a").contains("stale-1");
    assertThat(dir.resolve("machine_1.inbox")).doesNotExist();
    assertThat(dir.resolve("machine_1.inbox.stale-1")).exists();

    try (InboxJournal j = new InboxJournal(dir, 1, "run-c")) {
      j.accepted(new Message(0, 1, 5, 100, null, 1));
      j.markLogCreated();
    }
    assertThat(InboxJournal.adopt(dir, 1, null, false, false, warnings::add).isEmpty())
        .as("its log was created, then deleted")
        .isTrue();
    assertThat(dir.resolve("machine_1.inbox.stale-2")).exists();
    assertThat(warnings).hasSize(2);
  }

  @Test
  void floorsSurviveACompaction() throws Exception {
    Inbox in = new Inbox(10);
    try (InboxJournal j = new InboxJournal(dir, 4, "r")) {
      in.journalTo(j);
      in.offer(new Message(0, 5, 5, 0, null, 3));
      in.offer(new Message(2, 9, 1, 0, null, 9));
      in.poll();
      j.rewrite(List.of(), in.floors());
    }
    var c = InboxJournal.contents(InboxJournal.file(dir, 4));
    assertThat(c.run()).isEqualTo("r");
    assertThat(c.floors()).containsEntry(0, 3L).containsEntry(2, 9L);
  }
}
