package org.varlearn.learn;

import org.varlearn.operator.Grid;

/**
 * One training example for a restoration model: the degraded input, the
 * ground truth of the same grid, and an optional mask of the pixels the loss
 * counts (null = all), with a name saying where it came from.
 */
public final class TrainingPair {

	public final float[] input;
	public final float[] target;
	public final Grid grid;
	public final boolean[] mask;
	public final String source;

	public TrainingPair(final float[] input, final float[] target, final Grid grid, final boolean[] mask,
		final String source)
	{
		this.input = input;
		this.target = target;
		this.grid = grid;
		this.mask = mask;
		this.source = source;
	}

	/**
	 * Crops this pair into non-overlapping {@code size x size} patches (2D;
	 * each plane of a volume separately); a border that does not fill a patch is
	 * dropped. Returns this pair alone when it is smaller than one patch.
	 */
	public java.util.List<TrainingPair> patches(final int size) {
		final java.util.List<TrainingPair> out = new java.util.ArrayList<>();
		final int nx = grid.nx(), ny = grid.ny();
		if (size <= 0 || nx < size || ny < size) {
			out.add(this);
			return out;
		}
		final Grid pg = new Grid(new int[] { size, size }, new double[] { grid.spacing(0), grid.spacing(1) });
		for (int z = 0; z < grid.nz(); z++)
			for (int y0 = 0; y0 + size <= ny; y0 += size)
				for (int x0 = 0; x0 + size <= nx; x0 += size) {
					final float[] a = new float[size * size], b = new float[size * size];
					final boolean[] m = mask == null ? null : new boolean[size * size];
					for (int y = 0; y < size; y++) {
						final int src = x0 + nx * (y0 + y + ny * z);
						System.arraycopy(input, src, a, y * size, size);
						System.arraycopy(target, src, b, y * size, size);
						if (m != null) System.arraycopy(mask, src, m, y * size, size);
					}
					out.add(new TrainingPair(a, b, pg, m, source + "[" + x0 + "," + y0 + (grid.nz() > 1 ? "," + z : "") + "]"));
				}
		return out;
	}
}
