package logicalclocks.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import logicalclocks.event.LogEvent;
import logicalclocks.log.EventLogFormat;
import logicalclocks.log.EventLogReader;
import logicalclocks.network.Retries;
import logicalclocks.recovery.InboxJournal;
import logicalclocks.recovery.ResumePoint;
import logicalclocks.vm.Inbox;
import logicalclocks.vm.VirtualMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VM's crash recovery, apart from its lifecycle: what an earlier process of it left, read back
 * before it starts — its inbox journal (only if it belongs to this log: {@link
 * InboxJournal#adopt}), then its log, once, keeping only what resuming needs — with its inbox
 * restored from them and its journal reopened.
 *
 * @param from where its log leaves it (its clocks, sequence, what it received, what it may have to
 *     send again)
 * @param run the run its log belongs to (its first START's, or the journal's, or a new one)
 * @param journal its inbox journal, open for appending, its inbox journaling to it
 */
record Recovery(ResumePoint from, String run, InboxJournal journal) {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  /**
   * Reads VM {@code id}'s journal and log in {@code logDir}, restores {@code inbox} from them and
   * journals it from now on.
   */
  static Recovery of(int id, Path logDir, Duration sendTimeout, Inbox inbox) throws IOException {
    Path logFile = logDir.resolve(EventLogFormat.fileName(id));
    Files.createDirectories(logDir);
    boolean logExisted = Files.exists(logFile);
    String logRun;
    try {
      LogEvent first = logExisted ? EventLogReader.first(logFile) : null;
      logRun = first == null ? null : first.get(VirtualMachine.RUN_ID_KEY);
    } catch (EventLogReader.BadLogException e) {
      throw new IOException("cannot resume from the existing log: " + e.getMessage(), e);
    }
    boolean logHasLines = logExisted && Files.size(logFile) > 0;
    InboxJournal.Contents journaled =
        InboxJournal.adopt(logDir, id, logRun, logExisted, logHasLines, msg -> LOG.warn(msg));
    Set<String> inJournal = new HashSet<>();
    journaled.messages().forEach(m -> inJournal.add(m.id()));
    Map<Integer, Long> floors = journaled.floors();
    Duration window = Retries.giveUpAfter(sendTimeout).plusSeconds(2);
    ResumePoint from;
    try {
      from =
          ResumePoint.of(
              logFile,
              id,
              window,
              (sender, seq, msg) ->
                  seq >= floors.getOrDefault(sender, 0L) || inJournal.contains(msg));
    } catch (EventLogReader.BadLogException e) {
      throw new IOException("cannot resume from the existing log: " + e.getMessage(), e);
    }
    String run =
        from.lines() > 0
            ? from.run()
            : journaled.run() != null ? journaled.run() : UUID.randomUUID().toString();
    inbox.restore(journaled.messages(), from.received(), floors);
    InboxJournal journal = new InboxJournal(logDir, id, run);
    inbox.journalTo(journal);
    if (from.lines() > 0) {
      LOG.info(
          "VM {} resumes its log at clock {} (message sequence {}), {} message(s) back in its queue, {} whose"
              + " fate it does not know",
          id,
          from.clock(),
          from.sequence(),
          inbox.size(),
          from.resend().size());
    }
    return new Recovery(from, run, journal);
  }
}
