package dev.fetchq.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fetchq.testsupport.Content;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The books of a run: what each submitted job ended as, read from the database and the storage
 * directory, and checked against what was submitted. The check a user would make after a load or a
 * fault: every job in exactly one final state, every file there once with the right checksum.
 */
final class JobLedger {

  private final FetchqCluster fetchq;
  private final Map<UUID, Content> submitted = new HashMap<>();

  JobLedger(FetchqCluster fetchq) {
    this.fetchq = fetchq;
  }

  /** Records that the api accepted job {@code id} for {@code content}. */
  synchronized void submitted(String id, Content content) {
    submitted.put(UUID.fromString(id), content);
  }

  synchronized int size() {
    return submitted.size();
  }

  /** How many of the submitted jobs are in each status right now. */
  Map<String, Integer> statusCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    rows().values().forEach(row -> counts.merge(row.status(), 1, Integer::sum));
    return counts;
  }

  /** Whether every submitted job has reached a final status. */
  boolean allFinal() {
    var rows = rows();
    return rows.size() == size()
        && rows.values().stream()
            .allMatch(r -> List.of("SUCCEEDED", "DEAD", "CANCELLED").contains(r.status()));
  }

  /**
   * Asserts that every submitted job SUCCEEDED, with exactly one succeeded attempt, the expected
   * SHA-256 in its row, and one stored file (no partial file left) with that SHA-256.
   */
  void assertEverySucceededOnce() {
    Map<UUID, Content> expected;
    synchronized (this) {
      expected = Map.copyOf(submitted);
    }
    var rows = rows();
    assertThat(rows.keySet()).as("every accepted job has a row").containsAll(expected.keySet());
    List<String> wrong = new ArrayList<>();
    Map<String, Integer> filesByJob = filesByJob();
    for (var entry : expected.entrySet()) {
      Row row = rows.get(entry.getKey());
      String sha256 = entry.getValue().sha256();
      if (!row.status().equals("SUCCEEDED")) {
        wrong.add(row.id() + " is " + row.status());
      } else if (!sha256.equals(row.sha256())) {
        wrong.add(row.id() + " has SHA-256 " + row.sha256() + ", expected " + sha256);
      } else if (row.succeededAttempts() != 1) {
        wrong.add(row.id() + " has " + row.succeededAttempts() + " succeeded attempts");
      } else if (filesByJob.getOrDefault(row.id().toString(), 0) != 1) {
        wrong.add(row.id() + " has " + filesByJob.get(row.id().toString()) + " files in storage");
      } else if (!sha256.equals(sha256Of(fetchq.storage.resolve(row.storageKey())))) {
        wrong.add(row.id() + ": the stored file " + row.storageKey() + " has another SHA-256");
      }
    }
    assertThat(wrong).as("jobs not succeeded exactly once with the right file").isEmpty();
  }

  private record Row(
      UUID id, String status, String sha256, String storageKey, int succeededAttempts) {}

  private Map<UUID, Row> rows() {
    var sql =
        """
        select j.id, j.status, j.sha256, j.storage_key,
               (select count(*) from job_attempt a
                 where a.job_id = j.id and a.outcome = 'SUCCEEDED') as succeeded
          from job j
        """;
    Map<UUID, Row> rows = new HashMap<>();
    try (var connection = fetchq.postgres.connect();
        var statement = connection.createStatement();
        var result = statement.executeQuery(sql)) {
      while (result.next()) {
        UUID id = result.getObject(1, UUID.class);
        rows.put(
            id,
            new Row(
                id,
                result.getString(2),
                result.getString(3),
                result.getString(4),
                result.getInt(5)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    synchronized (this) {
      rows.keySet().retainAll(submitted.keySet());
    }
    return rows;
  }

  /** Files in storage (final or partial) per job id found in their names. */
  private Map<String, Integer> filesByJob() {
    Map<String, Integer> counts = new HashMap<>();
    try (Stream<Path> files = Files.walk(fetchq.storage)) {
      files
          .filter(Files::isRegularFile)
          .filter(f -> !fetchq.storage.relativize(f).startsWith(".locks"))
          .forEach(
              f -> {
                String name = f.getFileName().toString();
                if (name.length() >= 36) {
                  counts.merge(name.substring(0, 36), 1, Integer::sum);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return counts;
  }

  private static String sha256Of(Path file) {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      return "unreadable: " + e;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
