package org.varlearn.learn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.varlearn.model.NoiseEstimator;
import org.varlearn.model.TvModel;
import org.varlearn.model.TvUnrolled;
import org.varlearn.operator.Fields;
import org.varlearn.solver.Canceled;
import org.varlearn.solver.Monitor;
import org.varlearn.solver.WorkerTeam;

/**
 * Learns lambda of TV denoising from (noisy, clean) pairs by bilevel
 * optimization: the mean squared error (optionally masked) of T unrolled
 * primal-dual steps, as the geometric mean over images (equivalent to the mean
 * PSNR, the default) or pooled over pixels, is minimized over {@code theta = log lambda}
 * with exact forward-mode gradients ({@link Unroller#gradientForward}), pairs
 * evaluated in parallel. lambda is learned in the data's own intensity units;
 * the model records the settings' nominal peak beside it.
 *
 * <pre>{@code
 * TvModel m = TvTrainer.train(pairs, TvTrainingSettings.defaults().withPeak(255), Monitor.NONE);
 * }</pre>
 */
public final class TvTrainer {

	private TvTrainer() {}

	/** Null when the pairs are usable, else a message naming the first bad pair and what to do. */
	public static String check(final List<TrainingPair> pairs) {
		if (pairs == null || pairs.isEmpty()) return "The training set is empty: give at least one noisy/clean pair.";
		for (int k = 0; k < pairs.size(); k++) {
			final TrainingPair p = pairs.get(k);
			final String name = "Pair " + (k + 1) + " (" + p.source + ")";
			if (p.input.length != p.grid.size() || p.target.length != p.grid.size())
				return name + ": the noisy and clean images differ in size; give images of identical dimensions.";
			if (p.grid.size() < 4) return name + ": the image is too small to learn from.";
			String bad = Fields.nonFiniteMessage(p.input);
			if (bad != null) return name + ", noisy image: " + bad;
			bad = Fields.nonFiniteMessage(p.target);
			if (bad != null) return name + ", clean image: " + bad;
			if (java.util.Arrays.equals(p.input, p.target))
				return name + ": the noisy and clean images are identical, so there is no noise to learn from. " +
					"Check that the first image is the noisy one and the second the clean one.";
			if (p.mask != null && p.mask.length != p.grid.size()) return name + ": the mask differs in size from the images.";
		}
		return null;
	}

	/**
	 * Trains and returns the model (best parameters seen, also when canceled:
	 * check {@link Result#canceled}).
	 */
	public static Result train(final List<TrainingPair> pairs, final TvTrainingSettings settings, final Monitor monitor) {
		String problem = check(pairs);
		if (problem == null) problem = settings.check();
		if (problem != null) throw new IllegalArgumentException(problem);
		final List<TrainingPair> data = new ArrayList<>();
		for (final TrainingPair p : pairs) data.addAll(p.patches(settings.patchSize));
		final Problem prob = new Problem(data, settings, monitor);
		final double sigma = prob.meanSigma();
		final double lambda0 = Double.isNaN(settings.initialLambda) ? Math.max(1e-4, 0.8 * sigma) : settings.initialLambda;
		final OptimizationResult r;
		try {
			r = UpperLevelOptimizer.minimize(prob, new double[] { Math.log(lambda0) }, settings.optimizer, monitor);
		} finally {
			prob.close();
		}
		final double lambda = Math.exp(r.best[0]);
		final List<String> prov = new ArrayList<>();
		prov.add(pairs.size() + " pair(s), " + data.size() + " training image(s) after cropping" +
			(settings.patchSize > 0 ? " into " + settings.patchSize + "x" + settings.patchSize + " patches" : ""));
		for (int k = 0; k < Math.min(pairs.size(), 20); k++) prov.add("source: " + pairs.get(k).source);
		if (pairs.size() > 20) prov.add("... and " + (pairs.size() - 20) + " more");
		prov.add("optimizer " + settings.optimizer.method.key() + ", " + r.evaluations + " evaluations, stopped: " + r.stopReason);
		final TvModel model = new TvModel(lambda, settings.peak, settings.tvType, settings.iterations, settings.tau, settings.dualStep,
			settings.ergodic, sigma, r.history, prov.toArray(new String[0]));
		return new Result(model, r);
	}

	/** The learned model and the optimizer's account. */
	public static final class Result {
		public final TvModel model;
		public final OptimizationResult optimization;
		public final boolean canceled;

		Result(final TvModel model, final OptimizationResult optimization) {
			this.model = model;
			this.optimization = optimization;
			this.canceled = optimization.canceled;
		}
	}

	/** The bilevel objective over all pairs (or one minibatch). */
	static final class Problem implements Objective {
		final List<double[]> inputs = new ArrayList<>(), targets = new ArrayList<>();
		final List<TrainingPair> pairs;
		final TvTrainingSettings settings;
		final Monitor monitor;
		final double[] weights;
		final ExecutorService pool;
		final List<List<Integer>> batches = new ArrayList<>();

		Problem(final List<TrainingPair> pairs, final TvTrainingSettings settings, final Monitor monitor) {
			this.pairs = pairs;
			this.settings = settings;
			this.monitor = monitor == null ? Monitor.NONE : monitor;
			long total = 0;
			weights = new double[pairs.size()];
			for (int k = 0; k < pairs.size(); k++) {
				final TrainingPair p = pairs.get(k);
				inputs.add(Fields.toDouble(p.input));
				targets.add(Fields.toDouble(p.target));
				weights[k] = count(p.mask, p.grid.size());
				total += (long) weights[k];
			}
			for (int k = 0; k < weights.length; k++) weights[k] /= total;
			final List<Integer> order = new ArrayList<>();
			for (int k = 0; k < pairs.size(); k++) order.add(k);
			Collections.shuffle(order, new Random(7));
			final int bs = settings.batchSize > 0 ? settings.batchSize : pairs.size();
			for (int s = 0; s < order.size(); s += bs) batches.add(order.subList(s, Math.min(order.size(), s + bs)));
			pool = Executors.newFixedThreadPool(WorkerTeam.threads(settings.threads), r -> {
				final Thread t = new Thread(r, "varlearn-train");
				t.setDaemon(true);
				return t;
			});
		}

		double meanSigma() {
			double s = 0;
			for (int k = 0; k < pairs.size(); k++) {
				final float[] in = pairs.get(k).input;
				s += NoiseEstimator.sigma(in, pairs.get(k).grid);
			}
			return s / pairs.size();
		}

		void close() {
			pool.shutdownNow();
		}

		@Override
		public int batches() {
			return batches.size();
		}

		@Override
		public double evaluate(final double[] theta, final double[] grad) {
			final List<Integer> all = new ArrayList<>();
			for (int k = 0; k < pairs.size(); k++) all.add(k);
			return evaluate(theta, grad, all, 1);
		}

		@Override
		public double evaluate(final double[] theta, final double[] grad, final int batch) {
			final List<Integer> b = batches.get(batch);
			double w = 0;
			for (final int k : b) w += weights[k];
			return evaluate(theta, grad, b, w);
		}

		private double evaluate(final double[] theta, final double[] grad, final List<Integer> which, final double wsum) {
			final double lambda = Math.exp(theta[0]);
			final List<Future<double[]>> futures = new ArrayList<>();
			for (final int k : which) {
				futures.add(pool.submit(() -> {
					if (monitor.isCanceled()) throw new Canceled();
					final TrainingPair p = pairs.get(k);
					final TvUnrolled it = new TvUnrolled(inputs.get(k), p.grid, settings.tvType, settings.dualStep,
						settings.tau, lambda);
					final Unroller.Evaluation e = Unroller.gradientForward(it, settings.iterations, settings.ergodic,
						new MeanSquaredLoss(targets.get(k), p.mask));
					return new double[] { e.loss, e.gradient[0] };
				}));
			}
			double loss = 0, g = 0;
			int i = 0;
			final boolean geometric = settings.meanPsnr;
			for (final Future<double[]> f : futures) {
				final double[] r;
				try {
					r = f.get();
				} catch (final InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new Canceled();
				} catch (final ExecutionException e) {
					if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
					throw new IllegalStateException(e.getCause());
				}
				if (geometric) { // mean of log losses, gradient of each log loss = g / loss
					final double w = 1.0 / which.size();
					i++;
					loss += w * Math.log(r[0]);
					g += w * r[1] / r[0];
				} else {
					final double w = weights[which.get(i++)] / wsum;
					loss += w * r[0];
					g += w * r[1];
				}
			}
			if (geometric) { // exp(mean log loss): the loss whose PSNR is the mean PSNR
				loss = Math.exp(loss);
				g *= loss;
			}
			grad[0] = g;
			return loss;
		}

		private static int count(final boolean[] mask, final int n) {
			if (mask == null) return n;
			int c = 0;
			for (final boolean b : mask) if (b) c++;
			return c;
		}
	}
}
