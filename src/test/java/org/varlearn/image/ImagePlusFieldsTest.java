package org.varlearn.image;

import static org.junit.jupiter.api.Assertions.*;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.varlearn.image.ImagePlusFields.Block;
import org.varlearn.operator.Grid;

public class ImagePlusFieldsTest {

	/** A c x z x t hyperstack of random 16-bit planes with anisotropic calibration. */
	public static ImagePlus hyperstack(final int w, final int h, final int c, final int z, final int t, final long seed) {
		final Random r = new Random(seed);
		final ImageStack st = new ImageStack(w, h);
		for (int i = 0; i < c * z * t; i++) {
			final ShortProcessor sp = new ShortProcessor(w, h);
			for (int k = 0; k < w * h; k++) sp.set(k, 1000 + r.nextInt(60000));
			st.addSlice("plane" + i, sp);
		}
		final ImagePlus imp = new ImagePlus("hyper", st);
		imp.setDimensions(c, z, t);
		imp.setOpenAsHyperStack(true);
		imp.getCalibration().pixelWidth = 0.2;
		imp.getCalibration().pixelHeight = 0.2;
		imp.getCalibration().pixelDepth = 0.5;
		imp.getCalibration().setUnit("um");
		return imp;
	}

	@Test
	void readsRawValuesOf8And16BitAndSharesFloatPlanes() {
		final ByteProcessor bp = new ByteProcessor(3, 2, new byte[] { 0, 1, (byte) 200, (byte) 255, 7, 8 });
		assertArrayEquals(new float[] { 0, 1, 200, 255, 7, 8 }, read2d(new ImagePlus("b", bp)).data);
		final ShortProcessor sp = new ShortProcessor(2, 1, new short[] { (short) 65535, 12 }, null);
		assertArrayEquals(new float[] { 65535, 12 }, read2d(new ImagePlus("s", sp)).data);
		final float[] px = { 1.5f, -2, 3, 4 };
		final Field f = read2d(new ImagePlus("f", new FloatProcessor(2, 2, px)));
		assertSame(px, f.data, "32-bit planes are not copied");
		assertTrue(f.shared);
	}

	private static Field read2d(final ImagePlus imp) {
		final List<Block> b = ImagePlusFields.blocks(imp, false);
		assertEquals(1, b.size());
		return ImagePlusFields.read(imp, b.get(0));
	}

	@Test
	void blocksCoverEveryChannelSliceAndFrame() {
		final ImagePlus imp = hyperstack(5, 4, 2, 3, 2, 1);
		assertEquals(2 * 3 * 2, ImagePlusFields.blocks(imp, false).size());
		final List<Block> vols = ImagePlusFields.blocks(imp, true);
		assertEquals(2 * 2, vols.size());
		for (final Block b : vols) assertTrue(b.isVolume());
	}

	@Test
	void calibrationBecomesRelativeSpacing() {
		final ImagePlus imp = hyperstack(5, 4, 1, 3, 1, 1);
		imp.getCalibration().pixelHeight = 0.4;
		final Grid g3 = ImagePlusFields.grid(imp, new Block(1, 0, 1));
		assertArrayEquals(new int[] { 5, 4, 3 }, g3.dims());
		assertArrayEquals(new double[] { 1, 2, 2.5 }, g3.spacing(), 1e-12);
		final Grid g2 = ImagePlusFields.grid(imp, new Block(1, 2, 1));
		assertArrayEquals(new double[] { 1, 2 }, g2.spacing(), 1e-12);
	}

	@Test
	void hyperstackRoundTripKeepsLayoutCalibrationAndValues() {
		for (final boolean volumes : new boolean[] { false, true }) {
			final ImagePlus imp = hyperstack(6, 5, 2, 3, 2, 7);
			final ImagePlus out = ImagePlusFields.createOutput(imp, "hyper-TV");
			for (final Block b : ImagePlusFields.blocks(imp, volumes))
				ImagePlusFields.write(out, b, ImagePlusFields.read(imp, b).data.clone());
			assertEquals(32, out.getBitDepth());
			assertEquals("hyper-TV", out.getTitle());
			assertArrayEquals(imp.getDimensions(), out.getDimensions());
			assertTrue(out.isHyperStack());
			assertEquals(0.2, out.getCalibration().pixelWidth);
			assertEquals(0.5, out.getCalibration().pixelDepth);
			assertEquals(imp.getCalibration().getUnit(), out.getCalibration().getUnit());
			assertEquals("plane5", out.getStack().getSliceLabel(6));
			assertArrayEquals(ImagePlusFields.allPixels(imp), ImagePlusFields.allPixels(out));
			// the plane at (c=2, z=3, t=1) holds the same values as in the input
			final ImageProcessor a = imp.getStack().getProcessor(imp.getStackIndex(2, 3, 1));
			final ImageProcessor o = out.getStack().getProcessor(out.getStackIndex(2, 3, 1));
			assertEquals(a.getf(4, 3), o.getf(4, 3));
		}
	}

	@Test
	void rgbIsRejectedWithAConversionHint() {
		final ImagePlus rgb = new ImagePlus("color", new ColorProcessor(4, 4));
		final String m = ImagePlusFields.check(rgb);
		assertNotNull(m);
		assertTrue(m.contains("RGB") && m.contains("Image > Type > 32-bit") && m.contains("Split Channels"), m);
		assertThrows(IllegalArgumentException.class, () -> ImagePlusFields.read(rgb, new Block(1, 1, 1)));
	}

	@Test
	void singlePixelIsRejected() {
		assertNotNull(ImagePlusFields.check(new ImagePlus("dot", new FloatProcessor(1, 1))));
		assertNull(ImagePlusFields.check(new ImagePlus("line", new FloatProcessor(2, 1))));
	}
}
