package io.servinglayer.controlplane;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package-by-feature rules of the control plane, checked on every build. */
class ModuleBoundariesTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.servinglayer.controlplane");

	@Test
	void featurePackagesDoNotDependOnEachOtherInCycles() {
		slices().matching("io.servinglayer.controlplane.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void readingSignaturesKnowsNothingOfTheWebOrTheRegistry() {
		noClasses().that()
			.resideInAPackage("..signature..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.web..", "jakarta.servlet..", "..registry..")
			.check(classes);
	}

	@Test
	void noPackageIsAGrabBag() {
		noClasses().should().resideInAnyPackage("..util..", "..utils..", "..common..", "..helpers..").check(classes);
	}

	@Test
	void persistenceStaysInRepositoriesAndStores() {
		noClasses().that()
			.haveSimpleNameEndingWith("Controller")
			.should()
			.dependOnClassesThat()
			.haveFullyQualifiedName("org.springframework.jdbc.core.simple.JdbcClient")
			.check(classes);
	}

}
