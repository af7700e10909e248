package org.varlearn.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that it is either complete or absent: the content goes
 * to a hidden temporary file in the destination's folder, which is then
 * renamed over the destination (atomically where the file system allows).
 * A failure or an interruption never leaves a half-written file behind.
 */
public final class AtomicFiles {

	private AtomicFiles() {}

	/** Writes the content of a file at the path it is given. */
	@FunctionalInterface
	public interface Content {
		void writeTo(Path file) throws IOException;
	}

	public static void write(final Path dest, final Content content) throws IOException {
		final Path dir = dest.toAbsolutePath().getParent();
		Files.createDirectories(dir);
		// not Files.createTempFile: its owner-only permissions would stick to the result
		final Path tmp = dir.resolve("." + dest.getFileName() + "." + ProcessHandle.current().pid() + "." +
			Thread.currentThread().getId() + ".part");
		try {
			content.writeTo(tmp);
			if (!Files.isRegularFile(tmp) || Files.size(tmp) == 0) throw new IOException("Could not write " + dest + ".");
			try {
				Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch (final AtomicMoveNotSupportedException e) {
				Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
			}
		} finally {
			Files.deleteIfExists(tmp);
		}
	}
}
