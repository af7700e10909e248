package org.varlearn.learn;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.varlearn.model.TvDenoiser;
import org.varlearn.model.TvUnrolled;
import org.varlearn.operator.Fields;
import org.varlearn.operator.Grid;
import org.varlearn.solver.DualStep;
import org.varlearn.solver.Monitor;
import org.varlearn.solver.SolverSettings;
import org.varlearn.solver.TvType;
import org.varlearn.testutil.TestImages;

/** Forward mode, reverse mode and central finite differences agree on the unrolled TV iteration. */
class UnrollerGradientTest {

	private static final Grid GRID = new Grid(new int[] { 14, 11 }, new double[] { 1, 1.3 });

	@ParameterizedTest
	@CsvSource({
		"1,ISOTROPIC,false", "10,ISOTROPIC,false", "100,ISOTROPIC,false",
		"1,ANISOTROPIC,false", "10,ANISOTROPIC,false", "100,ANISOTROPIC,false",
		"1,ISOTROPIC,true", "10,ISOTROPIC,true", "100,ISOTROPIC,true",
		"1,ANISOTROPIC,true", "10,ANISOTROPIC,true", "100,ANISOTROPIC,true" })
	void forwardReverseAndFiniteDifferencesAgree(final int steps, final TvType type, final boolean ergodic) {
		final double[] clean = Fields.toDouble(TestImages.noisyDisc(14, 11, 0, 1));
		final double[] noisy = Fields.toDouble(TestImages.noisyDisc(14, 11, 0.3, 2));
		final TvUnrolled it = new TvUnrolled(noisy, GRID, type, DualStep.BREGMAN, 0.25, 0.2);
		// a warm-started dual makes even one step depend on lambda (from p = 0, u_1 = f whatever lambda)
		it.setInitialDual(new java.util.Random(3).doubles(it.dualSize(), -0.5, 0.5).toArray());
		final Loss loss = new MeanSquaredLoss(clean);
		final Unroller.Evaluation fwd = Unroller.gradientForward(it, steps, ergodic, loss);
		final Unroller.Evaluation rev = Unroller.gradientReverse(it, steps, ergodic, loss);
		final Unroller.Evaluation revEvery3 = Unroller.gradientReverse(it, steps, ergodic, loss, 3);
		final double fd = FiniteDifferences.central(it, p -> loss.value(Unroller.solve(it, steps, ergodic, null)), 1e-5)[0];
		assertEquals(fwd.loss, rev.loss, 1e-15);
		assertTrue(Math.abs(fd) > 1e-8, "a non-trivial derivative: " + fd);
		assertEquals(fd, fwd.gradient[0], 1e-3 * Math.abs(fd), "forward vs FD");
		assertEquals(fd, rev.gradient[0], 1e-3 * Math.abs(fd), "reverse vs FD");
		assertEquals(fwd.gradient[0], revEvery3.gradient[0], 1e-9 * Math.abs(fd), "checkpoint interval does not matter");
	}

	@Test
	void euclideanStepGradientsAgreeAwayFromKinks() {
		final double[] noisy = Fields.toDouble(TestImages.noisyDisc(14, 11, 0.3, 3));
		final double[] clean = Fields.toDouble(TestImages.noisyDisc(14, 11, 0, 3));
		final TvUnrolled it = new TvUnrolled(noisy, GRID, TvType.ISOTROPIC, DualStep.EUCLIDEAN, 0.25, 0.2);
		final Loss loss = new MeanSquaredLoss(clean);
		final Unroller.Evaluation fwd = Unroller.gradientForward(it, 20, false, loss);
		final Unroller.Evaluation rev = Unroller.gradientReverse(it, 20, false, loss);
		assertEquals(fwd.gradient[0], rev.gradient[0], 1e-9 * Math.abs(fwd.gradient[0]));
		final double fd = FiniteDifferences.central(it, p -> loss.value(Unroller.solve(it, 20, false, null)), 1e-6)[0];
		assertEquals(fd, fwd.gradient[0], 1e-3 * Math.abs(fd));
	}

	@ParameterizedTest
	@CsvSource({ "ISOTROPIC,BREGMAN", "ANISOTROPIC,BREGMAN", "ISOTROPIC,EUCLIDEAN", "ANISOTROPIC,EUCLIDEAN" })
	void doubleIterationMatchesFusedFloatSolverIn1dAnd3d(final TvType type, final DualStep step) {
		for (final Grid grid : new Grid[] { new Grid(41), new Grid(new int[] { 9, 7, 6 }, new double[] { 1, 1, 1.7 }) }) {
			final float[] f = TestImages.random(grid.size(), 10);
			final double[] u = Unroller.solve(new TvUnrolled(Fields.toDouble(f), grid, type, step, 0.25, 0.3), 60, false, null);
			final float[] v = TvDenoiser.denoise(f, grid, 0.3, type,
				SolverSettings.defaults().withIterations(60).withDualStep(step).withThreads(2), Monitor.NONE).u;
			for (int i = 0; i < u.length; i++) assertEquals(u[i], v[i], 2e-5, grid + " pixel " + i);
		}
	}

	@ParameterizedTest
	@CsvSource({ "ISOTROPIC,BREGMAN", "ANISOTROPIC,BREGMAN", "ISOTROPIC,EUCLIDEAN", "ANISOTROPIC,EUCLIDEAN" })
	void doubleIterationMatchesFusedFloatSolver(final TvType type, final DualStep step) {
		final Grid grid = new Grid(new int[] { 23, 17 }, new double[] { 1, 1.2 });
		final float[] f = TestImages.random(grid.size(), 9);
		final double[] u = Unroller.solve(new TvUnrolled(Fields.toDouble(f), grid, type, step, 0.25, 0.3), 60, false, null);
		final float[] v = TvDenoiser.denoise(f, grid, 0.3, type,
			SolverSettings.defaults().withIterations(60).withDualStep(step).withThreads(2), Monitor.NONE).u;
		for (int i = 0; i < u.length; i++) assertEquals(u[i], v[i], 2e-5, "pixel " + i);
	}
}
