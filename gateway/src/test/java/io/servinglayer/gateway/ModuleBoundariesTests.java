package io.servinglayer.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package-by-feature rules of the gateway, checked on every build. */
class ModuleBoundariesTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.servinglayer.gateway");

	@Test
	void featurePackagesDoNotDependOnEachOtherInCycles() {
		slices().matching("io.servinglayer.gateway.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void theSharedKernelKnowsNoFeature() {
		noClasses().that()
			.resideInAPackage("..gateway.system..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("..gateway.access..", "..gateway.balancing..", "..gateway.modelcalls..",
					"..gateway.outcomes..", "..gateway.ratelimit..", "..gateway.requests..", "..gateway.routing..",
					"..gateway.shadow..", "..gateway.feedback..")
			.check(classes);
	}

	@Test
	void onlyTheModelCallPathKnowsItExists() {
		noClasses().that()
			.resideOutsideOfPackage("..gateway.modelcalls..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("..gateway.modelcalls..")
			.check(classes);
	}

	@Test
	void versionChoiceAndBreakersKnowNothingOfTheWeb() {
		noClasses().that()
			.haveSimpleName("VersionChoice")
			.or()
			.haveSimpleNameStartingWith("InstanceBreaker")
			.or()
			.haveSimpleName("InstancePicker")
			.or()
			.haveSimpleName("Leases")
			.or()
			.haveSimpleName("LocalBuckets")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.web..", "org.springframework.http..",
					"org.springframework.cloud.gateway..", "reactor.netty..")
			.check(classes);
	}

	@Test
	void noPackageIsAGrabBag() {
		noClasses().should().resideInAnyPackage("..util..", "..utils..", "..common..", "..helpers..").check(classes);
	}

}
