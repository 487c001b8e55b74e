package dev.stepwise.dashboard;

import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the dashboard's assets under their content-hashed path and uPlot under its
 * versioned WebJar path, both cached for a year ({@code immutable}): their URLs change
 * whenever their content does. Nothing else is served from those locations.
 */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration implements WebMvcConfigurer {

	/** How long a browser may keep an asset whose URL names its version. */
	static final CacheControl VERSIONED = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

	private final ObjectProvider<DashboardPages> pages;

	DashboardConfiguration(ObjectProvider<DashboardPages> pages) {
		this.pages = pages;
	}

	/**
	 * Declared here, not scanned: the web slices ({@code @WebMvcTest}) load this
	 * configurer and every controller, so the pages' controller finds its pages there
	 * too.
	 */
	@Bean
	static DashboardPages dashboardPages(ResourceLoader loader) {
		return new DashboardPages(loader);
	}

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		DashboardPages pages = this.pages.getObject();
		registry.addResourceHandler(pages.assetsPath() + "**")
			.addResourceLocations(DashboardPages.ASSETS_LOCATION)
			.setCacheControl(VERSIONED);
		registry.addResourceHandler(pages.uplotPath() + "**")
			.addResourceLocations(DashboardPages.WEBJARS_LOCATION + pages.uplotPath())
			.setCacheControl(VERSIONED);
	}

}
