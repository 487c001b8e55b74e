package dev.stepwise.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.webjars.WebJarVersionLocator;

import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternUtils;

/**
 * The dashboard's pages, rendered once at startup: each page's template (its title and
 * main part) goes into the shared layout (header, script), with its head script inlined
 * where it has one ({@code job.head.js} starts the job page's reads before its modules
 * load), with the versioned paths of the assets (scripts, styles, icon) and of uPlot, an
 * import map naming them, and a content security policy that lets the page load nothing
 * from anywhere but the service. The assets' path holds a hash of their content, so a
 * changed script gets a new URL and the old one may be cached for a year.
 */
public final class DashboardPages {

	/** Where the assets are on the classpath. */
	static final String ASSETS_LOCATION = "classpath:/dashboard/assets/";

	/** Where the WebJars are on the classpath. */
	static final String WEBJARS_LOCATION = "classpath:/META-INF/resources";

	private static final String PAGES_LOCATION = "classpath:/dashboard/pages/";

	/** The pages, by the name of their template. */
	static final List<String> NAMES = List.of("jobs", "job", "designer", "compare");

	/** A module's static imports: of another asset ({@code './api.js'}) or of uPlot. */
	private static final Pattern IMPORT = Pattern.compile("\\bfrom\\s+'(\\./[a-z]+\\.js|uplot)'");

	/** Where the layout takes the shared head (icon, styles, import map). */
	private static final String HEAD_SLOT = "<!--stepwise:head-->";

	/** Where the layout names the assets' versioned path. */
	private static final String ASSETS_SLOT = "{{assets}}";

	/** A page's title, the first element of its template. */
	private static final Pattern TITLE = Pattern.compile("^\\s*<title>([^<]+)</title>");

	private final String assetsPath;

	private final String uplotPath;

	private final Map<String, Page> pages;

	/**
	 * A rendered page.
	 *
	 * @param html the document
	 * @param etag its strong validator
	 * @param contentSecurityPolicy the policy it is served with
	 */
	public record Page(String html, String etag, String contentSecurityPolicy) {

	}

	DashboardPages(ResourceLoader loader) {
		ResourcePatternResolver resources = ResourcePatternUtils.getResourcePatternResolver(loader);
		this.assetsPath = "/dashboard/" + assetsHash(resources) + "/";
		this.uplotPath = "/webjars/" + webJar("uplot") + "/";
		String layout = read(resources.getResource(PAGES_LOCATION + "layout.html"));
		if (!layout.contains(HEAD_SLOT)) {
			throw new IllegalStateException("the dashboard's layout lacks " + HEAD_SLOT);
		}
		this.pages = new LinkedHashMap<>();
		for (String name : NAMES) {
			Resource headScript = resources.getResource(PAGES_LOCATION + name + ".head.js");
			this.pages.put(name, render(layout, name, read(resources.getResource(PAGES_LOCATION + name + ".html")),
					modules(resources, name), headScript.exists() ? read(headScript).strip() : null));
		}
	}

	/**
	 * The path the assets are served under, e.g. {@code /dashboard/3fa9c2d41b07e8aa/}.
	 */
	public String assetsPath() {
		return this.assetsPath;
	}

	/** The path uPlot's WebJar is served under, e.g. {@code /webjars/uplot/1.6.30/}. */
	public String uplotPath() {
		return this.uplotPath;
	}

	/** The page rendered from the template of this name. */
	public Page page(String name) {
		Page page = this.pages.get(name);
		if (page == null) {
			throw new IllegalArgumentException("no dashboard page " + name);
		}
		return page;
	}

	/**
	 * A page: the layout around the template's main part, under its title, with its
	 * script.
	 */
	private Page render(String layout, String name, String template, Set<String> modules, @Nullable String headScript) {
		Matcher title = TITLE.matcher(template);
		if (!title.find()) {
			throw new IllegalStateException("the dashboard page " + name + " does not begin with its <title>");
		}
		String importMap = "{\"imports\": {\"uplot\": \"" + this.uplotPath + "dist/uPlot.esm.js\"}}";
		// first, before the stylesheets, which would hold a script back until they load
		String head = ((headScript != null) ? "<script>" + headScript + "</script>\n" : "")
				+ "<link rel=\"icon\" href=\"" + this.assetsPath + "icon.svg\" type=\"image/svg+xml\">\n"
				+ "<link rel=\"stylesheet\" href=\"" + this.uplotPath + "dist/uPlot.min.css\">\n"
				+ "<link rel=\"stylesheet\" href=\"" + this.assetsPath + "css/dashboard.css\">\n"
				+ "<script type=\"importmap\">" + importMap + "</script>"
				// every module the page's script imports, at once rather than one import
				// level after another (after the import map, which must come first)
				+ modules.stream()
					.map((module) -> "\n<link rel=\"modulepreload\" href=\"" + modulePath(module) + "\">")
					.collect(Collectors.joining());
		String html = layout.replace("{{title}}", "<title>" + title.group(1) + " · Stepwise</title>")
			.replace("{{main}}", template.substring(title.end()).strip())
			.replace("{{page}}", name)
			.replace(HEAD_SLOT, head)
			.replace(ASSETS_SLOT, this.assetsPath.substring(0, this.assetsPath.length() - 1));
		// the import map and the head script are the only inline scripts: allowed by
		// their
		// hashes, nothing else is (uPlot sizes its elements with inline styles)
		String policy = "default-src 'self'; script-src 'self' " + scriptHash(importMap)
				+ ((headScript != null) ? " " + scriptHash(headScript) : "")
				+ "; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self';"
				+ " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
		String etag = "\"" + HexFormat.of().formatHex(sha256(html.getBytes(StandardCharsets.UTF_8)), 0, 12) + "\"";
		return new Page(html, etag, policy);
	}

	/**
	 * The modules the page's script loads, itself first: the asset names ({@code job.js})
	 * its imports lead to, and {@code uplot}.
	 */
	private static Set<String> modules(ResourcePatternResolver resources, String page) {
		Set<String> modules = new LinkedHashSet<>();
		Deque<String> toRead = new ArrayDeque<>(List.of(page + ".js"));
		while (!toRead.isEmpty()) {
			String module = toRead.pop();
			if (modules.add(module) && !"uplot".equals(module)) {
				Resource script = resources.getResource(ASSETS_LOCATION + "js/" + module);
				if (!script.exists()) {
					throw new IllegalStateException(
							"the dashboard page " + page + " needs js/" + module + ", which is missing");
				}
				Matcher imported = IMPORT.matcher(read(script));
				while (imported.find()) {
					toRead.add(imported.group(1).replace("./", ""));
				}
			}
		}
		return modules;
	}

	private String modulePath(String module) {
		return "uplot".equals(module) ? this.uplotPath + "dist/uPlot.esm.js" : this.assetsPath + "js/" + module;
	}

	/** A hash of every asset's path and content: it changes when any asset does. */
	private static String assetsHash(ResourcePatternResolver resources) {
		try {
			Map<String, Resource> byPath = new TreeMap<>();
			for (Resource resource : resources.getResources(ASSETS_LOCATION + "**/*.*")) {
				String url = resource.getURL().toString();
				if (resource.isReadable() && !url.endsWith("/")) {
					byPath.put(url.substring(url.lastIndexOf("/dashboard/assets/")), resource);
				}
			}
			if (byPath.isEmpty()) {
				throw new IllegalStateException("no dashboard assets under " + ASSETS_LOCATION);
			}
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			for (Map.Entry<String, Resource> entry : byPath.entrySet()) {
				digest.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
				digest.update(read(entry.getValue()).getBytes(StandardCharsets.UTF_8));
			}
			return HexFormat.of().formatHex(digest.digest(), 0, 8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A WebJar's name and version, e.g. {@code uplot/1.6.30}: failing at startup when
	 * absent.
	 */
	private static String webJar(String name) {
		@Nullable String version = new WebJarVersionLocator().version(name);
		if (version == null) {
			throw new IllegalStateException("the WebJar " + name + " is not on the classpath");
		}
		return name + "/" + version;
	}

	private static String read(Resource resource) {
		try (InputStream in = resource.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + resource, ex);
		}
	}

	/** A content security policy's source for an inline script. */
	private static String scriptHash(String script) {
		return "'sha256-" + Base64.getEncoder().encodeToString(sha256(script.getBytes(StandardCharsets.UTF_8))) + "'";
	}

	private static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
