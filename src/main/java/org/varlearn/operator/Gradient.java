package org.varlearn.operator;

/**
 * Forward-difference gradient on a {@link Grid} with Neumann boundary
 * (the difference leaving the image is zero), scaled by the voxel spacing:
 * {@code (grad u)_d[i] = (u[i + stride_d] - u[i]) / h_d}.
 *
 * <p>The output stacks one component per grid dimension:
 * component {@code d} occupies {@code [d * n, (d + 1) * n)}. The adjoint is
 * minus the divergence, {@code <grad u, p> = -<u, div p>}, and
 * {@code ||grad||^2 <= sum_d 4 / h_d^2}.
 */
public final class Gradient implements LinearOperator {

	private final Grid grid;

	public Gradient(final Grid grid) {
		this.grid = grid;
	}

	public Grid grid() { return grid; }

	/** Number of components (one per grid dimension). */
	public int components() { return grid.numDimensions(); }

	@Override public int inputSize() { return grid.size(); }
	@Override public int outputSize() { return grid.size() * components(); }
	@Override public double normBound() { return Math.sqrt(grid.gradientNormSquaredBound()); }

	@Override
	public void apply(final double[] u, final double[] out) {
		final int n = grid.size();
		for (int d = 0; d < components(); d++) {
			final int stride = grid.stride(d), len = grid.dim(d);
			final double ih = 1 / grid.spacing(d);
			final int off = d * n;
			for (int i = 0; i < n; i++) {
				final int coord = (i / stride) % len;
				out[off + i] = coord < len - 1 ? (u[i + stride] - u[i]) * ih : 0;
			}
		}
	}

	@Override
	public void applyAdjoint(final double[] p, final double[] out) {
		divergence(p, out);
		for (int i = 0; i < out.length; i++) out[i] = -out[i];
	}

	/** {@code out = div p = -grad^T p}. */
	public void divergence(final double[] p, final double[] out) {
		final int n = grid.size();
		java.util.Arrays.fill(out, 0, n, 0);
		for (int d = 0; d < components(); d++) {
			final int stride = grid.stride(d), len = grid.dim(d);
			final double ih = 1 / grid.spacing(d);
			final int off = d * n;
			for (int i = 0; i < n; i++) {
				final int coord = (i / stride) % len;
				final double here = coord < len - 1 ? p[off + i] : 0;
				final double before = coord > 0 ? p[off + i - stride] : 0;
				out[i] += (here - before) * ih;
			}
		}
	}
}
