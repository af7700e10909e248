package org.varlearn.plugin;

import static org.junit.jupiter.api.Assertions.*;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.plugin.PlugIn;

import java.awt.GraphicsEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varlearn.image.ImagePlusFields;
import org.varlearn.image.ImagePlusFields.Block;
import org.varlearn.model.MultiLabelSegmenter;
import org.varlearn.solver.Monitor;
import org.varlearn.solver.TvType;

/** The segmentation commands in-process, headless, the way a macro's run() reaches them. */
class SegmentationPluginTest {

	@TempDir
	Path dir;

	@SuppressWarnings("unchecked")
	private static <T extends PlugIn> T run(final ImagePlus imp, final Class<T> type, final String options) {
		assertTrue(GraphicsEnvironment.isHeadless(), "tests run with java.awt.headless=true");
		final Object[] plugin = new Object[1];
		final Thread t = new Thread(() -> {
			Macro.setOptions(options);
			try {
				plugin[0] = IJ.runPlugIn(imp, type.getName(), "");
			} finally {
				Macro.setOptions(null);
			}
		}, "Run$_SegmentationPluginTest");
		t.start();
		assertDoesNotThrow(() -> t.join(60_000));
		assertFalse(t.isAlive());
		assertNotNull(plugin[0]);
		return (T) plugin[0];
	}

	@Test
	void hyperstackEveryChannelAndFrameWithSoftOutput() {
		final ImagePlus imp = org.varlearn.image.ImagePlusFieldsTest.hyperstack(9, 7, 2, 3, 2, 5);
		imp.getCalibration().pixelWidth = 0.5;
		final float[] before = ImagePlusFields.allPixels(imp);
		final MultiLabelSegment_ p = run(imp, MultiLabelSegment_.class, "labels=3 lambda=0.02 iterations=30 stack=3d soft threads=1");
		assertNotNull(p.getResult(), "a result");
		assertArrayEquals(before, ImagePlusFields.allPixels(imp), "input unchanged");
		final ImagePlus labels = p.getResult().labels, soft = p.getResult().soft;
		assertEquals(8, labels.getBitDepth());
		assertArrayEquals(imp.getDimensions(), labels.getDimensions());
		assertEquals(0.5, labels.getCalibration().pixelWidth, 0);
		assertArrayEquals(new int[] { 9, 7, 6, 3, 2 }, soft.getDimensions(), "K = 3 soft channels per input channel");
		final double peak = p.getResult().peak;
		for (final Block b : ImagePlusFields.blocks(imp, true)) {
			final float[] f = ImagePlusFields.read(imp, b).data.clone();
			for (int i = 0; i < f.length; i++) f[i] = (float) (f[i] / peak);
			final double[] m = p.getResult().means[b.channel - 1].clone();
			for (int k = 0; k < m.length; k++) m[k] /= peak;
			final MultiLabelSegmenter.Result r = MultiLabelSegmenter.segment(f, ImagePlusFields.grid(imp, b), m, 0.02, TvType.ISOTROPIC, 30, 1,
				1, true, Monitor.NONE);
			final int plane = 63;
			for (int z = 1; z <= 3; z++) {
				final byte[] got = (byte[]) labels.getStack().getPixels(labels.getStackIndex(b.channel, z, b.frame));
				for (int i = 0; i < plane; i++) assertEquals(r.labels[(z - 1) * plane + i], got[i] & 0xff, b + " z" + z + " pixel " + i);
				final float[] u2 = (float[]) soft.getStack().getPixels(soft.getStackIndex((b.channel - 1) * 3 + 2, z, b.frame));
				for (int i = 0; i < plane; i++) assertEquals(r.u[3 * plane + (z - 1) * plane + i], u2[i], 0f);
			}
		}
		assertEquals(0, labels.getProcessor().getColorModel() instanceof java.awt.image.IndexColorModel
			? ((java.awt.image.IndexColorModel) labels.getProcessor().getColorModel()).getRed(0) : -1, "label 0 is black");
	}

	@Test
	void badInputGivesNoOutputAndNoException() throws Exception {
		final ImagePlus small = new ImagePlus("small", new ij.process.FloatProcessor(8, 8));
		assertNull(run(small, MultiLabelSegment_.class, "labels=20").getResult());
		assertNull(run(small, MultiLabelSegment_.class, "lamda=1").getResult());
		assertNull(run(new ImagePlus("rgb", new ij.process.ColorProcessor(8, 8)), MultiLabelSegment_.class, "").getResult());
		final Path model = dir.resolve("m.json");
		assertNull(run(small, TrainSegmentation_.class, "labels=[no such image] model=[" + model + "]").getResult());
		assertNull(run(small, TrainSegmentation_.class, "labels=[small] iterations=2").getResult(), "model= is required");
		assertFalse(Files.exists(model));
	}
}
