package org.varlearn.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varlearn.learn.FiniteDifferences;
import org.varlearn.learn.Loss;
import org.varlearn.learn.SegmentationLoss;
import org.varlearn.learn.Unroller;
import org.varlearn.operator.Grid;
import org.varlearn.solver.DualStep;
import org.varlearn.solver.TvType;

/** Forward mode, reverse mode and central differences agree for the segmentation iteration. */
class SegmentationGradientTest {

	/** A piecewise-constant image of `labels` regions plus noise, and its region labels (1-based). */
	static double[] image(final Grid grid, final int[] labelsOut, final int labels, final long seed) {
		final Random r = new Random(seed);
		final int n = grid.size(), nx = grid.nx(), ny = grid.ny();
		final double[] f = new double[n];
		for (int i = 0; i < n; i++) {
			final int x = i % nx, y = (i / nx) % ny, z = i / (nx * ny);
			final int region = ((x * labels) / nx + (y > ny / 2 ? 1 : 0) + z) % labels;
			labelsOut[i] = region + 1;
			f[i] = (region + 0.5) / labels + 0.15 * r.nextGaussian();
		}
		return f;
	}

	@ParameterizedTest
	@CsvSource({
		"1,ISOTROPIC,2,SQUARED,2", "10,ISOTROPIC,2,SQUARED,2", "100,ISOTROPIC,2,SQUARED,2",
		"1,ANISOTROPIC,2,SQUARED,3", "10,ANISOTROPIC,2,CROSS_ENTROPY,3", "100,ANISOTROPIC,2,SQUARED,3",
		"10,ISOTROPIC,2,CROSS_ENTROPY,4", "100,ISOTROPIC,2,CROSS_ENTROPY,2",
		"10,ANISOTROPIC,3,SQUARED,3", "10,ISOTROPIC,3,CROSS_ENTROPY,2" })
	void forwardReverseAndFiniteDifferencesAgree(final int steps, final TvType type, final int dims,
		final SegmentationLoss.Kind kind, final int labels)
	{
		final Grid grid = dims == 2 ? new Grid(new int[] { 12, 10 }, new double[] { 1, 1.2 }) : new Grid(7, 6, 4);
		final int[] lab = new int[grid.size()];
		final double[] f = image(grid, lab, labels, 5);
		final double[] means = new double[labels];
		for (int k = 0; k < labels; k++) means[k] = (k + 0.5) / labels + 0.05 * (k % 2 == 0 ? 1 : -1);
		final SegmentationUnrolled it = new SegmentationUnrolled(f, grid, means, 0.3, type, DualStep.BREGMAN, 1);
		final Loss loss = new SegmentationLoss(kind, lab, labels);
		final Unroller.Evaluation fwd = Unroller.gradientForward(it, steps, false, loss);
		final Unroller.Evaluation rev = Unroller.gradientReverse(it, steps, false, loss);
		final double[] fd = FiniteDifferences.central(it, p -> loss.value(Unroller.solve(it, steps, false, null)), 1e-5);
		assertEquals(fwd.loss, rev.loss, 1e-14);
		for (int j = 0; j < fd.length; j++) {
			final double tol = 1e-3 * Math.abs(fd[j]) + 1e-10;
			assertEquals(fd[j], fwd.gradient[j], tol, "forward vs FD, parameter " + j);
			assertEquals(fd[j], rev.gradient[j], tol, "reverse vs FD, parameter " + j);
		}
		assertTrue(Math.abs(fd[labels]) > 1e-8 || steps == 1, "lambda matters: " + fd[labels]);
	}
}
