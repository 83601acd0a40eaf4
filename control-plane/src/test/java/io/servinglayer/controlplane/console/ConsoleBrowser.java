package io.servinglayer.controlplane.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for a test class, driven through chromedriver: Debian's
 * {@code chromium} and {@code chromium-driver} packages, found on the {@code PATH} (or at
 * {@code CHROME_BIN} and {@code CHROMEDRIVER}), never downloaded. Writes a screenshot of
 * the page to {@code target/console-screenshots/<test>.png} when a test fails, and of any
 * page a test asks for with {@link #screenshot}.
 */
class ConsoleBrowser implements BeforeAllCallback, AfterAllCallback, TestWatcher {

	static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

	/** The width the console is designed for, and the one the screenshots show. */
	static final Dimension DESKTOP = new Dimension(1280, 900);

	private static final Duration PATIENCE = Duration.ofSeconds(15);

	private ChromeDriver driver;

	private String baseUrl;

	@Override
	public void beforeAll(ExtensionContext context) {
		Path chromium = executable("CHROME_BIN", "chromium", "chromium-browser", "google-chrome");
		Path chromedriver = executable("CHROMEDRIVER", "chromedriver");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(chromium.toFile());
		// --no-sandbox: CI runs as root, where Chromium's sandbox cannot start. The rest
		// keeps a headless browser offline and quiet: no updates, sync or first-run
		// pages.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=" + DESKTOP.getWidth() + "," + DESKTOP.getHeight(), "--force-device-scale-factor=1",
				"--no-first-run", "--no-default-browser-check", "--disable-extensions",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-default-apps", "--lang=en-US");
		// The page's console messages, for the Content-Security-Policy's refusals.
		options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
		// A driver given by path keeps Selenium Manager from looking for (or downloading)
		// one.
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		this.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		this.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.driver != null) {
			this.driver.quit();
		}
	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		if (this.driver != null) {
			try {
				screenshot(context.getRequiredTestMethod().getName());
			}
			catch (RuntimeException ex) {
				cause.addSuppressed(ex);
			}
		}
	}

	/** Where the control plane under test answers, such as http://localhost:41234. */
	void baseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	WebDriver driver() {
		return this.driver;
	}

	/** Opens a path of the control plane, such as {@code /admin/#/models}. */
	void open(String path) {
		this.driver.get(this.baseUrl + path);
	}

	/**
	 * Waits (up to 15 s, looking every 100 ms) until the condition gives something other
	 * than null or false. An element the page replaced while the condition looked at it
	 * (a live refresh) counts as not yet.
	 */
	<T> T waitFor(String what, Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, PATIENCE, Duration.ofMillis(100)).withMessage(what)
			.ignoring(StaleElementReferenceException.class)
			.until(condition);
	}

	/** Waits for a visible element. */
	WebElement visible(By locator) {
		return waitFor("visible: " + locator,
				(driver) -> driver.findElements(locator)
					.stream()
					.filter(WebElement::isDisplayed)
					.findFirst()
					.orElse(null));
	}

	/**
	 * Waits until the element's text contains the given text, and answers the element.
	 */
	WebElement text(By locator, String text) {
		return waitFor(locator + " to contain '" + text + "'",
				(driver) -> driver.findElements(locator)
					.stream()
					.filter((element) -> element.getText().contains(text))
					.findFirst()
					.orElse(null));
	}

	/**
	 * The messages the pages wrote to the browser's console since the last call, such as
	 * a Content-Security-Policy's refusal to load or run something.
	 */
	List<String> consoleMessages() {
		return this.driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
	}

	Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	/**
	 * Runs a script that ends by calling its last argument with the answer (Selenium's
	 * asynchronous scripts): for a fetch made with the page's session.
	 */
	Object asyncScript(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeAsyncScript(script, arguments);
	}

	/**
	 * Writes the whole page, not just the window, to
	 * {@code target/console-screenshots/<name>.png}: the window is stretched to the
	 * page's height (at most 3200 px) for the shot, then put back.
	 */
	Path screenshot(String name) {
		Dimension size = this.driver.manage().window().getSize();
		try {
			long height = ((Number) script("return Math.ceil(document.documentElement.scrollHeight)")).longValue();
			int outer = size.getHeight() - ((Number) script("return window.innerHeight")).intValue();
			this.driver.manage()
				.window()
				.setSize(new Dimension(size.getWidth(),
						(int) Math.min(3200, Math.max(height + outer, size.getHeight()))));
			// From the top: a page a test scrolled (by focusing a control) would be cut
			// there.
			script("window.scrollTo(0, 0)");
			File shot = this.driver.getScreenshotAs(OutputType.FILE);
			Files.createDirectories(SCREENSHOTS);
			Path target = SCREENSHOTS.resolve(name + ".png");
			Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			this.driver.manage().window().setSize(size);
		}
	}

	/**
	 * The first of the names that is an executable file: from the variable, else on the
	 * PATH.
	 */
	private static Path executable(String variable, String... names) {
		Optional<Path> given = Optional.ofNullable(System.getenv(variable))
			.filter((value) -> !value.isBlank())
			.map(Path::of);
		if (given.isPresent()) {
			return given.filter(Files::isExecutable)
				.orElseThrow(() -> new IllegalStateException(
						variable + " names " + given.get() + ", which is not an executable file"));
		}
		List<Path> path = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.filter((folder) -> !folder.isBlank())
			.map(Path::of)
			.toList();
		for (String name : names) {
			for (Path folder : path) {
				Path candidate = folder.resolve(name);
				if (Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		throw new IllegalStateException("The console's browser tests need " + String.join(" or ", names)
				+ " on the PATH (or " + variable + "): install Debian's chromium and chromium-driver packages "
				+ "(apt-get install chromium chromium-driver; .ci/run does it)");
	}

}
