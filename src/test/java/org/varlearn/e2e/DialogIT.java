package org.varlearn.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive path in real ImageJ under xvfb-run: the dialog opens, Preview
 * shows a separate window and leaves the input alone, OK makes a new window and
 * records a macro call with the documented keys, Esc cancels without output.
 */
class DialogIT {

	@TempDir
	Path tmp;

	@Test
	void dialogPreviewRecordingAndEsc() throws Exception {
		final String out = runDriver(DialogDriver.class, Processes.baseDir().resolve("test-images/camera_noisy25.tif").toString());
		assertTrue(out.contains("dialog: true"), out);
		assertTrue(out.contains("preview window: camera_noisy25-TV preview"), out);
		assertTrue(out.contains("input unchanged during preview: true"), out);
		assertTrue(out.contains("output: camera_noisy25-TV 32-bit"), out);
		assertTrue(out.contains("windows after OK: camera_noisy25.tif | camera_noisy25-TV\n"), "preview closed: " + out);
		assertTrue(out.contains("input unchanged: true"), out);
		assertTrue(out.contains("run(\"TV Denoise\", \"lambda=21 iterations=200 tolerance=0"), out);
		assertFalse(out.contains("preview\""), "the Preview checkbox is not recorded: " + out);
		assertTrue(out.contains("canceled run finished: true"), out);
		assertTrue(out.contains("windows after Esc: camera_noisy25.tif\n"), out);
		assertFalse(out.contains("Exception"), out);
	}

	/** Train TV Denoiser from its dialog: model written, loss plotted, call recorded with model=, and the recording replays. */
	@Test
	void trainingDialogRecordsAReplayableCall() throws Exception {
		final String out = runDriver(TrainDialogDriver.class,
			Processes.baseDir().resolve("test-images/camera_noisy25.tif").toString(),
			Processes.baseDir().resolve("test-images/camera.png").toString(),
			tmp.resolve("dialog-model.json").toString(), tmp.resolve("replayed-model.json").toString());
		assertTrue(out.contains("dialog: true"), out);
		assertTrue(out.contains("default model path ends with -tv-model.json: true"), out);
		assertTrue(out.contains("model written: true"), out);
		assertTrue(out.contains("loss plot: Training loss"), out);
		assertTrue(out.contains("run(\"Train TV Denoiser\", \"noisy=camera_noisy25.tif clean=camera.png iterations=30"), out);
		assertTrue(out.contains("model=" + tmp.resolve("dialog-model.json")), out);
		assertTrue(out.contains("replay gives the same lambda: true"), out);
		assertFalse(out.contains("Exception"), out);
	}

	/**
	 * Runs a driver's main in a real ImageJ under xvfb-run (the plugin jar in a
	 * fresh plugins folder and on the class path) and returns what it printed.
	 */
	private String runDriver(final Class<?> driver, final String... args) throws Exception {
		final Path xvfb = Processes.which("xvfb-run");
		assertNotNull(xvfb, "xvfb-run is missing: install it with: apt-get install -y xvfb xauth");
		Files.createDirectories(tmp.resolve("plugins"));
		Files.copy(Processes.pluginJar(), tmp.resolve("plugins").resolve(Processes.pluginJar().getFileName()),
			java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		final String cp = Processes.ijJar() + File.pathSeparator +
			Paths.get(driver.getProtectionDomain().getCodeSource().getLocation().toURI()) + File.pathSeparator + Processes.pluginJar();
		final List<String> cmd = new java.util.ArrayList<>(Arrays.asList("timeout", "150", xvfb.toString(), "-a", Processes.java(),
			"-Duser.home=" + tmp, "-Dplugins.dir=" + tmp, "-cp", cp, driver.getName()));
		cmd.addAll(Arrays.asList(args));
		return Processes.run(cmd, tmp, 180).output;
	}
}
