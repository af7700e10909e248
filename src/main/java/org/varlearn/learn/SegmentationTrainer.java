package org.varlearn.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.varlearn.model.InitialMeans;
import org.varlearn.model.SegmentationUnrolled;
import org.varlearn.operator.Grid;
import org.varlearn.solver.Canceled;
import org.varlearn.solver.DualStep;
import org.varlearn.solver.Monitor;
import org.varlearn.solver.TvType;

/**
 * Learns the class means theta_k and the TV weight lambda of the multi-label
 * segmentation model ({@link SegmentationUnrolled}) from one or more
 * (image, label image) pairs: the loss of the T-step output against the
 * labelled pixels, summed over pairs (averaged), is minimized by projected
 * gradient descent with Armijo backtracking (as the seed paper); gradients by
 * reverse mode ({@link Unroller#gradientReverse}), pairs in parallel.
 *
 * <p>Parameters: means clamped to the training intensity range widened by a
 * quarter of its width on each side (a class mean may lie beyond the extreme
 * intensities, e.g. a class whose pixels are all darker than its mean), lambda
 * log-parametrized and clamped to [1e-5, 1e3]. Label images: 0 = unlabelled,
 * 1..K = classes.
 *
 * <pre>{@code
 * SegmentationTrainer.Result r = SegmentationTrainer.train(
 *     List.of(new SegmentationTrainer.Sample(image, grid, labels)), 2, null, 0.05,
 *     SegmentationTrainer.Settings.defaults().withIterations(100), Monitor.NONE);
 * MultiLabelSegmenter.segment(image, grid, r.means, r.lambda, type, 100, 1, 0, false, Monitor.NONE);
 * }</pre>
 */
public final class SegmentationTrainer {

	private SegmentationTrainer() {}

	/** One training pair. */
	public static final class Sample {
		public final float[] image;
		public final Grid grid;
		public final int[] labels;

		public Sample(final float[] image, final Grid grid, final int[] labels) {
			this.image = image;
			this.grid = grid;
			this.labels = labels;
		}
	}

	/** Training settings (immutable; {@code with...} return copies). */
	public static final class Settings {
		public final int iterations, maxSteps, threads;
		public final TvType type;
		public final double ratio, tolerance;
		public final boolean learnMeans, learnLambda;
		public final SegmentationLoss.Kind loss;
		/**
		 * Upper-level method: {@code GRADIENT_DESCENT} = projected gradient descent
		 * with Armijo backtracking (the seed paper's; the default), {@code LBFGS} or
		 * {@code ADAM} = the shared {@link UpperLevelOptimizer} on the free parameters
		 * (box constraints by evaluating at the projected point).
		 */
		public final OptimizerSettings.Method optimizer;

		Settings(final int iterations, final int maxSteps, final int threads, final TvType type, final double ratio,
			final double tolerance, final boolean learnMeans, final boolean learnLambda, final SegmentationLoss.Kind loss)
		{
			this(iterations, maxSteps, threads, type, ratio, tolerance, learnMeans, learnLambda, loss, OptimizerSettings.Method.GRADIENT_DESCENT);
		}

		Settings(final int iterations, final int maxSteps, final int threads, final TvType type, final double ratio,
			final double tolerance, final boolean learnMeans, final boolean learnLambda, final SegmentationLoss.Kind loss,
			final OptimizerSettings.Method optimizer)
		{
			this.optimizer = optimizer;
			this.iterations = iterations;
			this.maxSteps = maxSteps;
			this.threads = threads;
			this.type = type;
			this.ratio = ratio;
			this.tolerance = tolerance;
			this.learnMeans = learnMeans;
			this.learnLambda = learnLambda;
			this.loss = loss;
		}

		/** T = 100, 50 descent steps, 2 threads, isotropic, ratio 1, squared loss, learn both. */
		public static Settings defaults() {
			return new Settings(100, 50, 2, TvType.ISOTROPIC, 1, 1e-9, true, true, SegmentationLoss.Kind.SQUARED);
		}

		public Settings withIterations(final int t) { return new Settings(t, maxSteps, threads, type, ratio, tolerance, learnMeans, learnLambda, loss, optimizer); }
		public Settings withMaxSteps(final int s) { return new Settings(iterations, s, threads, type, ratio, tolerance, learnMeans, learnLambda, loss, optimizer); }
		public Settings withThreads(final int t) { return new Settings(iterations, maxSteps, t, type, ratio, tolerance, learnMeans, learnLambda, loss, optimizer); }
		public Settings withType(final TvType t) { return new Settings(iterations, maxSteps, threads, t, ratio, tolerance, learnMeans, learnLambda, loss, optimizer); }
		public Settings withRatio(final double r) { return new Settings(iterations, maxSteps, threads, type, r, tolerance, learnMeans, learnLambda, loss, optimizer); }
		public Settings withTolerance(final double t) { return new Settings(iterations, maxSteps, threads, type, ratio, t, learnMeans, learnLambda, loss, optimizer); }
		public Settings withLearnMeans(final boolean b) { return new Settings(iterations, maxSteps, threads, type, ratio, tolerance, b, learnLambda, loss, optimizer); }
		public Settings withLearnLambda(final boolean b) { return new Settings(iterations, maxSteps, threads, type, ratio, tolerance, learnMeans, b, loss, optimizer); }
		public Settings withOptimizer(final OptimizerSettings.Method m) {
			if (m == null) throw new IllegalArgumentException("The optimizer must not be null.");
			return new Settings(iterations, maxSteps, threads, type, ratio, tolerance, learnMeans, learnLambda, loss, m);
		}
		public Settings withLoss(final SegmentationLoss.Kind k) { return new Settings(iterations, maxSteps, threads, type, ratio, tolerance, learnMeans, learnLambda, k, optimizer); }
	}

	/** Learned parameters and the loss history (entry 0 = initial loss). */
	public static final class Result {
		public final double[] means;
		public final double lambda;
		public final double loss;
		public final int steps;
		public final double[] lossHistory;

		Result(final double[] means, final double lambda, final double loss, final int steps, final double[] lossHistory) {
			this.means = means;
			this.lambda = lambda;
			this.loss = loss;
			this.steps = steps;
			this.lossHistory = lossHistory;
		}
	}

	/**
	 * Checks the training input; null when usable, else a message saying what
	 * is wrong and what to do.
	 */
	public static String check(final List<Sample> samples, final int labels) {
		if (labels < 2) return "Segmentation needs at least 2 labels (got " + labels + "): label the background as a class too.";
		if (labels > 16) return "At most 16 labels can be trained (got " + labels + ").";
		if (samples == null || samples.isEmpty()) return "No training pair given: supply at least one image with its label image.";
		final long[] count = new long[labels];
		for (int t = 0; t < samples.size(); t++) {
			final Sample s = samples.get(t);
			final String which = samples.size() > 1 ? " (pair " + (t + 1) + ")" : "";
			if (s.image.length != s.grid.size()) return "Image data length " + s.image.length + " does not match " + s.grid + which + ".";
			if (s.labels.length != s.image.length)
				return "The label image has " + s.labels.length + " pixels but the image has " + s.image.length + which + ": they must have the same size.";
			for (int i = 0; i < s.image.length; i++)
				if (!Float.isFinite(s.image[i])) return "The image has a non-finite value (" + s.image[i] + ") at pixel " + i + which + ": replace NaN/Inf pixels first.";
			for (int i = 0; i < s.labels.length; i++) {
				final int v = s.labels[i];
				if (v < 0 || v > labels) return "Label value " + v + " at pixel " + i + which + " is outside 0.." + labels +
					": use 0 for unlabelled pixels and 1.." + labels + " for the classes (or raise the number of labels).";
				if (v > 0) count[v - 1]++;
			}
		}
		for (int k = 0; k < labels; k++)
			if (count[k] == 0) return "Class " + (k + 1) + " has no labelled pixel: label some pixels with value " + (k + 1) + " or lower the number of labels.";
		return null;
	}

	/**
	 * Trains. {@code initialMeans} null = means of the labelled pixels per class
	 * ({@link InitialMeans#fromLabels}). Throws {@link IllegalArgumentException}
	 * for unusable input and {@link Canceled} when the monitor cancels.
	 */
	public static Result train(final List<Sample> samples, final int labels, final double[] initialMeans,
		final double initialLambda, final Settings settings, final Monitor monitor)
	{
		final String problem = check(samples, labels);
		if (problem != null) throw new IllegalArgumentException(problem);
		if (!(initialLambda > 0) || Double.isInfinite(initialLambda)) throw new IllegalArgumentException("The initial lambda must be positive, got " + initialLambda + ".");
		if (initialMeans != null && initialMeans.length != labels) throw new IllegalArgumentException("Expected " + labels + " initial means, got " + initialMeans.length + ".");
		if (settings.iterations < 1) throw new IllegalArgumentException("The number of unrolled iterations must be at least 1.");
		final Monitor mon = monitor == null ? Monitor.NONE : monitor;
		final float[][] images = new float[samples.size()][];
		final int[][] labelImages = new int[samples.size()][];
		float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
		for (int t = 0; t < images.length; t++) {
			images[t] = samples.get(t).image;
			labelImages[t] = samples.get(t).labels;
			for (final float v : images[t]) {
				lo = Math.min(lo, v);
				hi = Math.max(hi, v);
			}
		}
		final double[] means = initialMeans != null ? initialMeans.clone() : InitialMeans.fromLabels(images, labelImages, labels);
		final Objective obj = new Objective(samples, labels, settings);
		final double[] lower = new double[labels + 1], upper = new double[labels + 1];
		for (int k = 0; k < labels; k++) {
			final double margin = 0.25 * Math.max(hi - lo, 1e-6);
			lower[k] = lo - margin;
			upper[k] = hi + margin;
		}
		lower[labels] = Math.log(1e-5);
		upper[labels] = Math.log(1e3);
		final boolean[] free = new boolean[labels + 1];
		for (int k = 0; k < labels; k++) free[k] = settings.learnMeans;
		free[labels] = settings.learnLambda;
		double[] theta = Arrays.copyOf(means, labels + 1);
		theta[labels] = Math.log(initialLambda);
		project(theta, lower, upper);
		try {
			if (settings.optimizer == OptimizerSettings.Method.GRADIENT_DESCENT) return ArmijoDescent.run(obj, theta, lower, upper, free, settings, mon);
			return shared(obj, theta, lower, upper, free, settings, mon);
		} finally {
			obj.close();
		}
	}

	/**
	 * The shared optimizer over the free parameters; the objective is evaluated
	 * at the projection onto the box (flat outside it: zero gradient along
	 * coordinates beyond a bound).
	 */
	private static Result shared(final Objective obj, final double[] theta0, final double[] lo, final double[] hi,
		final boolean[] free, final Settings settings, final Monitor mon)
	{
		final int np = theta0.length;
		int nf = 0;
		for (final boolean b : free) if (b) nf++;
		final int[] idx = new int[nf];
		for (int j = 0, c = 0; j < np; j++) if (free[j]) idx[c++] = j;
		final double[] full = new double[np], g = new double[np];
		final org.varlearn.learn.Objective reduced = (t, grad) -> {
			final double[] th = theta0.clone();
			for (int c = 0; c < idx.length; c++) th[idx[c]] = t[c];
			project(th, lo, hi);
			final double f = obj.evaluate(th, g);
			for (int c = 0; c < idx.length; c++) {
				final int j = idx[c];
				grad[c] = t[c] < lo[j] || t[c] > hi[j] ? 0 : g[j];
			}
			return f;
		};
		final double[] start = new double[nf];
		for (int c = 0; c < nf; c++) start[c] = theta0[idx[c]];
		final double[] best;
		final double[] history;
		if (nf == 0) {
			best = start;
			history = new double[] { obj.evaluate(theta0, g) };
		} else {
			// first trial moves the parameters by 0.05 (Euclidean), as the projected descent
			final OptimizationResult r = UpperLevelOptimizer.minimize(reduced, start,
				new OptimizerSettings(settings.optimizer, settings.maxSteps, 0, 0.05), mon);
			if (r.canceled) throw new Canceled();
			best = r.best;
			history = r.history;
		}
		System.arraycopy(theta0, 0, full, 0, np);
		for (int c = 0; c < nf; c++) full[idx[c]] = best[c];
		project(full, lo, hi);
		final double loss = history.length > 0 ? Math.min(history[history.length - 1], obj.evaluate(full, null)) : obj.evaluate(full, null);
		return new Result(Arrays.copyOf(full, np - 1), Math.exp(full[np - 1]), loss, Math.max(0, history.length - 1), history);
	}

	static void project(final double[] th, final double[] lo, final double[] hi) {
		for (int j = 0; j < th.length; j++) th[j] = Math.max(lo[j], Math.min(hi[j], th[j]));
	}

	/** Mean loss over pairs and its gradient, pairs evaluated in parallel. */
	static final class Objective implements AutoCloseable {
		final List<Sample> samples;
		final int labels;
		final Settings settings;
		final ExecutorService pool;
		final SegmentationLoss[] losses;
		int evaluations;

		Objective(final List<Sample> samples, final int labels, final Settings settings) {
			this.samples = samples;
			this.labels = labels;
			this.settings = settings;
			final int threads = Math.max(1, Math.min(settings.threads <= 0 ? Runtime.getRuntime().availableProcessors() : settings.threads, samples.size()));
			this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
				final Thread th = new Thread(r, "varlearn-seg-train");
				th.setDaemon(true);
				return th;
			}) : null;
			losses = new SegmentationLoss[samples.size()];
			for (int t = 0; t < losses.length; t++) losses[t] = new SegmentationLoss(settings.loss, samples.get(t).labels, labels);
		}

		private SegmentationUnrolled iteration(final int t, final double[] theta) {
			final Sample s = samples.get(t);
			final double[] f = new double[s.image.length];
			for (int i = 0; i < f.length; i++) f[i] = s.image[i];
			final SegmentationUnrolled it = new SegmentationUnrolled(f, s.grid, Arrays.copyOf(theta, labels),
				Math.exp(theta[labels]), settings.type, DualStep.BREGMAN, settings.ratio);
			return it;
		}

		/** Value only (gradient null) or value and gradient. */
		double evaluate(final double[] theta, final double[] gradient) {
			evaluations++;
			final int nt = samples.size();
			final List<java.util.concurrent.Callable<double[]>> jobs = new ArrayList<>();
			for (int t = 0; t < nt; t++) {
				final int tt = t;
				jobs.add(() -> {
					final SegmentationUnrolled it = iteration(tt, theta);
					if (gradient == null) {
						final double[] u = Unroller.solve(it, settings.iterations, false, null);
						return new double[] { losses[tt].value(u) };
					}
					final Unroller.Evaluation e = Unroller.gradientReverse(it, settings.iterations, false, losses[tt]);
					final double[] r = new double[labels + 2];
					r[0] = e.loss;
					System.arraycopy(e.gradient, 0, r, 1, labels + 1);
					return r;
				});
			}
			final List<double[]> results = new ArrayList<>();
			try {
				if (pool == null) {
					for (final java.util.concurrent.Callable<double[]> j : jobs) results.add(j.call());
				} else {
					for (final Future<double[]> f : pool.invokeAll(jobs)) results.add(f.get());
				}
			} catch (final ExecutionException e) {
				final Throwable c = e.getCause();
				if (c instanceof RuntimeException) throw (RuntimeException) c;
				throw new IllegalStateException(c);
			} catch (final RuntimeException e) {
				throw e;
			} catch (final Exception e) {
				throw new IllegalStateException(e);
			}
			double value = 0;
			if (gradient != null) Arrays.fill(gradient, 0);
			for (final double[] r : results) {
				value += r[0] / nt;
				if (gradient != null) for (int j = 0; j <= labels; j++) gradient[j] += r[j + 1] / nt;
			}
			return value;
		}

		@Override
		public void close() {
			if (pool != null) pool.shutdownNow();
		}
	}

	/**
	 * Minimal projected gradient descent with Armijo backtracking, private to
	 * this trainer until the shared upper-level optimizers replace it.
	 */
	static final class ArmijoDescent {

		static Result run(final Objective obj, final double[] theta0, final double[] lo, final double[] hi,
			final boolean[] free, final Settings settings, final Monitor mon)
		{
			final int np = theta0.length;
			double[] theta = theta0.clone();
			final double[] g = new double[np];
			double f = obj.evaluate(theta, g);
			mask(g, free);
			final List<Double> history = new ArrayList<>();
			history.add(f);
			double t = Double.NaN;
			int steps = 0;
			for (; steps < settings.maxSteps; steps++) {
				if (mon.isCanceled()) throw new Canceled();
				mon.progress(steps, settings.maxSteps);
				double gmax = 0;
				for (final double v : g) gmax = Math.max(gmax, Math.abs(v));
				if (gmax == 0) break;
				if (Double.isNaN(t)) t = 0.05 / gmax; // first trial moves a parameter by at most 0.05
				boolean accepted = false;
				double[] trial = null;
				double ft = f;
				for (int back = 0; back < 40; back++) {
					trial = new double[np];
					for (int j = 0; j < np; j++) trial[j] = theta[j] - t * g[j];
					project(trial, lo, hi);
					double decrease = 0;
					for (int j = 0; j < np; j++) decrease += g[j] * (theta[j] - trial[j]);
					if (decrease <= 0) break;
					ft = obj.evaluate(trial, null);
					if (ft <= f - 1e-4 * decrease) {
						accepted = true;
						break;
					}
					t *= 0.5;
				}
				if (!accepted) break;
				final double rel = (f - ft) / Math.max(Math.abs(f), 1e-300);
				theta = trial;
				f = obj.evaluate(theta, g);
				mask(g, free);
				history.add(f);
				mon.status("segmentation training step " + (steps + 1) + ": loss " + f);
				t *= 2;
				if (rel < settings.tolerance) {
					steps++;
					break;
				}
			}
			mon.progress(settings.maxSteps, settings.maxSteps);
			final double[] hist = new double[history.size()];
			for (int i = 0; i < hist.length; i++) hist[i] = history.get(i);
			return new Result(Arrays.copyOf(theta, np - 1), Math.exp(theta[np - 1]), f, steps, hist);
		}

		private static void mask(final double[] g, final boolean[] free) {
			for (int j = 0; j < g.length; j++) if (!free[j]) g[j] = 0;
		}
	}
}
