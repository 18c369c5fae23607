package dev.fetchq.worker.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file being written under a temporary {@code .part} name. {@link #commit()} makes it visible
 * under its final name in one atomic rename; {@link #close()} without a commit deletes it, so a
 * failed download leaves nothing behind.
 */
public final class StagedFile implements AutoCloseable {

  private final String key;
  private final Path target;
  private final Path part;
  private final FileChannel channel;
  private boolean committed;

  private StagedFile(String key, Path target, Path part, FileChannel channel) {
    this.key = key;
    this.target = target;
    this.part = part;
    this.channel = channel;
  }

  static StagedFile open(String key, Path target, Path part) throws StorageException {
    try {
      Files.createDirectories(part.getParent());
      var channel =
          FileChannel.open(
              part,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      return new StagedFile(key, target, part, channel);
    } catch (IOException e) {
      throw new StorageException("cannot create " + part, e);
    }
  }

  /** Appends {@code length} bytes of {@code bytes} from {@code offset}. */
  public void write(byte[] bytes, int offset, int length) throws StorageException {
    var buffer = ByteBuffer.wrap(bytes, offset, length);
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw new StorageException("cannot write " + part, e);
    }
  }

  /**
   * Flushes the file to disk and moves it to its final name, replacing an older copy (a redelivered
   * job downloads the same file again).
   *
   * @return the storage key of the committed file
   */
  public String commit() throws StorageException {
    try {
      // The success event that follows tells the world the file exists: make that true after a
      // power loss too.
      channel.force(true);
      channel.close();
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      committed = true;
      return key;
    } catch (IOException e) {
      throw new StorageException("cannot move " + part + " into place", e);
    }
  }

  /** Deletes the partial file unless it was committed. */
  @Override
  public void close() throws StorageException {
    if (committed) {
      return;
    }
    try {
      channel.close();
      Files.deleteIfExists(part);
    } catch (IOException e) {
      throw new StorageException("cannot delete " + part, e);
    }
  }
}
