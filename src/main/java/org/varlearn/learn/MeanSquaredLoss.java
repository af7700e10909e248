package org.varlearn.learn;

/**
 * {@code 1/(2N) sum_{i in mask} (x_i - t_i)^2}, N the number of pixels in the
 * mask (all pixels when the mask is null). Minimizing it maximizes the PSNR
 * over the masked pixels: {@code PSNR = 10 log10(peak^2 / (2 loss))}.
 */
public final class MeanSquaredLoss implements Loss {

	private final double[] target;
	private final boolean[] mask;
	private final double count;

	public MeanSquaredLoss(final double[] target, final boolean[] mask) {
		this.target = target;
		this.mask = mask;
		int c = 0;
		if (mask == null) c = target.length;
		else for (final boolean b : mask) if (b) c++;
		if (c == 0) throw new IllegalArgumentException("The loss mask selects no pixel.");
		this.count = c;
	}

	public MeanSquaredLoss(final double[] target) {
		this(target, null);
	}

	@Override
	public double value(final double[] x) {
		double s = 0;
		for (int i = 0; i < x.length; i++) {
			if (mask != null && !mask[i]) continue;
			final double d = x[i] - target[i];
			s += d * d;
		}
		return s / (2 * count);
	}

	@Override
	public void gradient(final double[] x, final double[] out) {
		for (int i = 0; i < x.length; i++) out[i] = mask != null && !mask[i] ? 0 : (x[i] - target[i]) / count;
	}

	/** The PSNR in dB that a loss value corresponds to. */
	public static double psnr(final double loss, final double peak) {
		return 10 * Math.log10(peak * peak / (2 * loss));
	}
}
