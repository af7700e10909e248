package org.varlearn.solver;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class FastTanhTest {

	@Test
	void agreesWithMathTanh() {
		double worst = 0;
		for (double x = -20; x <= 20; x += 1e-4) {
			worst = Math.max(worst, Math.abs(FastTanh.tanh((float) x) - Math.tanh((float) x)));
		}
		assertTrue(worst < 4e-7, "max abs error " + worst);
		assertEquals(1f, FastTanh.tanh(100f));
		assertEquals(-1f, FastTanh.tanh(-1e30f));
		assertEquals(0f, FastTanh.tanh(0f));
	}
}
