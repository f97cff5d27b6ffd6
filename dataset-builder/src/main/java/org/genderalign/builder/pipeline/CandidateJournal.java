package org.genderalign.builder.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Append-only JSONL journal of generated candidates, one line per candidate, written seed batch by
 * seed batch and forced to disk after each batch. A build killed at any moment loses at most the
 * batch in flight; a truncated last line (the kill hit mid-write) is ignored on reading. A seed
 * counts as done only when all of its candidates are in the journal (a marker line closes each
 * batch).
 */
public final class CandidateJournal implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, List<Candidate>> bySeed;
  private static final long FORCE_INTERVAL_NANOS = 5_000_000_000L;
  private FileChannel channel;
  private long lastForce = System.nanoTime();
  private BufferedWriter writer;

  private CandidateJournal(Path file, Map<String, List<Candidate>> bySeed) {
    this.file = file;
    this.bySeed = bySeed;
  }

  /** A marker line that closes a batch: the seeds in it are complete. */
  record BatchEnd(List<String> batchEnd) {}

  /** Opens the journal, reading what a previous run completed (empty when {@code fresh}). */
  public static CandidateJournal open(Path file, boolean fresh) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Map<String, List<Candidate>> done = new LinkedHashMap<>();
    if (fresh) {
      Files.deleteIfExists(file);
    } else if (Files.exists(file)) {
      Map<String, List<Candidate>> pending = new LinkedHashMap<>();
      long validBytes = 0;
      long pos = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        pos += line.getBytes(StandardCharsets.UTF_8).length + 1;
        if (line.isBlank()) {
          continue;
        }
        try {
          if (line.startsWith("{\"batchEnd\"")) {
            BatchEnd end = JSON.readValue(line, BatchEnd.class);
            for (String s : end.batchEnd()) {
              done.put(s, pending.getOrDefault(s, List.of()));
            }
            pending.clear();
            validBytes = pos;
          } else {
            Candidate c = JSON.readValue(line, Candidate.class);
            pending.computeIfAbsent(c.seedId(), k -> new ArrayList<>()).add(c);
          }
        } catch (JsonProcessingException e) {
          // A line cut by a kill: everything after the last complete batch is redone.
          break;
        }
      }
      // Drop an incomplete tail so that new batches append after the last complete one.
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(Math.min(validBytes, ch.size()));
      }
    }
    CandidateJournal j = new CandidateJournal(file, done);
    j.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    j.writer = new BufferedWriter(new OutputStreamWriter(java.nio.channels.Channels.newOutputStream(j.channel),
        StandardCharsets.UTF_8));
    return j;
  }

  /** True when the seed's candidates are all journaled. */
  public boolean isDone(String seedId) {
    return bySeed.containsKey(seedId);
  }

  /** The journaled candidates of a seed (empty if none). */
  public List<Candidate> candidates(String seedId) {
    return bySeed.getOrDefault(seedId, List.of());
  }

  /** Number of completed seeds. */
  public int doneSeeds() {
    return bySeed.size();
  }

  /** Appends a batch: the candidates of these seeds, then the batch marker; forces to disk. */
  public synchronized void append(List<String> seedIds, List<Candidate> candidates) throws IOException {
    for (Candidate c : candidates) {
      writer.write(JSON.writeValueAsString(c));
      writer.write('\n');
    }
    writer.write(JSON.writeValueAsString(new BatchEnd(seedIds)));
    writer.write('\n');
    // flush() hands the batch to the OS, which is all a killed process needs; forcing it to the
    // disk (power loss) costs a disk round trip, so it happens at most every few seconds.
    writer.flush();
    long now = System.nanoTime();
    if (now - lastForce > FORCE_INTERVAL_NANOS) {
      channel.force(false);
      lastForce = now;
    }
    Map<String, List<Candidate>> grouped = new LinkedHashMap<>();
    for (String s : seedIds) {
      grouped.put(s, new ArrayList<>());
    }
    for (Candidate c : candidates) {
      grouped.computeIfAbsent(c.seedId(), k -> new ArrayList<>()).add(c);
    }
    bySeed.putAll(grouped);
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    writer.flush();
    channel.force(false);
    writer.close();
  }
}
