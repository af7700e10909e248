package org.varlearn.operator;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GradientTest {

	@Test
	void gradientAndDivergenceAreAdjoint() {
		for (final int[] dims : new int[][] { { 31 }, { 17, 12 }, { 9, 7, 5 } }) {
			final double[] h = { 1, 0.7, 2.5 };
			final Grid grid = new Grid(dims, java.util.Arrays.copyOf(h, dims.length));
			final Gradient g = new Gradient(grid);
			final Random r = new Random(1);
			final double[] u = r.doubles(g.inputSize()).toArray();
			final double[] p = r.doubles(g.outputSize()).toArray();
			final double[] gu = new double[g.outputSize()], div = new double[g.inputSize()];
			g.apply(u, gu);
			g.divergence(p, div);
			double lhs = 0, rhs = 0;
			for (int i = 0; i < gu.length; i++) lhs += gu[i] * p[i];
			for (int i = 0; i < div.length; i++) rhs -= u[i] * div[i];
			assertEquals(lhs, rhs, 1e-12 * Math.abs(lhs));
		}
	}

	@Test
	void normBoundHoldsByPowerIteration() {
		final Grid grid = new Grid(new int[] { 20, 20 }, new double[] { 1, 0.5 });
		final Gradient g = new Gradient(grid);
		double[] u = new Random(2).doubles(g.inputSize()).toArray();
		final double[] gu = new double[g.outputSize()], back = new double[g.inputSize()];
		double est = 0;
		for (int k = 0; k < 500; k++) {
			g.apply(u, gu);
			g.applyAdjoint(gu, back);
			double n = 0;
			for (final double v : back) n += v * v;
			n = Math.sqrt(n);
			est = Math.sqrt(n);
			for (int i = 0; i < u.length; i++) u[i] = back[i] / n;
		}
		assertTrue(est <= g.normBound() + 1e-9);
		assertTrue(est > 0.95 * g.normBound(), "bound is tight: " + est + " vs " + g.normBound());
	}

	@Test
	void forwardDifferencesWithNeumannBoundary() {
		final Grid grid = new Grid(new int[] { 3, 2 }, new double[] { 2, 1 });
		final double[] u = { 0, 2, 6, 1, 1, 1 };
		final double[] gu = new double[12];
		new Gradient(grid).apply(u, gu);
		assertArrayEquals(new double[] { 1, 2, 0, 0, 0, 0, 1, -1, -5, 0, 0, 0 }, gu, 0);
	}
}
