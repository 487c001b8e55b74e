package dev.stepwise.dashboard;

import java.time.Duration;

import org.springframework.context.annotation.Configuration;
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

	private final DashboardPages pages;

	DashboardConfiguration(DashboardPages pages) {
		this.pages = pages;
	}

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		registry.addResourceHandler(this.pages.assetsPath() + "**")
			.addResourceLocations(DashboardPages.ASSETS_LOCATION)
			.setCacheControl(VERSIONED);
		registry.addResourceHandler(this.pages.uplotPath() + "**")
			.addResourceLocations(DashboardPages.WEBJARS_LOCATION + this.pages.uplotPath())
			.setCacheControl(VERSIONED);
	}

}
