package dev.folio.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ejb.MessageDriven;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering docs/architecture.md describes, checked on the compiled classes of all three
 * modules (the web module's tests see them all): a wrong import fails the build with the rule and
 * its reason. The modules share package names ({@code dev.folio.document} is in each), so a class's
 * module is told by where it was loaded from.
 */
class ArchitectureTest {

    private static JavaClasses folio;

    @BeforeAll
    static void importFolio() {
        folio = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.folio");
    }

    @Test
    void theLseqCoreUsesTheJdkOnly() {
        classes()
                .that()
                .resideInAPackage("dev.folio.lseq..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.folio.lseq..")
                .because("the CRDT is a pure core that transport and persistence are built around,"
                        + " and that the JMH benchmarks and the trace tools run alone (docs/lseq.md):"
                        + " its JSON form is in dev.folio.document.json, trace replay in dev.folio.trace")
                .check(folio);
    }

    @Test
    void theEntitiesUseNeitherTheServicesNorTheWeb() {
        noClasses()
                .that(areIn("jpa"))
                .should()
                .dependOnClassesThat(areIn("ejb").or(areIn("web")))
                .because("the jpa module is the persistence unit the others build on; it is deployed" + " without them")
                .check(folio);
    }

    @Test
    void theServicesNeverUseTheWeb() {
        noClasses()
                .that(areIn("ejb"))
                .should()
                .dependOnClassesThat(areIn("web"))
                .because("the EJB module is deployed in the EAR beside the web module and must not"
                        + " need it: endpoints call services, never the reverse")
                .check(folio);
    }

    @Test
    void endpointsAndMessageDrivenBeansDoNotUseEachOther() {
        noClasses()
                .that()
                .areAnnotatedWith(ServerEndpoint.class)
                .or()
                .areAnnotatedWith(Path.class)
                .or()
                .areAnnotatedWith(MessageDriven.class)
                .should()
                .dependOnClassesThat(areEndpointsOtherThanThemselves())
                .because("boundaries decode, call a service and encode; what two of them share"
                        + " belongs in a service")
                .check(folio);
    }

    @Test
    void thePackagesFormNoCycles() {
        slices().matching("dev.folio.(*)..")
                .namingSlices("dev.folio.$1")
                .should()
                .beFreeOfCycles()
                .because("a package that needs another must not be needed by it: each concept lives in one"
                        + " place, and what two packages share belongs in the one that owns it")
                .check(folio);
    }

    /** Classes of one module: loaded from its build folder, or from its jar. */
    private static DescribedPredicate<JavaClass> areIn(String module) {
        return DescribedPredicate.describe("are in the " + module + " module", type -> type.getSource()
                .map(source -> source.getUri().toString())
                .filter(uri -> uri.contains("/" + module + "/target/") || uri.contains("/folio-" + module))
                .isPresent());
    }

    private static DescribedPredicate<JavaClass> areEndpointsOtherThanThemselves() {
        return DescribedPredicate.describe(
                "are WebSocket endpoints, REST resources or message-driven beans",
                type -> type.isAnnotatedWith(ServerEndpoint.class)
                        || type.isAnnotatedWith(Path.class)
                        || type.isAnnotatedWith(MessageDriven.class));
    }
}
