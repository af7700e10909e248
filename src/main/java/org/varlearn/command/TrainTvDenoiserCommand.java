package org.varlearn.command;

import ij.ImagePlus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.varlearn.image.Field;
import org.varlearn.image.ImagePlusFields;
import org.varlearn.image.ImagePlusFields.Block;
import org.varlearn.io.ModelFiles;
import org.varlearn.learn.OptimizerSettings;
import org.varlearn.learn.TrainingPair;
import org.varlearn.learn.TvTrainer;
import org.varlearn.learn.TvTrainingSettings;
import org.varlearn.model.TvAutoLambda;
import org.varlearn.solver.DualStep;
import org.varlearn.solver.Monitor;
import org.varlearn.solver.SolverSettings;
import org.varlearn.solver.TvType;

/**
 * The "Train TV Denoiser" command without user interface: option keys
 * (shared by the ImageJ plugin, macros and the command line), validation,
 * and the run: (noisy, clean) pairs in, lambda learned by differentiating the
 * unrolled primal-dual iteration ({@link TvTrainer}), model file written
 * atomically. The images themselves are chosen by the caller (open images in
 * ImageJ, files or folders on the command line).
 */
public final class TrainTvDenoiserCommand {

	private TrainTvDenoiserCommand() {}

	public static final String NAME = "Train TV Denoiser";

	public static final OptionSpec ITERATIONS = new OptionSpec("iterations", "100", "Iterations (unrolled)",
		"primal-dual iterations T the model is trained for and later applied with");
	public static final OptionSpec TV = new OptionSpec("tv", "isotropic", "TV type", "isotropic or anisotropic",
		"isotropic", "anisotropic");
	public static final OptionSpec DUAL = new OptionSpec("dual", "bregman", "Dual step",
		"bregman (differentiable everywhere, recommended) or euclidean (derivatives almost everywhere)", "bregman", "euclidean");
	public static final OptionSpec RESULT = new OptionSpec("result", "last", "Result of the iteration",
		"last iterate, or ergodic: the average of all iterates (Brauer-Lorenz)", "last", "ergodic");
	public static final OptionSpec LOSS = new OptionSpec("loss", "psnr", "Loss",
		"psnr: mean PSNR over the training images (each image counts alike); mse: squared error pooled over all pixels",
		"psnr", "mse");
	public static final OptionSpec OPTIMIZER = new OptionSpec("optimizer", "lbfgs", "Optimizer",
		"upper-level method: lbfgs, gd (gradient descent with Armijo backtracking) or adam (minibatches)", "lbfgs", "gd", "adam");
	public static final OptionSpec STEPS = new OptionSpec("steps", "20", "Steps (optimizer iterations)",
		"maximum optimizer iterations (adam: minibatch steps)");
	public static final OptionSpec RATE = new OptionSpec("rate", "0.05", "Rate (adam learning rate)",
		"adam: learning rate in log lambda; gd: initial step");
	public static final OptionSpec PATCH = new OptionSpec("patch", "0", "Patch size (0 = whole images)",
		"crop the pairs into square patches of this side (more, smaller training examples; needed for minibatches)");
	public static final OptionSpec BATCH = new OptionSpec("batch", "0", "Batch (pairs per minibatch, 0 = all)",
		"pairs per minibatch for adam");
	public static final OptionSpec PEAK = new OptionSpec("peak", "auto", "Peak intensity (auto or a number)",
		"nominal intensity peak of the data, stored with the model (auto: 255 for 8-bit, 65535 for 16-bit, else a robust maximum)");
	public static final OptionSpec MODEL = new OptionSpec("model", "", "Model file (.json)", "where to write the learned model");
	public static final OptionSpec THREADS = new OptionSpec("threads", "0", "Threads (0 = all cores)", "pairs evaluated in parallel");

	public static final List<OptionSpec> OPTIONS = Collections.unmodifiableList(
		Arrays.asList(ITERATIONS, TV, DUAL, RESULT, LOSS, OPTIMIZER, STEPS, RATE, PATCH, BATCH, PEAK, MODEL, THREADS));

	public static List<String> keys() {
		final List<String> k = new ArrayList<>();
		for (final OptionSpec o : OPTIONS) k.add(o.key);
		return k;
	}

	/** Validated parameters of one training run. */
	public static final class Params {
		public final TvTrainingSettings settings;
		/** NaN = auto. */
		public final double peak;
		public final Path model;

		Params(final TvTrainingSettings settings, final double peak, final Path model) {
			this.settings = settings;
			this.peak = peak;
			this.model = model;
		}

		/** Parses and checks the options ({@code extraKeys}: keys the caller handles itself). */
		public static Params parse(final Options o, final List<String> extraKeys) {
			final List<String> known = new ArrayList<>(keys());
			known.addAll(extraKeys);
			o.requireKnown(known, NAME);
			final String modelPath = o.get(MODEL.key, "").trim();
			if (modelPath.isEmpty()) throw new UserError("Say where to write the model: model=<file.json>.");
			if (!modelPath.toLowerCase(Locale.ROOT).endsWith(".json")) throw new UserError("The model file must end in .json, got '" + modelPath + "'.");
			final OptimizerSettings.Method method = OptimizerSettings.Method.parse(o.getChoice(OPTIMIZER));
			final OptimizerSettings opt = new OptimizerSettings(method, o.getInt(STEPS.key, Integer.parseInt(STEPS.defaultValue)),
				1e-9, method == OptimizerSettings.Method.LBFGS ? 1 : o.getDouble(RATE.key, Double.parseDouble(RATE.defaultValue)));
			final String peakText = o.get(PEAK.key, PEAK.defaultValue).trim();
			final double peak = peakText.equalsIgnoreCase("auto") ? Double.NaN : o.getDouble(PEAK.key, 1);
			if (!Double.isNaN(peak) && !(peak > 0)) throw new UserError("peak must be auto or a positive number, got " + peakText + ".");
			final int threads = o.getInt(THREADS.key, 0);
			if (threads < 0) throw new UserError("threads must be 0 (all cores) or positive.");
			final TvTrainingSettings s = new TvTrainingSettings(TvType.parse(o.getChoice(TV)),
				o.getInt(ITERATIONS.key, Integer.parseInt(ITERATIONS.defaultValue)), SolverSettings.DEFAULT_TAU,
				DualStep.parse(o.getChoice(DUAL)), "ergodic".equals(o.getChoice(RESULT)), opt,
				o.getInt(PATCH.key, 0), o.getInt(BATCH.key, 0), Double.isNaN(peak) ? 1 : peak, Double.NaN, threads,
				"psnr".equals(o.getChoice(LOSS)));
			final String problem = s.check();
			if (problem != null) throw new UserError(problem);
			return new Params(s, peak, java.nio.file.Paths.get(modelPath));
		}
	}

	/** Pairs from two open images of identical dimensions: every 2D plane of every channel and frame. */
	public static List<TrainingPair> pairs(final ImagePlus noisy, final ImagePlus clean) {
		for (final ImagePlus imp : new ImagePlus[] { noisy, clean }) {
			final String problem = ImagePlusFields.check(imp);
			if (problem != null) throw new UserError(imp.getTitle() + ": " + problem);
		}
		if (noisy == clean) throw new UserError("Choose two different images: the noisy one and its clean ground truth.");
		if (!Arrays.equals(noisy.getDimensions(), clean.getDimensions()))
			throw new UserError("The noisy image " + noisy.getTitle() + " " + Arrays.toString(noisy.getDimensions()) +
				" and the clean image " + clean.getTitle() + " " + Arrays.toString(clean.getDimensions()) +
				" must have the same width, height, channels, slices and frames (dimensions as [w, h, c, z, t]).");
		final List<TrainingPair> pairs = new ArrayList<>();
		for (final Block b : ImagePlusFields.blocks(noisy, false)) {
			final Field a = ImagePlusFields.read(noisy, b), c = ImagePlusFields.read(clean, b);
			pairs.add(new TrainingPair(a.data, c.data, a.grid, null, noisy.getTitle() + " / " + clean.getTitle() +
				(ImagePlusFields.blocks(noisy, false).size() > 1 ? " " + b : "")));
		}
		return pairs;
	}

	/** The nominal peak of training data of this bit depth (for peak=auto). */
	public static double autoPeak(final int bitDepth, final List<TrainingPair> pairs) {
		if (bitDepth == 8) return 255;
		if (bitDepth == 16) return 65535;
		double peak = 0;
		for (final TrainingPair p : pairs) peak = Math.max(peak, TvAutoLambda.guessPeak(p.target, 32));
		return peak;
	}

	/**
	 * Trains on the pairs and writes the model file (only if training ran to
	 * its end or was canceled after improving). Returns the trainer's result.
	 */
	public static TvTrainer.Result run(final List<TrainingPair> pairs, final int bitDepth, final Params p,
		final Monitor monitor) throws IOException
	{
		final double peak = Double.isNaN(p.peak) ? autoPeak(bitDepth, pairs) : p.peak;
		final TvTrainer.Result r;
		try {
			r = TvTrainer.train(pairs, p.settings.withPeak(peak), monitor);
		} catch (final IllegalArgumentException e) {
			throw new UserError(e.getMessage());
		}
		if (r.optimization.history.length == 0) return r; // canceled before the first evaluation: nothing to save
		ModelFiles.writeTv(r.model, p.model);
		return r;
	}
}
