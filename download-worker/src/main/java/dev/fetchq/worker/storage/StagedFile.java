package dev.fetchq.worker.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A job's file being written under a temporary {@code .part} name, possibly continuing what an
 * earlier attempt (on any worker) left. {@link #commit()} makes it visible under its final name in
 * one atomic rename. {@link #keep()} leaves it for a later attempt to resume; {@link #close()}
 * without either deletes it, so a failed download leaves nothing behind.
 *
 * <p>Beside it lies {@code .part.meta}: what the downloader recorded about the bytes in the part
 * (for HTTP, the URL and validators), given when the part is started and never changed after. It is
 * written to disk only once there is something worth resuming: before bytes are appended to bytes
 * already written (or when the part is {@link #keep() kept}), so a file that arrives in one write
 * (most small files) never costs a record on disk; a crash before its first write completes only
 * means that write is fetched again. Whatever the record says, only the bytes actually in the part
 * file count: a crash may lose a tail of them but never adds any. A part without meta cannot be
 * resumed.
 */
public final class StagedFile implements AutoCloseable {

  private final String key;
  private final Path target;
  private final Path part;
  private final Path meta;
  private final FileChannel channel;
  private String resumeInfo;

  /** Whether {@link #resumeInfo} is yet to be written to disk. */
  private boolean recordPending;

  /** Whether a record (or a temporary one) may lie on disk. */
  private boolean recordOnDisk;

  private long size;
  private boolean committed;
  private boolean kept;

  private StagedFile(
      String key,
      Path target,
      Path part,
      Path meta,
      FileChannel channel,
      boolean recordFound,
      String resumeInfo)
      throws IOException {
    this.key = key;
    this.target = target;
    this.part = part;
    this.meta = meta;
    this.channel = channel;
    this.resumeInfo = resumeInfo;
    this.size = channel.size();
    // An empty part without a record (a new download) has nothing beside it to clean up.
    this.recordOnDisk = recordFound || size > 0;
    if (size > 0) {
      channel.position(size);
    }
  }

  static StagedFile open(String key, Path target, Path part, Path meta) throws StorageException {
    FileChannel channel = null;
    try {
      Files.createDirectories(part.getParent());
      channel =
          FileChannel.open(
              part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      // Most parts are new and have no record: a check costs less than the exception of a read.
      boolean recordFound = Files.isRegularFile(meta);
      return new StagedFile(
          key, target, part, meta, channel, recordFound, recordFound ? readMeta(meta) : null);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StorageException("cannot open " + part, e);
    }
  }

  /**
   * The number of bytes in the part: what was on disk when it was opened, plus what was written.
   */
  public long size() {
    return size;
  }

  /** What was recorded about the bytes in the part when they were started, if anything. */
  public Optional<String> resumeInfo() {
    return Optional.ofNullable(resumeInfo);
  }

  /**
   * Empties the part to start again from byte 0, and records {@code info} about the bytes that will
   * follow ({@code null}: nothing, the part cannot be resumed). The old record is removed first,
   * and bytes thrown away are gone for good before the new record is written, so no record ever
   * describes bytes it was not written for.
   *
   * <p>The record itself is not flushed: lost or torn by a crash, it only means the part is
   * downloaded again. That keeps the start of every download free of a disk flush.
   */
  public void restart(String info) throws StorageException {
    try {
      if (recordOnDisk) {
        deleteMeta(meta);
        recordOnDisk = false;
      }
      resumeInfo = null;
      recordPending = false;
      if (size > 0) {
        channel.truncate(0);
        channel.force(true);
        channel.position(0);
      }
      size = 0;
      resumeInfo = info;
      recordPending = info != null;
    } catch (IOException e) {
      throw new StorageException("cannot restart " + part, e);
    }
  }

  /** The bytes already in the part, from the first, for hashing them before appending more. */
  public InputStream readBack() throws StorageException {
    try {
      return new Bounded(Files.newInputStream(part), size);
    } catch (IOException e) {
      throw new StorageException("cannot read " + part, e);
    }
  }

  /** Appends {@code length} bytes of {@code bytes} from {@code offset}. */
  public void write(byte[] bytes, int offset, int length) throws StorageException {
    var buffer = ByteBuffer.wrap(bytes, offset, length);
    try {
      if (recordPending && size > 0) {
        // More bytes after the first write: now the part is worth resuming.
        writeMeta(resumeInfo);
      }
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      size += length;
    } catch (IOException e) {
      throw new StorageException("cannot write " + part, e);
    }
  }

  /**
   * Flushes the file to disk and moves it to its final name, replacing an older copy (a redelivered
   * job downloads the same file again); its record goes first.
   *
   * @return the storage key of the committed file
   */
  public String commit() throws StorageException {
    try {
      // The success event that follows tells the world the file exists: make that true after a
      // power loss too.
      channel.force(true);
      channel.close();
      // The record first: should the move fail, a part without one is started again, never
      // continued.
      if (recordOnDisk) {
        deleteMeta(meta);
        recordOnDisk = false;
      }
      resumeInfo = null;
      recordPending = false;
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      committed = true;
      return key;
    } catch (IOException e) {
      throw new StorageException("cannot move " + part + " into place", e);
    }
  }

  /**
   * Leaves the part for a later attempt to resume, its bytes flushed to disk, if it can be resumed
   * (it has a record and bytes); otherwise deletes it like {@link #close()}. Works on an
   * interrupted thread too: a worker that stops keeps what it downloaded.
   *
   * @return whether the part was kept
   */
  public boolean keep() throws StorageException {
    if (committed || resumeInfo == null || size == 0) {
      close();
      return false;
    }
    kept = true;
    // A FileChannel used by an interrupted thread closes: flush with the flag cleared. Should the
    // flush fail, the part is kept all the same: the next attempt trusts only what is on disk.
    boolean interrupted = Thread.interrupted();
    try {
      if (recordPending) {
        writeMeta(resumeInfo);
      }
      if (channel.isOpen()) {
        channel.force(false);
      }
    } catch (IOException e) {
      // see above
    } finally {
      closeQuietly(channel);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return true;
  }

  /** Deletes the part and its record unless it was committed or kept. */
  @Override
  public void close() throws StorageException {
    if (committed || kept) {
      return;
    }
    try {
      channel.close();
      // The record first: a part without one is never resumed.
      if (recordOnDisk) {
        deleteMeta(meta);
      }
      Files.deleteIfExists(part);
    } catch (IOException e) {
      throw new StorageException("cannot delete " + part, e);
    }
  }

  static void delete(Path part, Path meta) throws StorageException {
    try {
      // The record first: a part without one is never resumed.
      deleteMeta(meta);
      Files.deleteIfExists(part);
    } catch (IOException e) {
      throw new StorageException("cannot delete " + part, e);
    }
  }

  private static void deleteMeta(Path meta) throws IOException {
    Files.deleteIfExists(meta);
    Files.deleteIfExists(temporary(meta));
  }

  /** Written whole or not at all: to a temporary file, then renamed over. */
  private void writeMeta(String info) throws IOException {
    recordPending = false;
    recordOnDisk = true;
    Path temporary = temporary(meta);
    try (var out =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      var buffer = ByteBuffer.wrap(info.getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
    }
    Files.move(
        temporary, meta, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String readMeta(Path meta) {
    try {
      return Files.readString(meta, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      // Unreadable is as good as missing: the part is started again.
      return null;
    }
  }

  private static Path temporary(Path meta) {
    return meta.resolveSibling(meta.getFileName() + ".tmp");
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // already failing with the open error
      }
    }
  }

  /** The first {@code limit} bytes of a stream. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private long remaining;

    Bounded(InputStream in, long limit) {
      this.in = in;
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
