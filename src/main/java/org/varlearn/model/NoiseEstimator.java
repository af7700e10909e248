package org.varlearn.model;

import java.util.Arrays;
import org.varlearn.operator.Grid;

/**
 * Robust estimate of the standard deviation of additive white Gaussian noise
 * (Donoho's median absolute deviation of the finest diagonal wavelet
 * coefficients): on every 2x2 block of every plane the Haar diagonal detail
 * {@code (a - b - c + d) / 2} has the noise's variance and little image
 * content, so {@code sigma = median(|HH|) / 0.6745}.
 */
public final class NoiseEstimator {

	private NoiseEstimator() {}

	/** Noise sigma in the image's intensity units; 0 for images smaller than 2x2. */
	public static double sigma(final float[] f, final Grid grid) {
		final int nx = grid.nx(), ny = grid.ny(), planes = grid.nz();
		final int bx = nx / 2, by = ny / 2;
		if (bx == 0 || by == 0) return 0;
		final float[] hh = new float[bx * by * planes];
		int k = 0;
		for (int z = 0; z < planes; z++) {
			final int o = z * nx * ny;
			for (int y = 0; y < by; y++)
				for (int x = 0; x < bx; x++) {
					final int i = o + 2 * x + nx * 2 * y;
					hh[k++] = Math.abs((f[i] - f[i + 1] - f[i + nx] + f[i + nx + 1]) / 2);
				}
		}
		Arrays.sort(hh);
		final double median = hh.length % 2 == 1 ? hh[hh.length / 2] : 0.5 * (hh[hh.length / 2 - 1] + hh[hh.length / 2]);
		return median / 0.6744897501960817;
	}
}
