package org.varlearn.learn;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class UpperLevelOptimizerTest {

	/** Rosenbrock's function: minimum 0 at (1, 1). */
	private static final Objective ROSENBROCK = (t, g) -> {
		final double a = 1 - t[0], b = t[1] - t[0] * t[0];
		g[0] = -2 * a - 400 * t[0] * b;
		g[1] = 200 * b;
		return a * a + 100 * b * b;
	};

	@Test
	void lbfgsSolvesRosenbrock() {
		final OptimizationResult r = UpperLevelOptimizer.minimize(ROSENBROCK, new double[] { -1.2, 1 },
			new OptimizerSettings(OptimizerSettings.Method.LBFGS, 200, 1e-10, 1), null);
		assertEquals(1, r.best[0], 1e-5);
		assertEquals(1, r.best[1], 1e-5);
	}

	@Test
	void gradientDescentWithArmijoDecreasesMonotonically() {
		final Objective quadratic = (t, g) -> {
			g[0] = 2 * (t[0] - 1);
			g[1] = 20 * (t[1] + 2);
			return (t[0] - 1) * (t[0] - 1) + 10 * (t[1] + 2) * (t[1] + 2);
		};
		final OptimizationResult r = UpperLevelOptimizer.minimize(quadratic, new double[] { 5, 5 },
			new OptimizerSettings(OptimizerSettings.Method.GRADIENT_DESCENT, 500, 1e-10, 1), null);
		for (int i = 1; i < r.history.length; i++) assertTrue(r.history[i] < r.history[i - 1]);
		assertEquals(1, r.best[0], 1e-6);
		assertEquals(-2, r.best[1], 1e-6);
	}

	@Test
	void adamMinimizesAStochasticQuadratic() {
		// two minibatches whose losses average to (x-3)^2 + (y+1)^2
		final Objective o = new Objective() {
			@Override public double evaluate(final double[] t, final double[] g) {
				g[0] = 2 * (t[0] - 3);
				g[1] = 2 * (t[1] + 1);
				return (t[0] - 3) * (t[0] - 3) + (t[1] + 1) * (t[1] + 1);
			}
			@Override public int batches() { return 2; }
			@Override public double evaluate(final double[] t, final double[] g, final int b) {
				final double c = b == 0 ? 2 : 4;
				g[0] = 2 * (t[0] - c);
				g[1] = 2 * (t[1] + 1);
				return (t[0] - c) * (t[0] - c) + (t[1] + 1) * (t[1] + 1);
			}
		};
		final OptimizationResult r = UpperLevelOptimizer.minimize(o, new double[] { 0, 0 },
			new OptimizerSettings(OptimizerSettings.Method.ADAM, 3000, 0, 0.01), null);
		assertEquals(3, r.best[0], 0.05);
		assertEquals(-1, r.best[1], 0.05);
	}
}
