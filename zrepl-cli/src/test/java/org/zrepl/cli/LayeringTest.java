package org.zrepl.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI's share of the house rules, checked on the compiled classes. */
class LayeringTest {

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.zrepl");
  }

  @Test
  void onlyMainExitsTheJvm() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(Main.class.getName())
        .should()
        .callMethod(System.class, "exit", int.class)
        .check(classes);
  }

  @Test
  void onlyMainTouchesStandardStreams() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(Main.class.getName())
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(classes);
  }

  @Test
  void theAppKnowsNothingOfTheCommandLine() {
    noClasses()
        .that()
        .resideInAPackage("org.zrepl.app..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.zrepl.cli..", "picocli..")
        .check(classes);
  }

  @Test
  void configParsingNeedsNoZfs() {
    noClasses()
        .that()
        .resideInAPackage("org.zrepl.app.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.zrepl.port..", "org.zrepl.zfs..", "org.zrepl.app.inspect..")
        .check(classes);
  }
}
