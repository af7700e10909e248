package org.varlearn.testutil;

import static org.junit.jupiter.api.Assertions.*;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ByteProcessor;

import org.junit.jupiter.api.Test;

/** The committed noisy test image is exactly what {@link MakeTestImages} makes from the committed clean one. */
class TestImagesProvenanceTest {

	@Test
	void noisyCameraIsCleanPlusSeededNoise() {
		final ImagePlus clean = IJ.openImage("test-images/camera.png");
		final ImagePlus noisy = IJ.openImage("test-images/camera_noisy25.tif");
		assertEquals(8, clean.getBitDepth());
		assertEquals(32, noisy.getBitDepth());
		assertEquals(256, clean.getWidth());
		final float[] expected = (float[]) MakeTestImages.addNoise((ByteProcessor) clean.getProcessor(), MakeTestImages.SIGMA,
			MakeTestImages.SEED).getPixels();
		assertArrayEquals(expected, (float[]) noisy.getProcessor().getPixels());
	}
}
