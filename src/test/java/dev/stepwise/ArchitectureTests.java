package dev.stepwise;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * The schedule engine stays framework-free: plain Java and JSpecify only, so the math can be
 * read, tested and reused without Spring, JPA or Jackson.
 */
@AnalyzeClasses(packages = "dev.stepwise", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule engineImportsOnlyTheJdk = classes().that()
		.resideInAPackage("dev.stepwise.schedule..")
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage("java..", "org.jspecify..", "dev.stepwise.schedule..")
		.because("the engine must not depend on Spring, JPA or Jackson");

	@ArchTest
	static final ArchRule engineDoesNotKnowTheService = classes().that()
		.resideInAPackage("dev.stepwise.schedule..")
		.should()
		.onlyBeAccessed()
		.byClassesThat()
		.resideInAnyPackage("dev.stepwise..")
		.because("only Stepwise's own features use the engine");

}
