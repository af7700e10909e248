package org.varlearn.model;

import java.util.Arrays;

/**
 * Guesses of the class means theta_k so that users need not type any:
 * {@link #fromLabels} (mean intensity of each class's labelled pixels) when a
 * label image exists, {@link #kMeans} (1D k-means started at the quantiles
 * (k + 1/2)/K) otherwise. Both return means sorted as the classes are
 * numbered (fromLabels) or ascending (kMeans).
 */
public final class InitialMeans {

	private InitialMeans() {}

	/**
	 * Per class k = 1..K the mean of the image over pixels labelled k, pooled
	 * over all pairs. Classes without labelled pixels get NaN (the trainer
	 * rejects them before calling this).
	 */
	public static double[] fromLabels(final float[][] images, final int[][] labelImages, final int labels) {
		final double[] sum = new double[labels];
		final long[] count = new long[labels];
		for (int t = 0; t < images.length; t++)
			for (int i = 0; i < images[t].length; i++) {
				final int l = labelImages[t][i];
				if (l >= 1 && l <= labels) {
					sum[l - 1] += images[t][i];
					count[l - 1]++;
				}
			}
		final double[] m = new double[labels];
		for (int k = 0; k < labels; k++) m[k] = count[k] == 0 ? Double.NaN : sum[k] / count[k];
		return m;
	}

	/** 1D k-means (Lloyd, at most 100 rounds) of the pooled intensities, started at quantiles; ascending. */
	public static double[] kMeans(final float[][] images, final int labels) {
		int total = 0;
		for (final float[] im : images) total += im.length;
		final float[] all = new float[total];
		int o = 0;
		for (final float[] im : images) {
			System.arraycopy(im, 0, all, o, im.length);
			o += im.length;
		}
		Arrays.sort(all);
		final double[] m = new double[labels];
		for (int k = 0; k < labels; k++) m[k] = all[(int) Math.min(total - 1, (long) ((k + 0.5) / labels * total))];
		final double[] sum = new double[labels];
		final long[] cnt = new long[labels];
		for (int round = 0; round < 100; round++) {
			Arrays.fill(sum, 0);
			Arrays.fill(cnt, 0);
			int k = 0;
			for (final float v : all) { // sorted: the nearest mean index only increases
				while (k + 1 < labels && Math.abs(v - m[k + 1]) < Math.abs(v - m[k])) k++;
				sum[k] += v;
				cnt[k]++;
			}
			boolean changed = false;
			for (int j = 0; j < labels; j++) {
				if (cnt[j] == 0) continue;
				final double nm = sum[j] / cnt[j];
				if (Math.abs(nm - m[j]) > 1e-12) changed = true;
				m[j] = nm;
			}
			Arrays.sort(m);
			if (!changed) break;
		}
		return m;
	}
}
