package org.varlearn.io;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads gray images (TIFF, PNG, ...) through ImageJ's openers, which work
 * with {@code java.awt.headless=true}, into float planes, and lists the image
 * files of a folder in name order. Used to load training sets from disk.
 */
public final class ImageFiles {

	private ImageFiles() {}

	private static final String[] EXTENSIONS = { ".tif", ".tiff", ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".pgm" };

	/** One 2D plane as floats, with the file it came from. */
	public static final class Plane {
		public final float[] pixels;
		public final int width, height;
		public final int bitDepth;
		public final String source;

		Plane(final float[] pixels, final int width, final int height, final int bitDepth, final String source) {
			this.pixels = pixels;
			this.width = width;
			this.height = height;
			this.bitDepth = bitDepth;
			this.source = source;
		}
	}

	/** All planes of an image file (one per slice of a stack); RGB is refused with a message. */
	public static List<Plane> readPlanes(final Path file) {
		if (!Files.isRegularFile(file)) throw new IllegalArgumentException("Cannot read " + file + ": no such file.");
		final ImagePlus imp = IJ.openImage(file.toString());
		if (imp == null) throw new IllegalArgumentException("Cannot read " + file + ": not an image ImageJ can open.");
		if (imp.getBitDepth() == 24)
			throw new IllegalArgumentException(file + " is an RGB image; VarLearn works on gray intensities. Convert it " +
				"(Image > Type > 32-bit, or split the channels) and save it again.");
		final ImageStack stack = imp.getStack();
		final List<Plane> planes = new ArrayList<>();
		for (int s = 1; s <= stack.getSize(); s++) {
			final float[] px = (float[]) stack.getProcessor(s).convertToFloatProcessor().getPixels();
			planes.add(new Plane(px, imp.getWidth(), imp.getHeight(), imp.getBitDepth(),
				file.getFileName() + (stack.getSize() > 1 ? " slice " + s : "")));
		}
		return planes;
	}

	/** The image files of a folder, sorted by name; an empty or missing folder gives a message. */
	public static List<Path> list(final Path folder) {
		if (!Files.isDirectory(folder)) throw new IllegalArgumentException("Cannot read folder " + folder + ": no such folder.");
		final List<Path> out = new ArrayList<>();
		try (Stream<Path> s = Files.list(folder)) {
			s.filter(p -> isImage(p.getFileName().toString())).sorted().forEach(out::add);
		} catch (final java.io.IOException e) {
			throw new IllegalArgumentException("Cannot list folder " + folder + ": " + e.getMessage());
		}
		if (out.isEmpty()) throw new IllegalArgumentException("Folder " + folder + " holds no image files (.tif, .png, ...).");
		return out;
	}

	private static boolean isImage(final String name) {
		final String n = name.toLowerCase(Locale.ROOT);
		if (n.startsWith(".")) return false;
		for (final String e : EXTENSIONS) if (n.endsWith(e)) return true;
		return false;
	}
}
