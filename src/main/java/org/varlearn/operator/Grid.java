package org.varlearn.operator;

import java.util.Arrays;

/**
 * The shape of a flat image field: 1 to 3 dimensions stored x-fastest in a
 * {@code float[]} of {@link #size()} elements, with a physical voxel spacing
 * per dimension. Pixel {@code (x, y, z)} sits at {@code x + nx * (y + ny * z)}.
 *
 * <p>A "line" is a run of {@code nx} pixels along x; the field has
 * {@code ny * nz} lines, line {@code l} starting at {@code l * nx}.
 *
 * <pre>{@code
 * Grid g = new Grid(new int[] { 512, 512 }, new double[] { 1, 1 });
 * float[] u = new float[g.size()];
 * }</pre>
 */
public final class Grid {

	private final int[] dims;
	private final double[] spacing;

	/**
	 * @param dims extents, 1 to 3 dimensions, each at least 1
	 * @param spacing voxel spacing per dimension (positive, finite); null means 1
	 */
	public Grid(final int[] dims, final double[] spacing) {
		if (dims.length < 1 || dims.length > 3)
			throw new IllegalArgumentException("Only 1 to 3 dimensions are supported, not " + dims.length + ".");
		long n = 1;
		for (final int d : dims) {
			if (d < 1) throw new IllegalArgumentException("Empty image: dimensions " + Arrays.toString(dims) + ".");
			n *= d;
		}
		if (n > Integer.MAX_VALUE - 16)
			throw new IllegalArgumentException("Image too large for one array: " + n + " pixels.");
		this.dims = dims.clone();
		this.spacing = new double[dims.length];
		for (int d = 0; d < dims.length; d++) {
			final double h = spacing == null ? 1 : spacing[d];
			if (!(h > 0) || Double.isInfinite(h))
				throw new IllegalArgumentException("Voxel spacing must be positive and finite, got " + h + " in dimension " + d + ".");
			this.spacing[d] = h;
		}
	}

	/** Unit spacing. */
	public Grid(final int... dims) {
		this(dims, null);
	}

	public int numDimensions() { return dims.length; }
	public int dim(final int d) { return d < dims.length ? dims[d] : 1; }
	public int[] dims() { return dims.clone(); }
	public double spacing(final int d) { return d < spacing.length ? spacing[d] : 1; }
	public double[] spacing() { return spacing.clone(); }
	public int nx() { return dim(0); }
	public int ny() { return dim(1); }
	public int nz() { return dim(2); }
	public int size() { return nx() * ny() * nz(); }
	public int lines() { return ny() * nz(); }

	/** Element stride of dimension {@code d}. */
	public int stride(final int d) {
		int s = 1;
		for (int k = 0; k < d; k++) s *= dim(k);
		return s;
	}

	/** Number of dimensions with more than one pixel (the gradient has that many components). */
	public int activeDimensions() {
		int a = 0;
		for (final int d : dims) if (d > 1) a++;
		return a;
	}

	/**
	 * Upper bound of the squared norm of the forward-difference gradient:
	 * {@code sum_d 4 / h_d^2} over dimensions with more than one pixel.
	 */
	public double gradientNormSquaredBound() {
		double s = 0;
		for (int d = 0; d < dims.length; d++) if (dims[d] > 1) s += 4 / (spacing[d] * spacing[d]);
		return s;
	}

	/** A 2D grid of one plane of this grid (same x/y spacing). */
	public Grid plane() {
		return new Grid(new int[] { nx(), ny() }, new double[] { spacing(0), spacing(1) });
	}

	@Override
	public String toString() {
		return "Grid" + Arrays.toString(dims) + " spacing " + Arrays.toString(spacing);
	}
}
