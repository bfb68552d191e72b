package io.stardust;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * Architecture checks shared by the modules' tests: no package cycles. Every package under the root is its own
 * slice, the root package included (a {@code matching("root.(*)..")} rule would leave the root's classes out and
 * fold sub-packages into their parent, missing e.g. a cycle between {@code root} and {@code root.cli}).
 */
public final class PackageCycles {
    private PackageCycles() {
    }

    /** The main (non-test) classes of the packages under {@code root}. */
    public static JavaClasses mainClasses(String root) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(root);
    }

    /** Fails, naming the cycle, when a package under {@code root} depends on itself through another. */
    public static ArchRule noCyclesAmongPackagesUnder(String root) {
        return slices().assignedFrom(eachPackageUnder(root)).should().beFreeOfCycles();
    }

    private static SliceAssignment eachPackageUnder(String root) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String pkg = c.getPackageName();
                return pkg.equals(root) || pkg.startsWith(root + ".") ? SliceIdentifier.of(pkg) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "every package under " + root;
            }
        };
    }
}
