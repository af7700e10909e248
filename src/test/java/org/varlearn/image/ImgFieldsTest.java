package org.varlearn.image;

import static org.junit.jupiter.api.Assertions.*;

import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;

class ImgFieldsTest {

	@Test
	void copiesAnyRealTypeXFastest() {
		final Img<UnsignedShortType> img = ArrayImgs.unsignedShorts(4, 3, 2);
		final RandomAccess<UnsignedShortType> ra = img.randomAccess();
		ra.setPosition(new long[] { 3, 1, 1 });
		ra.get().set(60000);
		final Field f = ImgFields.toField(img, new double[] { 1, 1, 3 });
		assertArrayEquals(new int[] { 4, 3, 2 }, f.grid.dims());
		assertEquals(3, f.grid.spacing(2));
		assertEquals(60000f, f.data[3 + 4 * (1 + 3 * 1)]);
		assertFalse(f.shared);
	}

	@Test
	void wrapsWithoutCopying() {
		final float[] data = new float[6];
		final Img<FloatType> img = ImgFields.toImg(data, 3, 2);
		data[4] = 2.5f;
		final RandomAccess<FloatType> ra = img.randomAccess();
		ra.setPosition(new long[] { 1, 1 });
		assertEquals(2.5f, ra.get().get());
		assertArrayEquals(data, ImgFields.toField(img, null).data);
	}

	@Test
	void rejectsFourDimensionsAndSizeMismatch() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> ImgFields.toField(ArrayImgs.floats(2, 2, 2, 2), null));
		assertTrue(e.getMessage().contains("4 dimensions"));
		assertThrows(IllegalArgumentException.class, () -> ImgFields.toImg(new float[5], 2, 3));
	}
}
