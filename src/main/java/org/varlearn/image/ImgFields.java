package org.varlearn.image;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.varlearn.operator.Grid;

/**
 * The ImgLib2 side of the image boundary: copies any real-valued
 * {@link RandomAccessibleInterval} of 1 to 3 dimensions into a flat
 * x-fastest {@link Field}, and wraps a flat {@code float[]} as an
 * {@code Img<FloatType>} without copying.
 *
 * <pre>{@code
 * Field f = ImgFields.toField(img, null);
 * float[] u = TvDenoiser.denoise(f.data, f.grid, 19, TvType.ISOTROPIC, settings, Monitor.NONE).u;
 * Img<FloatType> out = ImgFields.toImg(u, f.grid);
 * }</pre>
 */
public final class ImgFields {

	private ImgFields() {}

	/**
	 * Copies {@code rai} (flat iteration order, x fastest) into a new field.
	 *
	 * @param spacing voxel spacing per dimension, or null for unit spacing
	 * @throws IllegalArgumentException when the interval has more than 3 dimensions or is too large
	 */
	public static Field toField(final RandomAccessibleInterval<? extends RealType<?>> rai, final double[] spacing) {
		final int n = rai.numDimensions();
		if (n < 1 || n > 3)
			throw new IllegalArgumentException("Only 1 to 3 dimensional images are supported, this one has " + n +
				" dimensions: process channels or frames separately.");
		final int[] dims = new int[n];
		long size = 1;
		for (int d = 0; d < n; d++) {
			final long e = rai.dimension(d);
			if (e > Integer.MAX_VALUE) throw new IllegalArgumentException("Image too large: dimension " + d + " is " + e + ".");
			dims[d] = (int) e;
			size *= e;
		}
		final Grid grid = new Grid(dims, spacing);
		final float[] data = new float[(int) size];
		final Cursor<? extends RealType<?>> c = Views.flatIterable(rai).cursor();
		for (int i = 0; i < data.length; i++)
			data[i] = c.next().getRealFloat();
		return new Field(data, grid, false);
	}

	/** Wraps {@code data} (x fastest) as an image of the given dimensions; the array is shared, not copied. */
	public static ArrayImg<FloatType, FloatArray> toImg(final float[] data, final long... dims) {
		long n = 1;
		for (final long d : dims) n *= d;
		if (n != data.length)
			throw new IllegalArgumentException("Data length " + data.length + " does not match dimensions of " + n + " pixels.");
		return ArrayImgs.floats(data, dims);
	}

	/** Wraps a field's array with the grid's dimensions (no copy). */
	public static Img<FloatType> toImg(final float[] data, final Grid grid) {
		final int[] d = grid.dims();
		final long[] dims = new long[d.length];
		for (int k = 0; k < d.length; k++) dims[k] = d[k];
		return toImg(data, dims);
	}
}
