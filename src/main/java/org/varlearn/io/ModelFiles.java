package org.varlearn.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.varlearn.model.SegmentationModel;
import org.varlearn.model.TvModel;
import org.varlearn.solver.DualStep;
import org.varlearn.solver.TvType;

/**
 * Versioned, human-readable (JSON) model files. Every file has a header
 * {@code "format": "VarLearn model", "version": 1, "model": "<type>"}, the
 * learned {@code parameters}, the {@code solver} settings the model was
 * trained with, and a {@code training} record (noise level, loss history,
 * provenance). Writing is atomic (temporary file, then rename), so an
 * interrupted run never leaves a half-written model. Reading validates every
 * field and says what is wrong.
 *
 * <pre>
 * {
 *   "format": "VarLearn model", "version": 1, "model": "tv-denoise",
 *   "parameters": { "lambda": 18.4, "peak": 255 },
 *   "solver": { "tv": "isotropic", "iterations": 200, "tau": 0.25, "dual": "bregman", "ergodic": false },
 *   "training": { "sigma": 0.098, "loss": [ ... ], "provenance": [ ... ], "created": "2026-11-23T17:00:00Z" }
 * }
 * </pre>
 */
public final class ModelFiles {

	private ModelFiles() {}

	public static final String FORMAT = "VarLearn model";
	public static final int VERSION = 1;
	public static final String TV_DENOISE = "tv-denoise";
	public static final String SEGMENTATION = "segmentation";

	/** A model file that cannot be used; the message says which file, what is wrong and what to do. */
	public static final class BadModelFile extends IllegalArgumentException {
		private static final long serialVersionUID = 1L;

		public BadModelFile(final String message) {
			super(message);
		}
	}

	// ---- TV denoising ----

	public static Map<String, Object> toJson(final TvModel m) {
		final Map<String, Object> params = new LinkedHashMap<>();
		params.put("lambda", m.lambda);
		params.put("peak", m.peak);
		final Map<String, Object> solver = new LinkedHashMap<>();
		solver.put("tv", m.tvType.name().toLowerCase(Locale.ROOT));
		solver.put("iterations", (double) m.iterations);
		solver.put("tau", m.tau);
		solver.put("dual", m.dualStep.name().toLowerCase(Locale.ROOT));
		solver.put("ergodic", m.ergodic);
		final Map<String, Object> training = new LinkedHashMap<>();
		training.put("sigma", Double.isNaN(m.trainingSigma) ? null : m.trainingSigma);
		training.put("loss", m.lossHistory);
		final List<Object> prov = new ArrayList<>();
		for (final String s : m.provenance) prov.add(s);
		training.put("provenance", prov);
		training.put("created", Instant.now().toString());
		return envelope(TV_DENOISE, params, solver, training);
	}

	public static TvModel tvModelFromJson(final Object json, final String where) {
		final Map<String, Object> root = header(json, TV_DENOISE, where);
		final Map<String, Object> params = object(root, "parameters", where);
		final Map<String, Object> solver = object(root, "solver", where);
		final Map<String, Object> training = root.containsKey("training") ? object(root, "training", where) : new LinkedHashMap<>();
		final double lambda = number(params, "lambda", where);
		final double peak = params.containsKey("peak") ? number(params, "peak", where) : 1;
		if (!(peak > 0)) throw new BadModelFile(where + ": 'peak' must be positive.");
		final TvType tv;
		final DualStep dual;
		try {
			tv = TvType.parse(string(solver, "tv", where));
			dual = DualStep.parse(string(solver, "dual", where));
		} catch (final IllegalArgumentException e) {
			throw new BadModelFile(where + ": " + e.getMessage());
		}
		final double iterations = number(solver, "iterations", where);
		if (iterations != Math.rint(iterations) || iterations > Integer.MAX_VALUE)
			throw new BadModelFile(where + ": 'iterations' must be a whole number.");
		final double tau = number(solver, "tau", where);
		final boolean ergodic = solver.containsKey("ergodic") && bool(solver, "ergodic", where);
		final Object s = training.get("sigma");
		final double sigma = s instanceof Double ? (Double) s : Double.NaN;
		final double[] loss = training.get("loss") instanceof List ? numbers((List<?>) training.get("loss")) : new double[0];
		final List<String> prov = new ArrayList<>();
		if (training.get("provenance") instanceof List) for (final Object o : (List<?>) training.get("provenance")) prov.add(String.valueOf(o));
		final TvModel m = new TvModel(lambda, peak, tv, (int) iterations, tau, dual, ergodic, sigma, loss, prov.toArray(new String[0]));
		final String problem = m.check();
		if (problem != null) throw new BadModelFile(where + ": " + problem + ".");
		return m;
	}

	public static void writeTv(final TvModel m, final Path file) throws IOException {
		writeAtomically(Json.write(toJson(m)), file);
	}

	public static TvModel readTv(final Path file) {
		return tvModelFromJson(parseFile(file), file.toString());
	}

	/** Reads a TV model bundled in the jar, e.g. {@code /models/tv-sigma25.json}. */
	public static TvModel readTvResource(final String resource) {
		try (InputStream in = ModelFiles.class.getResourceAsStream(resource)) {
			if (in == null) throw new BadModelFile("The bundled model " + resource + " is missing from the VarLearn jar; reinstall VarLearn.");
			final String text = new String(readAll(in), StandardCharsets.UTF_8);
			return tvModelFromJson(parseText(text, resource), resource);
		} catch (final IOException e) {
			throw new BadModelFile("Cannot read the bundled model " + resource + ": " + e.getMessage());
		}
	}

	// ---- multi-label segmentation ----
	//   "parameters": { "means": [ 61.2, 171.9 ], "lambda": 0.05, "peak": 255 }   (means in image units, lambda for image / peak)
	//   "solver": { "tv": "isotropic", "iterations": 100, "ratio": 1 }
	//   "training": { "loss": "squared", "lossHistory": [ ... ], "provenance": [ ... ], "created": "..." }

	public static Map<String, Object> toJson(final SegmentationModel m) {
		final Map<String, Object> params = new LinkedHashMap<>();
		final List<Object> means = new ArrayList<>();
		for (final double v : m.means) means.add(v);
		params.put("means", means);
		params.put("lambda", m.lambda);
		params.put("peak", m.peak);
		final Map<String, Object> solver = new LinkedHashMap<>();
		solver.put("tv", m.tvType.name().toLowerCase(Locale.ROOT));
		solver.put("iterations", (double) m.iterations);
		solver.put("ratio", m.ratio);
		final Map<String, Object> training = new LinkedHashMap<>();
		training.put("loss", m.loss);
		training.put("lossHistory", m.lossHistory);
		final List<Object> prov = new ArrayList<>();
		for (final String s : m.provenance) prov.add(s);
		training.put("provenance", prov);
		training.put("created", Instant.now().toString());
		return envelope(SEGMENTATION, params, solver, training);
	}

	public static SegmentationModel segmentationModelFromJson(final Object json, final String where) {
		final Map<String, Object> root = header(json, SEGMENTATION, where);
		final Map<String, Object> params = object(root, "parameters", where);
		final Map<String, Object> solver = object(root, "solver", where);
		final Map<String, Object> training = root.containsKey("training") ? object(root, "training", where) : new LinkedHashMap<>();
		if (!(params.get("means") instanceof List)) throw new BadModelFile(where + ": 'means' is missing or not a list of numbers.");
		final double[] means = numbers((List<?>) params.get("means"));
		for (final double v : means)
			if (!Double.isFinite(v)) throw new BadModelFile(where + ": 'means' must hold finite numbers only.");
		final double lambda = number(params, "lambda", where);
		final double peak = number(params, "peak", where);
		final TvType tv;
		try {
			tv = TvType.parse(string(solver, "tv", where));
		} catch (final IllegalArgumentException e) {
			throw new BadModelFile(where + ": " + e.getMessage());
		}
		final double iterations = number(solver, "iterations", where);
		if (iterations != Math.rint(iterations) || iterations > Integer.MAX_VALUE)
			throw new BadModelFile(where + ": 'iterations' must be a whole number.");
		final double ratio = solver.containsKey("ratio") ? number(solver, "ratio", where) : 1;
		final String loss = training.get("loss") instanceof String ? (String) training.get("loss") : "";
		final double[] history = training.get("lossHistory") instanceof List ? numbers((List<?>) training.get("lossHistory")) : new double[0];
		final List<String> prov = new ArrayList<>();
		if (training.get("provenance") instanceof List) for (final Object o : (List<?>) training.get("provenance")) prov.add(String.valueOf(o));
		final SegmentationModel m = new SegmentationModel(means, lambda, peak, tv, (int) iterations, ratio, loss, history,
			prov.toArray(new String[0]));
		final String problem = m.check();
		if (problem != null) throw new BadModelFile(where + ": " + problem + ".");
		return m;
	}

	public static void writeSegmentation(final SegmentationModel m, final Path file) throws IOException {
		writeAtomically(Json.write(toJson(m)), file);
	}

	public static SegmentationModel readSegmentation(final Path file) {
		return segmentationModelFromJson(parseFile(file), file.toString());
	}

	// ---- shared helpers for every model type ----

	/** Builds the common envelope of a model file. */
	public static Map<String, Object> envelope(final String type, final Map<String, Object> parameters,
		final Map<String, Object> solver, final Map<String, Object> training)
	{
		final Map<String, Object> root = new LinkedHashMap<>();
		root.put("format", FORMAT);
		root.put("version", (double) VERSION);
		root.put("model", type);
		root.put("parameters", parameters);
		root.put("solver", solver);
		root.put("training", training);
		return root;
	}

	/** Parses a model file into JSON values; unreadable files and bad JSON become {@link BadModelFile}. */
	public static Object parseFile(final Path file) {
		if (!Files.isRegularFile(file)) throw new BadModelFile("Model file " + file + " does not exist or is not a file.");
		final String text;
		try {
			text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
		} catch (final IOException e) {
			throw new BadModelFile("Cannot read model file " + file + ": " + e.getMessage());
		}
		return parseText(text, file.toString());
	}

	private static Object parseText(final String text, final String where) {
		try {
			return Json.parse(text);
		} catch (final IllegalArgumentException e) {
			throw new BadModelFile(where + " is not a VarLearn model file (" + e.getMessage() + ").");
		}
	}

	/** Checks the header (format, version, model type) and returns the root object. */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> header(final Object json, final String type, final String where) {
		if (!(json instanceof Map) || !FORMAT.equals(((Map<String, Object>) json).get("format")))
			throw new BadModelFile(where + " is not a VarLearn model file (no \"format\": \"" + FORMAT + "\").");
		final Map<String, Object> root = (Map<String, Object>) json;
		final Object v = root.get("version");
		if (!(v instanceof Double)) throw new BadModelFile(where + ": the model file has no version number.");
		final double version = (Double) v;
		if (version != VERSION)
			throw new BadModelFile(where + " has format version " + (version == Math.rint(version) ? String.valueOf((long) version) : String.valueOf(version)) +
				"; this VarLearn reads version " + VERSION + ". " +
				(version > VERSION ? "Update VarLearn to use it." : "Retrain the model with this VarLearn."));
		final Object t = root.get("model");
		if (!type.equals(t))
			throw new BadModelFile(where + " holds a '" + t + "' model, but a '" + type + "' model is needed here.");
		return root;
	}

	@SuppressWarnings("unchecked")
	public static Map<String, Object> object(final Map<String, Object> m, final String key, final String where) {
		final Object o = m.get(key);
		if (!(o instanceof Map)) throw new BadModelFile(where + ": the section '" + key + "' is missing or not an object.");
		return (Map<String, Object>) o;
	}

	public static double number(final Map<String, Object> m, final String key, final String where) {
		final Object o = m.get(key);
		if (!(o instanceof Double) || !Double.isFinite((Double) o))
			throw new BadModelFile(where + ": '" + key + "' is missing or not a finite number.");
		return (Double) o;
	}

	public static String string(final Map<String, Object> m, final String key, final String where) {
		final Object o = m.get(key);
		if (!(o instanceof String)) throw new BadModelFile(where + ": '" + key + "' is missing or not a string.");
		return (String) o;
	}

	public static boolean bool(final Map<String, Object> m, final String key, final String where) {
		final Object o = m.get(key);
		if (!(o instanceof Boolean)) throw new BadModelFile(where + ": '" + key + "' must be true or false.");
		return (Boolean) o;
	}

	public static double[] numbers(final List<?> l) {
		final double[] d = new double[l.size()];
		for (int i = 0; i < d.length; i++) d[i] = l.get(i) instanceof Double ? (Double) l.get(i) : Double.NaN;
		return d;
	}

	/** Writes text to a temporary file beside {@code file} and renames it into place. */
	public static void writeAtomically(final String text, final Path file) throws IOException {
		AtomicFiles.write(file, tmp -> Files.write(tmp, text.getBytes(StandardCharsets.UTF_8)));
	}

	private static byte[] readAll(final InputStream in) throws IOException {
		final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		final byte[] buf = new byte[8192];
		int n;
		while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
		return out.toByteArray();
	}
}
