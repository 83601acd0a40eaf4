package io.servinglayer.inferenceservice;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package-by-feature rules of the inference service, checked on every build. */
class ModuleBoundariesTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.servinglayer.inferenceservice");

	@Test
	void featurePackagesDoNotDependOnEachOtherInCycles() {
		slices().matching("io.servinglayer.inferenceservice.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void theEngineKnowsNothingOfTheWeb() {
		noClasses().that()
			.resideInAnyPackage("..inferenceservice.runtime..", "..inferenceservice.batching..",
					"..inferenceservice.features..", "..inferenceservice.protocol..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.web..", "org.springframework.http..", "jakarta.servlet..",
					"..inferenceservice.web..")
			.check(classes);
	}

	@Test
	void noPackageIsAGrabBag() {
		noClasses().should().resideInAnyPackage("..util..", "..utils..", "..common..", "..helpers..").check(classes);
	}

}
